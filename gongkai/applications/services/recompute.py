"""Deadline recomputation after a calendar change: one case, every open case, with progress.

Not a workflow step: the status does not change. The platform (``SYSTEM``) recomputes the
derived deadline columns from the unchanged timeline; a case whose dates move gets a
``DEADLINES_RECOMPUTED`` entry and an audit entry, a case whose dates stay gets nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.applications import deadlines
from gongkai.applications.choices import EventKind
from gongkai.applications.models import Application, RecomputeRun
from gongkai.applications.workflow import WORKFLOW, append_event
from gongkai.core.actors import SYSTEM
from gongkai.core.audit import record_audit


def application_recompute_deadlines(
    *, application: Application, reason: str, calendar: Any = None, today: dt.date | None = None
) -> dict[str, tuple[Any, Any]]:
    """Recompute one case's deadlines (e.g. after a calendar change); audit any changed date.

    Writes nothing (no event, no audit entry) when no date changes.
    """
    with transaction.atomic():
        app = WORKFLOW.lock(application)
        result = deadlines.compute(app, today=today, calendar=calendar, explain=False)
        changes = deadlines.apply_result(app, result)
        dated = {k: v for k, v in changes.items() if k != "deadlines"}
        if not changes:
            return {}
        app.save(update_fields=[*deadlines.DEADLINE_FIELDS, "updated_at"])
        if dated:
            payload = {
                k: [str(a) if a is not None else None, str(b) if b is not None else None]
                for k, (a, b) in dated.items()
            }
            append_event(
                app,
                EventKind.DEADLINES_RECOMPUTED,
                by=SYSTEM,
                payload={"changes": payload},
                note=reason,
            )
            record_audit(
                action="application.recompute_deadlines",
                actor=SYSTEM,
                target=app,
                agency=app.agency,
                before={k: a for k, (a, b) in dated.items()},
                after={**{k: b for k, (a, b) in dated.items()}, "reason": reason},
            )
        return dated


@dataclass
class RecomputeReport:
    """Outcome of a bulk recomputation: cases looked at and cases whose dates changed."""

    total: int = 0
    done: int = 0
    changed: int = 0


def applications_recompute_open(
    *,
    reason: str,
    progress: Callable[[RecomputeReport], None] | None = None,
    today: dt.date | None = None,
) -> RecomputeReport:
    """Recompute the deadlines of every open case (one transaction per case), auditing changes.

    ``progress`` is called after each case with the running report (for progress bars).
    """
    calendar = deadlines.get_calendar()
    ids = list(Application.objects.open().order_by("pk").values_list("pk", flat=True))
    report = RecomputeReport(total=len(ids))
    for pk in ids:
        app = Application.objects.filter(pk=pk).first()
        if app is not None and application_recompute_deadlines(
            application=app, reason=reason, calendar=calendar, today=today
        ):
            report.changed += 1
        report.done += 1
        if progress is not None:
            progress(report)
    return report


#: Write a run's progress at most this often (cases), so that 100,000 cases cost few updates.
PROGRESS_EVERY = 50


def recompute_run_create(*, reason: str, year: int | None = None) -> RecomputeRun:
    """Create the progress row of a recomputation (before its task is queued)."""
    return RecomputeRun.objects.create(reason=reason[:200], year=year)


def recompute_run_execute(
    *,
    run_id: int,
    progress: Callable[[RecomputeReport], None] | None = None,
    today: dt.date | None = None,
) -> RecomputeRun:
    """Recompute every open case, writing the progress into the run's row as it goes.

    ``progress`` is called as well (the CLI's terminal bar). The row is updated every
    ``PROGRESS_EVERY`` cases and at the end; a failure is recorded in ``error`` and re-raised.
    """
    run = RecomputeRun.objects.get(pk=run_id)
    RecomputeRun.objects.filter(pk=run_id).update(started_at=timezone.now())

    def record(report: RecomputeReport) -> None:
        if report.done == 1 or report.done % PROGRESS_EVERY == 0 or report.done == report.total:
            RecomputeRun.objects.filter(pk=run_id).update(
                total=report.total, done=report.done, changed=report.changed
            )
        if progress is not None:
            progress(report)

    try:
        report = applications_recompute_open(reason=run.reason, progress=record, today=today)
    except Exception as exc:
        RecomputeRun.objects.filter(pk=run_id).update(
            finished_at=timezone.now(), error=f"{type(exc).__name__}"[:300]
        )
        raise
    RecomputeRun.objects.filter(pk=run_id).update(
        total=report.total, done=report.done, changed=report.changed, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
