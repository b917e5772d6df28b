"""Object access for agencies in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.accounts.models import StaffMembership
from gongkai.accounts.permissions import access_object
from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor


def access_agency(*, user: Actor, pk: Any, action: str = "view", active: bool = False) -> Agency:
    """Return the agency if ``user`` may reach it and perform ``action`` (``access_object``).

    404 when it does not exist, lies outside the user's scope (or, with ``active``, has been
    deactivated); 403 when it is visible but the user's roles do not allow ``action``.
    """
    agencies = Agency.objects.active() if active else Agency.objects.all()
    return access_object(agencies, user=user, pk=pk, action=action)


def access_membership(*, agency: Agency, pk: int) -> StaffMembership:
    """Return one of ``agency``'s memberships (the agency was already access-checked)."""
    membership = StaffMembership.objects.filter(pk=pk, agency=agency).first()
    if membership is None:
        raise Http404
    return membership
