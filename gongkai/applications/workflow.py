"""Every state change of a case, in one table (``TRANSITIONS``), run by the workflow kernel.

Each step names the statuses it may start from, the status(es) it may lead to, the permission
action (``accounts.permissions.ACTION_ROLES``), the guard on the case and the system actors
allowed (the applicant online, for the steps the portal offers). The services in
``applications.services`` run each step through ``WORKFLOW.perform``; pages ask ``may``.
Nothing else decides which step may follow which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.applications import dates, deadlines, notifications
from gongkai.applications.choices import (
    CONCLUDED_STATUSES,
    OPEN_STATUSES,
    ConsultationOutcome,
    ConsultationParty,
    Result,
    Status,
)
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.core.actors import Actor, SystemActor, user_of
from gongkai.core.workflow import Step, Transition, Workflow
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey

#: The applicant acting on their own case online (no staff account): the portal and the API.
APPLICANT = SystemActor("applicant", "申请人（网上）")

S = Status
#: Open statuses in which the case is still being worked on before the reply is approved.
WORKING = frozenset({S.HANDLING, S.AWAITING_CORRECTION, S.CONSULTING, S.AWAITING_FEE})
#: Open statuses in which the reply limit runs or is paused (the head may still extend it);
#: not while awaiting a correction (the limit has not started again yet).
BEFORE_REPLY = (WORKING - {S.AWAITING_CORRECTION}) | {S.IN_REVIEW, S.IN_APPROVAL}
ANY = frozenset(Status.values)


# -- guards: preconditions on the case (the message is the refusal) ---------------------------


def _correction_not_sent(app: Application) -> str | None:
    if app.correction_requested_on is not None:
        return "补正告知应当一次性告知（第三十条），本案已经发出过补正告知。"
    return None


def _longer_deadline_in_force(app: Application) -> str | None:
    if DEFAULT_RULES.find(RuleKey.LONGER_DEADLINE, app.received_on) is None:
        return "第三十五条自2019年5月15日起施行，本案不适用。"
    return None


def _no_fee_notice_yet(app: Application) -> str | None:
    return "本案已经发出过收费通知。" if app.fee_notices.exists() else None


def _objection_recorded(app: Application) -> str | None:
    objected = app.consultations.filter(
        party=ConsultationParty.THIRD_PARTY, outcome=ConsultationOutcome.OBJECTED
    )
    return None if objected.exists() else "本案没有第三方不同意公开的意见（第三十二条）。"


def _extension_requested(app: Application) -> str | None:
    # Cycle: the services import this workflow (its transitions).
    from gongkai.applications.services.extension import pending_extension_request

    return None if pending_extension_request(app) else "没有待审批的延期申请。"


def _no_extension_request_pending(app: Application) -> str | None:
    # Cycle: the services import this workflow (its transitions).
    from gongkai.applications.services.extension import pending_extension_request

    return "已有待负责人审批的延期申请。" if pending_extension_request(app) else None


def _reply_drafted(app: Application) -> str | None:
    return None if app.proposed_result else "请先拟写答复。"


#: Checks other apps add on the reply before it goes to review and to approval (the response
#: documents register theirs: every file rendered and checked). Each returns a refusal or None.
REPLY_CHECKS: list[Callable[[Application], str | None]] = []


def _reply_checks_pass(app: Application) -> str | None:
    for check in REPLY_CHECKS:
        message = check(app)
        if message:
            return message
    return None


def _reply_ready(app: Application) -> str | None:
    return _reply_drafted(app) or _reply_checks_pass(app)


def _step(
    name: str,
    label: Any,
    sources: frozenset[str] | set[str],
    targets: set[str],
    perm: str,
    **extra: Any,
) -> Transition:
    """A transition whose permission action is ``application.<perm>``."""
    one = next(iter(targets)) if len(targets) == 1 else None
    return Transition(
        name,
        label,
        frozenset(sources),
        target=one,
        choices=frozenset(targets) if one is None else frozenset(),
        action=perm if "." in perm else f"application.{perm}",
        **extra,
    )


ONLINE = frozenset({APPLICANT})

#: name -> transition. ``register`` starts from no status (it creates the case).
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _step("register", _("登记"), set(), {S.HANDLING, S.REPLIED}, "register", actors=ONLINE),
        _step("assign", _("分配经办人"), OPEN_STATUSES, set(), "assign"),
        _step(
            "request_correction",
            _("补正告知"),
            {S.HANDLING},
            {S.AWAITING_CORRECTION},
            "handle",
            guard=_correction_not_sent,
        ),
        _step(
            "receive_correction",
            _("收到补正"),
            {S.AWAITING_CORRECTION},
            {S.HANDLING},
            "handle",
            actors=ONLINE,
        ),
        _step(
            "expire_correction", _("逾期未补正"), {S.AWAITING_CORRECTION}, {S.ABANDONED}, "handle"
        ),
        _step(
            "send_consultation", _("征求意见"), {S.HANDLING, S.CONSULTING}, {S.CONSULTING}, "handle"
        ),
        _step(
            "answer_consultation",
            _("收到意见"),
            {S.CONSULTING},
            {S.CONSULTING, S.HANDLING},
            "handle",
        ),
        _step(
            "notify_third_party",
            _("告知第三方决定公开"),
            {S.HANDLING, S.IN_REVIEW, S.IN_APPROVAL, S.APPROVED},
            set(),
            "handle",
            guard=_objection_recorded,
        ),
        _step(
            "request_extension",
            _("申请延期答复"),
            BEFORE_REPLY,
            set(),
            "handle",
            guard=_no_extension_request_pending,
        ),
        _step("approve_extension", _("延期答复"), BEFORE_REPLY, set(), "approve_extension"),
        _step(
            "refuse_extension",
            _("不同意延期"),
            BEFORE_REPLY,
            set(),
            "approve_extension",
            guard=_extension_requested,
        ),
        _step(
            "set_longer_deadline",
            _("确定合理答复期限（第三十五条）"),
            BEFORE_REPLY,
            set(),
            "set_longer_deadline",
            guard=_longer_deadline_in_force,
        ),
        _step(
            "send_fee_notice",
            _("收费通知"),
            {S.HANDLING},
            {S.AWAITING_FEE},
            "handle",
            guard=_no_fee_notice_yet,
        ),
        _step("pay_fee", _("缴费"), {S.AWAITING_FEE}, {S.HANDLING}, "handle"),
        _step("expire_fee", _("逾期未缴费"), {S.AWAITING_FEE}, {S.ABANDONED}, "handle"),
        _step("draft_reply", _("拟写答复"), {S.HANDLING}, set(), "handle"),
        _step(
            "submit_for_review",
            _("提交审核"),
            {S.HANDLING},
            {S.IN_REVIEW},
            "handle",
            guard=_reply_ready,
        ),
        _step(
            "approve_review",
            _("审核通过"),
            {S.IN_REVIEW},
            {S.IN_APPROVAL},
            "review",
            guard=_reply_checks_pass,
        ),
        _step("return_review", _("审核退回"), {S.IN_REVIEW}, {S.HANDLING}, "review"),
        _step(
            "approve_reply",
            _("批准答复"),
            {S.IN_APPROVAL},
            {S.APPROVED},
            "approve",
            guard=_reply_checks_pass,
        ),
        _step("return_approval", _("审批退回"), {S.IN_APPROVAL}, {S.HANDLING}, "approve"),
        _step("record_delivery", _("送达"), {S.APPROVED}, {S.REPLIED}, "handle"),
        _step("transfer", _("转办"), {S.HANDLING}, {S.TRANSFERRED}, "handle"),
        _step("withdraw", _("撤回申请"), OPEN_STATUSES, {S.WITHDRAWN}, "handle", actors=ONLINE),
        _step("close", _("办结"), CONCLUDED_STATUSES - {S.CLOSED}, {S.CLOSED}, "handle"),
        _step("correct_event", _("更正记录"), ANY, set(), "correct"),
        _step("record_appeal", _("登记复议诉讼"), ANY, set(), "record_appeal"),
        # A letter (告知书/答复书) issued by the letters app is logged on the case; any status.
        _step("record_letter", _("制发文书"), ANY, set(), "letter.issue"),
    ]
}

#: Case fields recorded in audit entries when a step changes them (no personal data).
STATE_FIELDS = [
    "status",
    "handler",
    "proposed_result",
    "result",
    "replied_on",
    "closed_on",
    "filed_on",
    "received_on",
    "reply_due_on",
    "reply_due_provisional",
    "due_on",
    "extension_days",
    "correction_period_ends_on",
    "corrected_on",
]


def append_event(
    application: Application,
    kind: str,
    *,
    by: Actor,
    on: dt.date | None = None,
    payload: dict[str, Any] | None = None,
    note: str = "",
    corrects: ApplicationEvent | None = None,
) -> ApplicationEvent:
    """Append an entry to the case's timeline (the next ``seq``; ``on`` defaults to today)."""
    last = application.events.aggregate(m=Max("seq"))["m"] or 0
    return ApplicationEvent.objects.create(
        application=application,
        seq=last + 1,
        kind=kind,
        on=on or timezone.localdate(),
        actor=user_of(by),
        payload=payload or {},
        note=note,
        corrects=corrects,
    )


