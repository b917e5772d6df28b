"""Platform-level background tasks."""

from __future__ import annotations

from django_tasks import task

from gongkai.core.audit import record_audit


@task()
def heartbeat(note: str = "") -> int:
    """Record that a worker processed a task (used by the deployment smoke test and monitoring)."""
    event = record_audit(action="system.heartbeat", after={"note": note})
    return event.seq
