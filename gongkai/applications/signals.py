"""Receivers: recompute open cases' deadlines when the working-day calendar changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.applications.services import recompute_run_create
from gongkai.applications.tasks import recompute_open_deadlines
from gongkai.workcalendar.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="applications.recompute_on_calendar_change")
def recompute_on_calendar_change(sender: Any, year: int, **kwargs: Any) -> None:
    """Record a recomputation run and enqueue it (background task; the office shows progress)."""
    reason = f"{year}年工作日历载入或更正"
    run = recompute_run_create(reason=reason, year=year)
    recompute_open_deadlines.enqueue(reason=reason, run_id=run.pk)
