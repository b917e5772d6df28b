"""Object access for gazette issues in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from gongkai.accounts.permissions import access_object
from gongkai.core.actors import Actor
from gongkai.gazette.models import GazetteIssue


def access_issue(*, user: Actor, pk: int, action: str = "view") -> GazetteIssue:
    """Return the issue if ``user`` may reach it and perform ``action``."""
    return access_object(
        GazetteIssue.objects.select_related("agency"), user=user, pk=pk, action=action
    )
