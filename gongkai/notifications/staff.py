"""Messages to staff about work addressed to them (督办单: issued, reminders, escalation).

Sent by e-mail to each person with an address and recorded in ``Notification`` (masked
recipient) once per ``reference``; a failure to send is recorded and never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from gongkai.applications.identity import mask_email
from gongkai.notifications.choices import NotificationChannel, NotificationStatus
from gongkai.notifications.models import Notification

logger = logging.getLogger(__name__)
PREFIX = "【政务公开督办】"


def key_filter(key: str) -> dict[str, str]:
    """The lookup of the one e-mail recorded for ``key``."""
    return {"reference": key, "channel": NotificationChannel.EMAIL}


def notify_staff(
    *, users: Iterable[Any], kind: str, reference: str, subject: str, body: str
) -> list[Notification]:
    """E-mail ``users`` (those with an address) once per ``reference``; return what was recorded."""
    sent: list[Notification] = []
    for user in users:
        address = (getattr(user, "email", "") or "").strip()
        if not address:
            continue
        recipient = mask_email(address)[:120]
        key = f"{reference}:u{user.pk}"[:120]  # masked addresses may coincide: key by person
        if Notification.objects.filter(**key_filter(key)).exists():
            continue
        error = ""
        try:
            send_mail(PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception as exc:  # noqa: BLE001 - recorded, never raised
            error = type(exc).__name__
            logger.warning("staff notification %s failed: %s", reference, error)
        try:
            with transaction.atomic():
                sent.append(
                    Notification.objects.create(
                        reference=key,
                        kind=kind,
                        channel=NotificationChannel.EMAIL,
                        recipient=recipient,
                        subject=(PREFIX + subject)[:200],
                        body=body,
                        status=NotificationStatus.FAILED if error else NotificationStatus.SENT,
                        error=error[:300],
                    )
                )
        except IntegrityError:  # a concurrent call recorded it first
            continue
    return sent
