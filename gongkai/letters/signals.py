"""Receivers: the 补正告知书 is generated when the correction notice is recorded (decision 1607).

The applications app records the step; once its transaction has committed, the letter is issued
in the name of the officer who recorded it (numbered, rendered, logged on the case, offered to
the applicant on the portal). A failure (e.g. a case under the 2008 Regulations, decision 1605)
is logged and leaves the step as recorded: the officer can still issue the letter by hand.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from gongkai.applications.choices import EventKind
from gongkai.applications.models import ApplicationEvent
from gongkai.letters.choices import LetterKind
from gongkai.letters.models import Letter
from gongkai.letters.services import letter_issue

logger = logging.getLogger(__name__)


def issue_correction_letter(event_id: int) -> Any:
    """Issue the 补正告知书 for the correction notice ``event_id`` (None if not possible)."""
    event = ApplicationEvent.objects.select_related("application", "actor").get(pk=event_id)
    app = event.application
    if (
        event.actor is None
        or Letter.objects.filter(application=app, kind=LetterKind.CORRECTION).exists()
    ):
        return None
    try:
        return letter_issue(
            application=app, kind=LetterKind.CORRECTION, by=event.actor, issued_on=event.on
        )
    except (ValidationError, PermissionDenied) as exc:
        logger.warning("application %s: correction letter not issued: %s", app.pk, exc)
        return None


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="letters.correction_letter")
def correction_requested(
    sender: Any, instance: ApplicationEvent, created: bool, **kwargs: Any
) -> None:
    """After a correction notice is committed, issue its 补正告知书."""
    if created and instance.kind == EventKind.CORRECTION_REQUESTED and not kwargs.get("raw"):
        pk = instance.pk
        transaction.on_commit(lambda: issue_correction_letter(pk))
