"""Notification hook, called after the transaction commits (a stub for now).

Services schedule ``notify(kind, application_id=...)`` with ``transaction.on_commit``. The hook
only logs the case id and the kind — never applicant data. Mail or SMS delivery to officers and
applicants plugs in here.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def notify(kind: str, *, application_id: int) -> None:
    """Announce that something happened to a case (no personal data in the log line)."""
    logger.info("application %s: %s", application_id, kind)
