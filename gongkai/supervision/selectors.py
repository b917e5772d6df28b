"""Reads of the 督办 module: the 工作台 queues, the ledger, late and at-risk cases to supervise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.selectors import due_soon_until
from gongkai.catalog.choices import StatutoryItem
from gongkai.core.actors import Actor
from gongkai.supervision.choices import AWAITING_ANSWER, AWAITING_ISSUER, Outcome, Source, Status
from gongkai.supervision.models import Order, Task
from gongkai.supervision.permissions import (
    access_supervised_agency,
    answering_agencies,
    require_supervisor,
    supervised_agencies,
)
from gongkai.supervision.scope import government_path, supervised_filter, supervising_offices

#: Queues of the 督办 ledger: key → (label, filter).
QUEUES: dict[str, tuple[str, Q]] = {
    "todo": (_("待本单位反馈"), Q(status__in=AWAITING_ANSWER)),
    "to_close": (_("待办结"), Q(status__in=AWAITING_ISSUER)),
    "closed": (_("已办结"), Q(status=Status.CLOSED)),
    "all": (_("全部督办单"), Q()),
}


def own_orders(user: Actor) -> QuerySet[Order]:
    """Orders addressed to the agencies where the user may answer."""
    return Order.objects.filter(agency__in=answering_agencies(user))


def issued_orders(user: Actor) -> QuerySet[Order]:
    """Orders to the units the user supervises."""
    return Order.objects.filter(supervised_filter(user, prefix="agency__"))


def home_queues(user: Actor) -> list[dict[str, Any]]:
    """The 工作台 entries: orders to answer (unit) and answers to close (supervisor)."""
    url = reverse("supervision:orders")
    entries = []
    todo = own_orders(user).filter(QUEUES["todo"][1]).count()
    if todo:
        entries.append(
            {"key": "supervision_todo", "label": _("待反馈督办单"), "count": todo,
             "url": f"{url}?queue=todo"}
        )  # fmt: skip
    if supervising_offices(user):
        to_close = issued_orders(user).filter(QUEUES["to_close"][1]).count()
        entries.append(
            {"key": "supervision_to_close", "label": _("待办结督办单"), "count": to_close,
             "url": f"{url}?queue=to_close"}
        )  # fmt: skip
    return entries


def ledger(user: Actor, queue: str = "all") -> QuerySet[Order]:
    """The 督办 ledger the user sees, optionally one queue (todo/to_close/closed)."""
    label_filter = QUEUES.get(queue, QUEUES["all"])[1]
    if queue == "todo":
        base = own_orders(user)
    else:
        base = Order.objects.visible_to(user)
    return base.filter(label_filter).select_related("agency", "issuer").order_by("-created_at")


def ledger_rows(orders: QuerySet[Order], *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per order with its outcome in words (on time, late, unanswered)."""
    today = today or timezone.localdate()
    rows = []
    for order in orders:
        in_time = order.answered_in_time()
        if in_time is None:
            timing = _("逾期未反馈") if order.is_late(today) else _("未反馈")
        else:
            timing = _("按时反馈") if in_time else _("逾期反馈")
        rows.append({"order": order, "timing": timing, "late": order.is_late(today)})
    return rows


def ledger_summary(orders: QuerySet[Order], *, today: dt.date | None = None) -> dict[str, int]:
    """Counts of the ledger: issued, awaiting, answered in time, late, and outcomes."""
    today = today or timezone.localdate()
    return orders.aggregate(
        issued=Count("pk"),
        awaiting=Count("pk", filter=Q(status__in=AWAITING_ANSWER)),
        overdue=Count("pk", filter=Q(status__in=AWAITING_ANSWER, deadline__lt=today)),
        escalated=Count("pk", filter=Q(escalated_on__isnull=False)),
        resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        unresolved=Count("pk", filter=Q(outcome__in=[Outcome.PARTLY, Outcome.UNRESOLVED])),
    )


def cases_to_supervise(user: Actor, *, today: dt.date | None = None) -> QuerySet[Application]:
    """Open cases of supervised units that are overdue or due within 5 working days."""
    today = today or timezone.localdate()
    return (
        Application.objects.open()
        .filter(agency__in=supervised_agencies(user), due_on__lte=due_soon_until(today))
        .select_related("agency")
        .order_by("due_on", "pk")
    )


def supervised_case(user: Actor, pk: Any) -> Application | None:
    """A case of a unit the user supervises (for a 督办单 about it), or None."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        Application.objects.filter(agency__in=supervised_agencies(user), pk=number)
        .select_related("agency")
        .first()
    )


def orders_of_case(application: Application) -> QuerySet[Order]:
    """The 督办单 about one case (for the unit's case page and the supervisor's list)."""
    return Order.objects.filter(application=application).order_by("-created_at")


#: The issue form's fields passed to the service as they are.
ISSUE_FIELDS = ("source", "subject", "note", "deadline")


def supervised_task(user: Actor, pk: Any) -> Any:
    """A task led by a unit the user supervises (for a 督办单 about it), or None."""

    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return Task.objects.filter(agency__in=supervised_agencies(user), pk=number).first()


def issue_initial(
    agency: Any, case: Application | None, task: Any = None, params: Any = None
) -> dict[str, Any]:
    """The issue form's starting values: about the case, task, report or column asked for."""

    params = params or {}
    source = params.get("source", "")
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "agency": agency.pk,
        "source": source if source in Source.values else Source.OTHER,
        "deadline": due_soon_until(today),
    }
    if task is not None:
        initial |= {
            "task": task.pk,
            "source": Source.TASK,
            "subject": _("工作要点任务逾期未完成：%(t)s") % {"t": task.text[:80]},
        }
    if initial["source"] == Source.COLUMN and str(params.get("column", "")).isdigit():
        column = int(params["column"])
        if column in StatutoryItem.values:
            label = StatutoryItem(column).label
            initial["subject"] = _("法定主动公开栏目未按要求更新：%(c)s") % {"c": label}
    if initial["source"] == Source.REPORT:
        initial["subject"] = _("%(y)s年度政府信息公开工作年度报告逾期未发布") % {
            "y": today.year - 1
        }
    if case is not None:
        due = case.due_on
        initial |= {
            "application": case.pk,
            "source": Source.APPLICATION,
            "subject": _("申请 %(n)s 办理期限督办") % {"n": case.registration_number},
            "note": _("该申请的办理期限为%(due)s，请抓紧办理并反馈。")
            % {"due": f"{due.year}年{due.month}月{due.day}日" if due else "—"},
        }
    return initial


def dashboard_scope(user: Actor, params: Any) -> tuple[Any, int]:
    """The dashboard's root unit (``?unit=``, default the user's government) and year."""

    offices = require_supervisor(user)
    if params.get("unit"):
        root = access_supervised_agency(user=user, pk=params.get("unit"))
    else:
        root = Agency.objects.get(path=government_path(offices[0]))
    today = timezone.localdate()
    try:
        year = int(params.get("year") or today.year)
    except ValueError:
        year = today.year
    return root, year if 2008 <= year <= today.year else today.year


def trail(user: Actor, root: Any) -> list[Any]:
    """The supervised ancestors of ``root`` (for the drill-down breadcrumb), root last."""
    ids = root.ancestor_ids()
    found = {a.pk: a for a in supervised_agencies(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