def _record(step: Step, kind: str, **details: Any) -> ApplicationEvent:
    event = append_event(step.obj, kind, by=step.by, **details)
    if getattr(step, "first_new_seq", None) is None:
        step.first_new_seq = event.seq  # type: ignore[attr-defined]
    return event


def _recompute_deadlines(step: Step) -> None:
    """Every step recomputes the statutory deadlines from the (new) timeline, then checks the
    date invariants of what it recorded (``applications.dates``; a violation refuses the step)."""
    deadlines.apply_result(step.obj, deadlines.compute(step.obj, explain=False))
    dates.check_step(step)


WORKFLOW = Workflow(
    model=Application,
    transitions=TRANSITIONS.values(),
    check=require,
    record_event=_record,
    audit_prefix="application",
    audit_fields=STATE_FIELDS,
    before_save=_recompute_deadlines,
)


def notify(application: Application, kind: str) -> None:
    """Send the applicant's notification ``kind`` once the step's transaction has committed."""
    pk = application.pk
    transaction.on_commit(lambda: notifications.notify(kind, application_id=pk))


def conclude(step: Step, result: str, on: dt.date) -> None:
    """Give the case its result (办结) on ``on``; the step's target status follows."""
    step.obj.result = Result(result)
    step.obj.closed_on = on


def may(user: Actor, name: str, application: Application) -> bool:
    """True if ``user`` could take step ``name`` on the case now (role, status, guard)."""
    return WORKFLOW.may(user, name, application)


def allowed_actions(user: Actor, application: Application) -> list[str]:
    """The names of the steps ``user`` could take on the case now, in table order."""
    return [n for n in TRANSITIONS if n != "register" and WORKFLOW.may(user, n, application)]
