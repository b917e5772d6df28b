"""Platform-level background tasks."""

from __future__ import annotations

from django_tasks import task

from gongkai.core.audit import record_audit
from gongkai.core.media import sweep_media as sweep


@task()
def heartbeat(note: str = "") -> int:
    """Record that a worker processed a task (used by the deployment smoke test and monitoring)."""
    event = record_audit(action="system.heartbeat", after={"note": note})
    return event.seq


@task()
def sweep_media(grace_hours: float = 24, delete: bool = False) -> dict[str, object]:
    """Expire old staged uploads and quarantine orphan files (``gongkai media sweep``)."""
    import datetime as dt

    return sweep(grace=dt.timedelta(hours=grace_hours), delete=delete).as_audit()
