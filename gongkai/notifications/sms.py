"""A small pluggable SMS backend, like Django's mail backends.

``settings.SMS_BACKEND`` names a class with ``send(phone, text) -> None`` (raising on failure).
The default writes to the console; ``locmem`` keeps messages in ``outbox`` for tests. A
production backend for a provider's HTTP API is a class with the same method.
"""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from gongkai.applications.identity import mask_phone

DEFAULT_BACKEND = "gongkai.notifications.sms.ConsoleSmsBackend"

#: Messages "sent" by the locmem backend: (phone, text).
outbox: list[tuple[str, str]] = []


class SmsBackend(Protocol):
    """What an SMS backend provides."""

    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone``; raise on failure."""


class ConsoleSmsBackend:
    """Print the message (development)."""

    def send(self, phone: str, text: str) -> None:
        """Write the SMS to standard output (the number masked)."""
        sys.stdout.write(f"[SMS to {mask_phone(phone)}] {text}\n")


class LocmemSmsBackend:
    """Keep the message in ``outbox`` (tests)."""

    def send(self, phone: str, text: str) -> None:
        """Append (phone, text) to the outbox."""
        outbox.append((phone, text))


def get_backend() -> SmsBackend:
    """An instance of the configured backend."""
    path = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    return import_string(path)()
