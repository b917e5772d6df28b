"""The 督办单 workflow in one table, run by the workflow kernel.

待反馈 (issued by the supervising office) → 已反馈 (the unit answers) → 已办结 (the issuer
closes with an outcome), or back to 待反馈 (the issuer returns the answer). While an order
waits for its answer the platform reminds the unit before the deadline and, after it, reports
the order to the unit's 负责人 (escalation); neither changes the status.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.actors import SYSTEM
from gongkai.core.workflow import Transition, Workflow, event_recorder
from gongkai.supervision.choices import EventKind, TaskEventKind, TaskStatus
from gongkai.supervision.choices import Status as S
from gongkai.supervision.models import Order, OrderEvent, Task, TaskEvent
from gongkai.supervision.scope import check


def _answered(order: Order) -> str | None:
    return None if order.answer.strip() else "尚未反馈办理情况。"


def _past_deadline(order: Order) -> str | None:
    if order.escalated_on is not None:
        return "已报送负责人。"
    if timezone.localdate() <= order.deadline:
        return "尚未超过反馈时限。"
    return None


TRANSITIONS = [
    # The platform issues on an office's behalf (the demo, imports): the service names the issuer.
    Transition(
        "issue", _("下发督办单"), set(), S.OPEN, action="supervision.issue", actors={SYSTEM}
    ),
    Transition(
        "remind",
        _("催办"),
        {S.OPEN},
        None,
        action="supervision.issue",
        event=EventKind.REMINDED,
        actors={SYSTEM},
    ),
    Transition(
        "escalate",
        _("报送负责人"),
        {S.OPEN},
        None,
        action="supervision.issue",
        event=EventKind.ESCALATED,
        guard=_past_deadline,
        actors={SYSTEM},
    ),
    Transition(
        "answer",
        _("反馈办理情况"),
        {S.OPEN},
        S.ANSWERED,
        action="supervision.answer",
        event=EventKind.ANSWERED,
    ),
    Transition(
        "return",
        _("退回重新办理"),
        {S.ANSWERED},
        S.OPEN,
        action="supervision.issue",
        event=EventKind.RETURNED,
    ),
    Transition(
        "close",
        _("办结"),
        {S.ANSWERED},
        S.CLOSED,
        action="supervision.issue",
        event=EventKind.CLOSED,
        guard=_answered,
    ),
]


def describe(order: Order) -> str:
    """How audit entries name a 督办单: its number and the unit."""
    return f"{order.number}（{order.agency.name}）"


WORKFLOW = Workflow(
    model=Order,
    transitions=TRANSITIONS,
    check=check,
    record_event=event_recorder(OrderEvent, "order"),
    audit_prefix="supervision",
    describe=describe,
    audit_fields=("status", "deadline", "outcome", "escalated_on"),
    related=("agency", "issuer"),
)


#: The yearly task list: the office enters a task; the lead unit reports progress and completion;
#: the office may send a completed task back.
TASK_TRANSITIONS = [
    Transition(
        "create",
        _("下达任务"),
        set(),
        TaskStatus.IN_PROGRESS,
        action="supervision.plan",
        event=TaskEventKind.CREATED,
        actors={SYSTEM},
    ),
    Transition(
        "report",
        _("报送进展"),
        {TaskStatus.IN_PROGRESS},
        None,
        action="supervision.answer",
        event=TaskEventKind.PROGRESS,
    ),
    Transition(
        "complete",
        _("报送完成"),
        {TaskStatus.IN_PROGRESS},
        TaskStatus.DONE,
        action="supervision.answer",
        event=TaskEventKind.DONE,
    ),
    Transition(
        "reopen",
        _("退回继续推进"),
        {TaskStatus.DONE},
        TaskStatus.IN_PROGRESS,
        action="supervision.plan",
        event=TaskEventKind.REOPENED,
    ),
]


TASK_WORKFLOW = Workflow(
    model=Task,
    transitions=TASK_TRANSITIONS,
    check=check,
    record_event=event_recorder(TaskEvent, "task"),
    audit_prefix="supervision.task",
    describe=lambda task: f"{task.year}年工作要点任务{task.code}（{task.agency.name}）",
    audit_fields=("status", "deadline"),
    related=("agency", "issuer"),
)
