"""Every state change of a case, in one table: the statuses it may start from, the statuses
it may lead to, and the permission action (``gongkai.accounts.permissions.ACTION_ROLES``).

Services call ``check_transition(name, application.status)`` before changing anything and
``check_target(name, target)`` for the status they set; views use ``allowed_actions`` to show
only the actions possible now. Nothing else decides which step may follow which.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from gongkai.applications.choices import CONCLUDED_STATUSES, OPEN_STATUSES, Status

S = Status
#: Open statuses in which the case is still being worked on before the reply is approved.
WORKING = frozenset({S.HANDLING, S.AWAITING_CORRECTION, S.CONSULTING, S.AWAITING_FEE})
#: Open statuses in which the reply limit runs or is paused (the head may still extend it);
#: not while awaiting a correction (the limit has not started again yet).
BEFORE_REPLY = (WORKING - {S.AWAITING_CORRECTION}) | {S.IN_REVIEW, S.IN_APPROVAL}
ANY = frozenset(Status.values)


@dataclass(frozen=True)
class Transition:
    """One step: from ``sources`` to one of ``targets`` (empty: the status does not change)."""

    label: str
    sources: frozenset[str]
    targets: frozenset[str]
    permission: str


def _t(label: str, sources: frozenset[str] | set[str], targets: set[str], perm: str) -> Transition:
    return Transition(label, frozenset(sources), frozenset(targets), f"application.{perm}")


#: name -> transition. ``register`` starts from no status (``None``).
TRANSITIONS: dict[str, Transition] = {
    "register": _t("登记", set(), {S.HANDLING, S.REPLIED}, "register"),
    "assign": _t("分配经办人", OPEN_STATUSES, set(), "assign"),
    "request_correction": _t("补正告知", {S.HANDLING}, {S.AWAITING_CORRECTION}, "handle"),
    "receive_correction": _t("收到补正", {S.AWAITING_CORRECTION}, {S.HANDLING}, "handle"),
    "expire_correction": _t("逾期未补正", {S.AWAITING_CORRECTION}, {S.ABANDONED}, "handle"),
    "send_consultation": _t("征求意见", {S.HANDLING, S.CONSULTING}, {S.CONSULTING}, "handle"),
    "answer_consultation": _t("收到意见", {S.CONSULTING}, {S.CONSULTING, S.HANDLING}, "handle"),
    "approve_extension": _t("延期答复", BEFORE_REPLY, set(), "approve_extension"),
    "set_longer_deadline": _t(
        "确定合理答复期限（第三十五条）", BEFORE_REPLY, set(), "set_longer_deadline"
    ),
    "send_fee_notice": _t("收费通知", {S.HANDLING}, {S.AWAITING_FEE}, "handle"),
    "pay_fee": _t("缴费", {S.AWAITING_FEE}, {S.HANDLING}, "handle"),
    "expire_fee": _t("逾期未缴费", {S.AWAITING_FEE}, {S.ABANDONED}, "handle"),
    "draft_reply": _t("拟写答复", {S.HANDLING}, set(), "handle"),
    "submit_for_review": _t("提交审核", {S.HANDLING}, {S.IN_REVIEW}, "handle"),
    "approve_review": _t("审核通过", {S.IN_REVIEW}, {S.IN_APPROVAL}, "review"),
    "return_review": _t("审核退回", {S.IN_REVIEW}, {S.HANDLING}, "review"),
    "approve_reply": _t("批准答复", {S.IN_APPROVAL}, {S.APPROVED}, "approve"),
    "return_approval": _t("审批退回", {S.IN_APPROVAL}, {S.HANDLING}, "approve"),
    "record_delivery": _t("送达", {S.APPROVED}, {S.REPLIED}, "handle"),
    "transfer": _t("转办", {S.HANDLING}, {S.TRANSFERRED}, "handle"),
    "withdraw": _t("撤回申请", OPEN_STATUSES, {S.WITHDRAWN}, "handle"),
    "close": _t("办结", CONCLUDED_STATUSES - {S.CLOSED}, {S.CLOSED}, "handle"),
    "correct_event": _t("更正记录", ANY, set(), "correct"),
    "record_appeal": _t("登记复议诉讼", ANY, set(), "record_appeal"),
    # A letter (告知书/答复书) issued by the letters app is logged on the case; any status.
    "record_letter": Transition("制发文书", ANY, frozenset(), "letter.issue"),
}


def check_transition(name: str, status: str | None) -> Transition:
    """Return the transition ``name`` if it may start from ``status``; else raise ValidationError."""
    transition = TRANSITIONS[name]
    if status is None:
        if transition.sources:
            raise ValidationError(f"“{transition.label}”不能用于新案件。")
        return transition
    if status not in transition.sources:
        raise ValidationError(
            f"案件当前状态为“{Status(status).label}”，不能进行“{transition.label}”。",
            code="bad_transition",
        )
    return transition


def check_target(name: str, target: str) -> None:
    """Raise ValidationError unless ``target`` is a status transition ``name`` may lead to."""
    if target not in TRANSITIONS[name].targets:
        raise ValidationError(f"“{TRANSITIONS[name].label}”不能导致状态“{Status(target).label}”。")


def transitions_from(status: str) -> list[str]:
    """Return the names of the transitions that may start from ``status``."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources]
