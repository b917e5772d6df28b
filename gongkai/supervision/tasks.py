"""Background work of 督办: the daily reminder and escalation sweep (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from gongkai.supervision.services import remind_and_escalate as sweep


@task()
def remind_and_escalate() -> dict[str, int]:
    """Remind before deadlines and escalate after them (``gongkai supervision remind``)."""

    return sweep()
