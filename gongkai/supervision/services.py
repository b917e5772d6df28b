"""Every write of the 督办 module: one function per step, keyword-only, typed.

Each step runs through ``WORKFLOW.perform`` (permission, status, guard, event, audit in one
transaction); messages to the unit's staff are sent after commit through the notification
system (``notifications.staff``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core.actors import SYSTEM, Actor, SystemActor, user_of
from gongkai.core.counters import next_value
from gongkai.core.workflow import StepRefused
from gongkai.notifications.choices import NotificationKind
from gongkai.notifications.staff import notify_staff
from gongkai.supervision.choices import EventKind, Outcome, Source
from gongkai.supervision.models import Order
from gongkai.supervision.scope import office_for
from gongkai.supervision.workflow import WORKFLOW

COUNTER = "supervision.order"
#: Working reminders start this many calendar days before the deadline.
REMIND_DAYS_BEFORE = 2
ANSWERING_ROLES = (Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN)


def format_number(issuer: Any, year: int, serial: int) -> str:
    """The 督办单 number: ``市府办督〔2026〕3号``."""
    return f"{issuer.short_name or issuer.name}督〔{year}〕{serial}号"


def people_of(agency: Any, roles: tuple[str, ...]) -> list[Any]:
    """Active staff holding one of ``roles`` in ``agency`` (or over it through an ancestor)."""

    covering = Q(memberships__agency=agency) | Q(
        memberships__agency_id__in=agency.ancestor_ids(), memberships__includes_subagencies=True
    )
    return list(
        User.objects.filter(covering, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("username")
    )


def _tell(order: Order, roles: tuple[str, ...], event: str, subject: str, body: str) -> None:
    """After commit, e-mail the unit's staff in ``roles`` about ``order``."""

    reference = f"supervision.order:{order.pk}:{event}:{timezone.localdate().isoformat()}"

    def send() -> None:
        notify_staff(
            users=people_of(order.agency, roles),
            kind=NotificationKind.SUPERVISION,
            reference=reference,
            subject=subject,
            body=body,
        )

    transaction.on_commit(send)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def order_issue(
    *,
    by: Actor,
    agency: Any,
    subject: str,
    deadline: dt.date,
    note: str = "",
    source: str = Source.OTHER,
    application: Any = None,
    task: Any = None,
    issuer: Any = None,
    today: dt.date | None = None,
) -> Order:
    """Issue a 督办单 to ``agency``, numbered per issuing office and year."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = "请填写督办事项。"
    if deadline < today:
        errors["deadline"] = "反馈时限不能早于今天。"
    if source not in Source.values:
        errors["source"] = "督办事项类别无效。"
    if application is not None and application.agency_id != agency.pk:
        errors["application"] = "该申请不由被督办单位办理。"
    if task is not None and task.agency_id != agency.pk:
        errors["task"] = "该任务不由被督办单位牵头。"
    if issuer is None and not isinstance(by, SystemActor):
        issuer = office_for(by, agency)
        if issuer is None:
            raise PermissionDenied(_("您没有权限进行此项操作。"))
    if issuer is None:
        errors.setdefault("agency", "您不能向该单位下发督办单。")
    if errors:
        raise ValidationError(errors)
    order = Order(
        agency=agency,
        issuer=issuer,
        year=today.year,
        subject=subject.strip()[:200],
        note=note.strip(),
        deadline=deadline,
        source=source,
        application=application,
        task=task,
        created_by=user_of(by),
    )
    with WORKFLOW.perform(order, "issue", by=by) as step:
        order.serial = next_value(COUNTER, agency=issuer, year=today.year)
        order.number = format_number(issuer, today.year, order.serial)
        step.record(EventKind.ISSUED, note=order.note)
        step.audit_after.update({"number": order.number, "subject": order.subject})
    _tell(
        order,
        ANSWERING_ROLES,
        EventKind.ISSUED,
        f"督办单 {order.number}",
        f"{issuer.name}向你单位下发督办单 {order.number}：{order.subject}。"
        f"请于{_date(deadline)}前在工作台反馈办理情况。\n{order.note}",
    )
    return step.obj


def order_answer(*, by: Actor, order: Order, text: str, today: dt.date | None = None) -> Order:
    """The unit answers a 督办单 with what it has done."""
    if not text.strip():
        raise ValidationError({"text": "请填写办理情况。"})
    with WORKFLOW.perform(order, "answer", by=by) as step:
        step.obj.answer = text.strip()
        step.obj.answered_on = today or timezone.localdate()
        step.audit_after["length"] = len(text.strip())
    return step.obj


def order_return(*, by: Actor, order: Order, reason: str, deadline: dt.date) -> Order:
    """The issuer returns an answer that is not enough, with a new deadline."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回理由。"})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "反馈时限不能早于今天。"})
    with WORKFLOW.perform(order, "return", by=by) as step:
        step.obj.deadline = deadline
        step.obj.answered_on = None
        step.obj.escalated_on = None
        step.record(note=reason.strip())
    _tell(
        step.obj,
        ANSWERING_ROLES,
        EventKind.RETURNED,
        f"督办单 {order.number} 退回重新办理",
        f"督办单 {order.number} 的反馈被退回：{reason.strip()}。请于{_date(deadline)}前重新反馈。",
    )
    return step.obj


