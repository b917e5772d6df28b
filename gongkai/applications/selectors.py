"""Reads for the office: work queues with counts, the case page, the clock's explanation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.scoping import agency_ids_for
from gongkai.applications import deadlines
from gongkai.applications.choices import OPEN_STATUSES, Status
from gongkai.applications.models import Application, CaseArchiveJob, RecomputeRun
from gongkai.applications.querysets import ApplicationQuerySet
from gongkai.core.actors import Actor

#: Working days ahead that count as "due soon" (the amber chip).
DUE_SOON_DAYS = 5


@dataclass(frozen=True)
class Queue:
    """A work queue: its key, Chinese label and its filter."""

    key: str
    label: str


QUEUES: tuple[Queue, ...] = (
    Queue("mine", "我经办的"),
    Queue("unassigned", "未分配经办人"),
    Queue("due_soon", "5个工作日内到期"),
    Queue("overdue", "已超期"),
    Queue("review", "待审核"),
    Queue("approval", "待审批"),
    Queue("open", "全部在办"),
    Queue("all", "全部申请"),
)
QUEUE_LABELS = {q.key: q.label for q in QUEUES}


def due_soon_until(today: dt.date) -> dt.date:
    """Return the last date of the due-soon window (5 working days after ``today``)."""
    calendar = deadlines.get_calendar()
    return calendar.add_working_days(today, DUE_SOON_DAYS).date


def _queue_filters(user: Actor, today: dt.date) -> dict[str, Q]:
    soon = due_soon_until(today)
    open_q = Q(status__in=OPEN_STATUSES)
    return {
        "mine": open_q & Q(handler=user),
        "unassigned": open_q & Q(handler__isnull=True),
        "due_soon": open_q & Q(due_on__gte=today, due_on__lte=soon),
        "overdue": open_q & Q(due_on__lt=today),
        "review": Q(status=Status.IN_REVIEW),
        "approval": Q(status=Status.IN_APPROVAL),
        "open": open_q,
        "all": Q(),
    }


def queue_scope(user: Actor, agency_id: int | None = None) -> ApplicationQuerySet:
    """The cases the user's queues cover: every agency in scope (sub-agencies included for a
    disclosure office with a subtree role), optionally narrowed to one agency."""
    qs = Application.objects.visible_to(user)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs


def queue(
    user: Actor, key: str, *, agency_id: int | None = None, today: dt.date | None = None
) -> ApplicationQuerySet:
    """Return the cases of one queue, nearest deadline first."""
    today = today or timezone.localdate()
    filters = _queue_filters(user, today)
    if key not in filters:
        key = "open"
    return (
        queue_scope(user, agency_id)
        .filter(filters[key])
        .select_related("agency", "handler")
        .order_by("due_on", "received_on", "pk")
    )


def queue_counts(
    user: Actor, *, agency_id: int | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Return every queue with its count (one aggregate query) and its URL."""
    today = today or timezone.localdate()
    filters = _queue_filters(user, today)
    counts = queue_scope(user, agency_id).aggregate(
        **{key: Count("pk", filter=q) for key, q in filters.items()}
    )
    url = reverse("applications:list")
    return [
        {"key": q.key, "label": q.label, "count": counts[q.key], "url": f"{url}?queue={q.key}"}
        for q in QUEUES
        if q.key != "all"
    ]


def home_queues(user: Actor) -> list[dict[str, Any]]:
    """Queues for the office home page (empty for people without disclosure work)."""
    if not agency_ids_for(user):
        return []
    return queue_counts(user)


def chip(due: dt.date | None, *, today: dt.date, provisional: bool = False) -> dict[str, Any]:
    """Return the deadline chip: colour (green/amber/red), working days left, 暂定 flag."""
    if due is None:
        return {"colour": "none", "days": None, "provisional": provisional}
    calendar = deadlines.get_calendar()
    days = calendar.working_days_between(today, due).days
    if due < today:
        colour = "red"
    elif days <= DUE_SOON_DAYS:
        colour = "amber"
    else:
        colour = "green"
    return {"colour": colour, "days": days, "provisional": provisional, "due": due}


def case_clock(application: Application, *, today: dt.date | None = None) -> dict[str, Any]:
    """Return the case's deadlines with chips and the clock's Chinese explanation."""
    today = today or timezone.localdate()
    result = deadlines.compute(application, today=today, explain=True)
    items = []
    for d in result.deadlines:
        items.append(
            {
                "label": deadlines.DEADLINE_LABELS[d.name] + (f"（{d.ref}）" if d.ref else ""),
                "due": d.due,
                "state": d.state,
                "state_label": deadlines.STATE_LABELS.get(d.state, d.state),
                "days_remaining": d.days_remaining,
                "provisional": d.provisional,
                "citation": d.citation,
                "explanation": d.explanation,
                "chip": chip(d.due, today=today, provisional=d.provisional)
                if d.state in deadlines.RUNNING
                else {"colour": "none", "days": None, "provisional": d.provisional},
            }
        )
    return {
        "result": result,
        "deadlines": items,
        "receipt": result.receipt_explanation,
        "warnings": [w.message for w in result.warnings],
        "pauses": result.pauses,
    }


def handlers_of(agency: Any) -> list[Any]:
    """Return the people holding the handler role directly in ``agency``."""
    return list(
        User.objects.filter(
            memberships__agency=agency, memberships__role=Role.HANDLER, is_active=True
        )
        .distinct()
        .order_by("username")
    )


def latest_archive_job(application: Application) -> CaseArchiveJob | None:
    """The case's most recent archive build (queued on closing), or None."""
    return application.archive_jobs.order_by("-created_at", "-id").first()


def applicant_file_count(application: Application) -> int:
    """How many files the applicant gave online (the portal's uploads), 0 without the portal."""
    manager = getattr(application, "applicant_files", None)
    return manager.count() if manager is not None else 0


def recompute_runs(limit: int = 20) -> list[RecomputeRun]:
    """The latest deadline recomputations, newest first (platform-wide counts only)."""
    return list(RecomputeRun.objects.order_by("-created_at", "-id")[:limit])


def recompute_run(pk: int) -> RecomputeRun | None:
    """One deadline recomputation, or None."""
    return RecomputeRun.objects.filter(pk=pk).first()
