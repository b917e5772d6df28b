"""Receivers: after a case event is committed, notify the applicant.

The applications app appends every step as an ``ApplicationEvent`` inside the step's
transaction; the notification is scheduled with ``transaction.on_commit`` so that nothing is
sent for a step that rolls back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from gongkai.applications.models import ApplicationEvent
from gongkai.notifications.services import EVENT_KINDS, notify_event


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="notifications.case_event")
def case_event_saved(sender: Any, instance: ApplicationEvent, created: bool, **kwargs: Any) -> None:
    """Schedule the applicant's notification for a new event of a notifying kind."""
    if created and instance.kind in EVENT_KINDS and not kwargs.get("raw"):
        pk = instance.pk
        transaction.on_commit(lambda: notify_event(pk))
