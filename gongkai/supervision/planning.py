"""The yearly task list (政务公开工作要点): writes (one function per step) and reads.

The disclosure office enters the year's tasks, each with a lead unit (牵头单位), supporting
units (配合单位), a deadline and the evidence expected; the lead unit reports progress with links
to the evidence (catalogue items, files on the site) and finally reports it done; the office
may send a completed task back. Overdue tasks show on the dashboard and can be 督办-ed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.actors import Actor, SystemActor
from gongkai.supervision.choices import TaskEventKind, TaskStatus
from gongkai.supervision.models import Task, TaskEvent
from gongkai.supervision.scope import office_for, supervising_offices
from gongkai.supervision.workflow import TASK_WORKFLOW

MAX_LINKS = 20


def parse_evidence(text: str) -> list[str]:
    """Evidence links, one per line: ``https://…`` or a path on this site (``/catalog/…``)."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise ValidationError({"evidence": f"佐证材料链接最多{MAX_LINKS}条。"})
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        if link.startswith("/") and not link.startswith("//"):
            continue
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                {"evidence": f"“{link[:60]}”不是有效的链接（以 http(s):// 或 / 开头）。"}
            ) from None
    return links


def task_create(
    *,
    by: Actor,
    agency: Any,
    text: str,
    deadline: dt.date,
    code: str = "",
    supporting: Iterable[Any] = (),
    evidence_expected: str = "",
    year: int | None = None,
    issuer: Any = None,
) -> Task:
    """Enter one task of the yearly list, led by ``agency``."""
    year = year or deadline.year
    errors = {}
    if not text.strip():
        errors["text"] = "请填写工作任务。"
    if not 2008 <= year <= 2100:
        errors["year"] = "年度无效。"
    if issuer is None and not isinstance(by, SystemActor):
        issuer = office_for(by, agency, "supervision.plan") or _own_office(by, agency)
        if issuer is None:
            raise PermissionDenied(_("您没有权限进行此项操作。"))
    if issuer is None:
        errors["agency"] = "请指定下达机关。"
    if errors:
        raise ValidationError(errors)
    task = Task(
        agency=agency,
        issuer=issuer,
        year=year,
        code=code.strip()[:20],
        text=text.strip(),
        deadline=deadline,
        evidence_expected=evidence_expected.strip(),
    )
    with TASK_WORKFLOW.perform(task, "create", by=by) as step:
        task.save()
        task.supporting.set([a for a in supporting if a.pk != agency.pk])
        step.audit_after.update({"text": task.text[:100], "lead": agency.name})
    return step.obj


def _own_office(user: Actor, agency: Any) -> Any:
    """The office itself when it leads a task (it supervises itself for the yearly list)."""

    return next((o for o in supervising_offices(user, "supervision.plan") if o == agency), None)


def task_report(
    *, by: Actor, task: Task, text: str, evidence: str = "", done: bool = False
) -> Task:
    """The lead unit reports progress (or completion) with links to the evidence."""
    links = parse_evidence(evidence)
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    if done and not links:
        raise ValidationError({"evidence": "报送完成时请附佐证材料链接。"})
    name = "complete" if done else "report"
    with TASK_WORKFLOW.perform(task, name, by=by) as step:
        if done:
            step.obj.done_on = timezone.localdate()
        step.record(text=text.strip(), evidence=links)
        step.audit_after["evidence"] = len(links)
    return step.obj


def task_reopen(*, by: Actor, task: Task, reason: str) -> Task:
    """The office sends a completed task back to the lead unit."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回理由。"})
    with TASK_WORKFLOW.perform(task, "reopen", by=by) as step:
        step.obj.done_on = None
        step.record(text=reason.strip())
    return step.obj


# -- reads ------------------------------------------------------------------------------------


def tasks_of_year(user: Actor, year: int) -> QuerySet[Task]:
    """The tasks of ``year`` the user sees, with their units and history."""
    return (
        Task.objects.visible_to(user)
        .filter(year=year)
        .select_related("agency", "issuer")
        .prefetch_related("supporting", Prefetch("events", TaskEvent.objects.order_by("id")))
        .order_by("deadline", "code", "pk")
    )


def latest_progress(task: Task) -> TaskEvent | None:
    """The last report of the lead unit (progress or completion)."""
    reports = [
        e for e in task.events.all() if e.kind in (TaskEventKind.PROGRESS, TaskEventKind.DONE)
    ]
    return reports[-1] if reports else None


def overdue_tasks(root: Any, today: dt.date) -> QuerySet[Task]:
    """Tasks led by units of ``root``'s subtree, not done and past their deadline."""
    return (
        Task.objects.filter(agency__path__startswith=root.path, deadline__lt=today)
        .exclude(status=TaskStatus.DONE)
        .select_related("agency")
        .order_by("deadline", "pk")
    )
