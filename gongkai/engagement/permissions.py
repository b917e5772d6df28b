"""Object access for engagement records in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from gongkai.accounts.permissions import access_object
from gongkai.core.actors import Actor
from gongkai.engagement.models import Consultation, MailboxMessage


def access_consultation(*, user: Actor, pk: int, action: str = "view") -> Consultation:
    """Return the consultation if ``user`` may reach it and perform ``action``."""
    return access_object(
        Consultation.objects.select_related("agency"), user=user, pk=pk, action=action
    )


def access_message(*, user: Actor, pk: int, action: str = "view") -> MailboxMessage:
    """Return the mailbox message if ``user`` may reach it and perform ``action``."""
    return access_object(
        MailboxMessage.objects.select_related("agency", "unit"), user=user, pk=pk, action=action
    )