def order_close(*, by: Actor, order: Order, outcome: str, note: str = "") -> Order:
    """The issuer closes an answered 督办单 with its finding."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择督办结果。"})
    with WORKFLOW.perform(order, "close", by=by) as step:
        step.obj.outcome = outcome
        step.obj.closing_note = note.strip()
        step.obj.closed_on = timezone.localdate()
        step.record(note=note.strip())
    return step.obj


def order_remind(*, order: Order, today: dt.date, by: Actor = SYSTEM) -> Order:
    """Remind the unit of an order whose deadline is near (at most once a day)."""
    with WORKFLOW.perform(order, "remind", by=by) as step:
        step.obj.reminded_on = today
        step.record(note=f"反馈时限：{_date(step.obj.deadline)}")
        step.audit_after["reminded_on"] = today.isoformat()
    _tell(
        step.obj,
        ANSWERING_ROLES,
        EventKind.REMINDED,
        f"督办单 {order.number} 催办",
        f"督办单 {order.number}（{order.subject}）请于{_date(order.deadline)}前反馈办理情况。",
    )
    return step.obj


def order_escalate(*, order: Order, today: dt.date, by: Actor = SYSTEM) -> Order:
    """Report an order unanswered past its deadline to the unit's 负责人."""
    with WORKFLOW.perform(order, "escalate", by=by) as step:
        step.obj.escalated_on = today
        step.record(note=f"反馈时限{_date(step.obj.deadline)}已过，未反馈。")
    _tell(
        step.obj,
        (Role.HEAD,),
        EventKind.ESCALATED,
        f"督办单 {order.number} 逾期未反馈",
        f"{order.issuer.name}下发的督办单 {order.number}（{order.subject}）反馈时限为"
        f"{_date(order.deadline)}，你单位至今未反馈，请督促办理。",
    )
    return step.obj


def remind_and_escalate(*, today: dt.date | None = None) -> dict[str, int]:
    """The scheduled sweep: remind before deadlines, escalate after them. Returns counts."""
    today = today or timezone.localdate()
    waiting = Order.objects.awaiting_answer().select_related("agency", "issuer")
    reminded = escalated = 0
    soon = waiting.filter(
        deadline__gte=today, deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    ).exclude(reminded_on=today)
    for order in soon:
        order_remind(order=order, today=today)
        reminded += 1
    for order in waiting.filter(deadline__lt=today, escalated_on__isnull=True):
        try:
            order_escalate(order=order, today=today)
        except StepRefused:  # answered or escalated meanwhile
            continue
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}
