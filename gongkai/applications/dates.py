"""The date invariants of a case, in one place.

Every date recorded on a case's timeline lies between the receipt of the application and
today, and the dates follow the order the law gives the steps: arrival ≤ confirmation or
signature (第三十一条) ≤ notices (补正告知, 征求意见, 收费通知) ≤ their answers ≤ the head's
approval ≤ delivery. A step whose new entries break one of these rules is refused with a
Chinese message naming the rule; the step's transaction is rolled back, so nothing is saved.

``violations`` reads the whole log (corrections applied, as the clock reads it), so the same
rules hold for entries corrected later (更正记录). ``check_step`` is called by the workflow
for every step (``applications.workflow``): only violations that involve an entry written by
the step itself refuse it, so a record imported with older inconsistencies can still be
worked on. What the law permits but a supervisor should see (a late confirmation of a letter,
a late payment) stays a warning of the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.applications.choices import EventKind as K
from gongkai.applications.deadlines import effective_facts

if TYPE_CHECKING:
    from gongkai.applications.models import Application, ApplicationEvent
    from gongkai.core.workflow import Step

#: Which service argument carries the date of each kind of entry (form errors go there).
DATE_FIELD: dict[str, str] = {
    K.REGISTERED: "arrived_on",
    K.TRANSFERRED_IN: "arrived_on",
    K.CONSULTATION_SENT: "sent_on",
    K.CONSULTATION_ANSWERED: "answered_on",
    K.FEE_NOTICE_SENT: "sent_on",
    K.FEE_PAID: "paid_on",
    K.DELIVERED: "delivered_on",
}
#: Entries that are not facts of the handling: not checked against the receipt date.
NOT_HANDLING = {
    K.REGISTERED,
    K.TRANSFERRED_IN,
    K.HANDLER_ASSIGNED,
    K.CORRECTION,
    K.APPEAL_RECORDED,
    K.DEADLINES_RECOMPUTED,
}
#: Steps during the handling that a conclusion cannot precede.
HANDLING_STEPS = {
    K.CORRECTION_REQUESTED,
    K.CORRECTION_RECEIVED,
    K.CONSULTATION_SENT,
    K.CONSULTATION_ANSWERED,
    K.THIRD_PARTY_NOTIFIED,
    K.EXTENSION_REQUESTED,
    K.EXTENSION_APPROVED,
    K.EXTENSION_REFUSED,
    K.LONGER_DEADLINE_SET,
    K.FEE_NOTICE_SENT,
    K.FEE_PAID,
    K.REVIEW_APPROVED,
    K.APPROVAL_APPROVED,
}
#: Entries that conclude the case (办结 by result).
CONCLUSIONS = {
    K.DELIVERED,
    K.TRANSFERRED,
    K.WITHDRAWN,
    K.CORRECTION_EXPIRED,
    K.FEE_EXPIRED,
}
#: (later step, the step it must follow, the rule) — the reply's internal order (第四十五条).
FOLLOWS = [
    (
        K.EXTENSION_APPROVED,
        K.EXTENSION_REQUESTED,
        "负责人同意延期不能早于经办人提出延期申请（第三十三条第二款）",
    ),
    (K.EXTENSION_REFUSED, K.EXTENSION_REQUESTED, "负责人的决定不能早于经办人提出延期申请"),
    (
        K.APPROVAL_APPROVED,
        K.REVIEW_APPROVED,
        "答复应当先经审核（保密审查、合法性审查）再由负责人批准",
    ),
    (K.DELIVERED, K.APPROVAL_APPROVED, "答复应当经负责人批准后送达申请人"),
]
#: Dates inside the payload that record something that happened (not a period's end).
PAYLOAD_FACTS: dict[str, dict[str, str]] = {
    K.REGISTERED: {"signed_for_on": "签收日期", "confirmed_on": "确认收到申请的日期"},
    K.TRANSFERRED_IN: {"confirmed_on": "确认收到申请的日期"},
    K.CONSULTATION_SENT: {"delivered_on": "对方收到征求意见书的日期"},
    K.FEE_NOTICE_SENT: {"received_on": "申请人收到收费通知的日期"},
}


@dataclass(frozen=True)
class Violation:
    """One broken date rule: the message names the rule; ``seqs`` are the entries involved."""

    message: str
    seqs: tuple[int, ...]
    field: str = "on"


def cn(day: dt.date) -> str:
    """``2026年02月10日``."""
    return f"{day:%Y年%m月%d日}"


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _label(kind: str) -> str:
    return str(K(kind).label)


def violations(
    application: Application,
    rows: list[ApplicationEvent] | None = None,
    *,
    today: dt.date | None = None,
) -> list[Violation]:
    """Every broken date rule of the case's log (corrections applied)."""
    today = today or timezone.localdate()
    rows = rows if rows is not None else list(application.events.order_by("seq"))
    facts = effective_facts(rows)
    live = [(r, *facts[r.pk]) for r in rows if r.pk in facts]
    out: list[Violation] = []
    receipt = application.received_on
    arrival: dt.date | None = None
    latest: dict[str, tuple[dt.date, int]] = {}
    handled: list[tuple[dt.date, int, str]] = []
    consultations: dict[str, tuple[dt.date, int]] = {}
    for row, on, payload in live:
        kind = row.kind
        field = DATE_FIELD.get(kind, "on")
        if on > today:
            out.append(
                Violation(
                    f"{_label(kind)}的日期（{cn(on)}）晚于今天（{cn(today)}）：尚未发生的事项不能登记。",
                    (row.seq,),
                    field,
                )
            )
        if kind in (K.REGISTERED, K.TRANSFERRED_IN):
            arrival = arrival or _date(payload.get("arrived_on")) or on
            out.extend(_receipt_rules(row.seq, arrival, payload, today))
            continue
        if kind in NOT_HANDLING:
            continue
        if receipt is not None and on < receipt:
            out.append(
                Violation(
                    f"{_label(kind)}的日期（{cn(on)}）早于收到申请之日（{cn(receipt)}）。"
                    "依第三十一条确定收到申请之日，此后的办理事项不能早于该日。",
                    (row.seq,),
                    field,
                )
            )
        out.extend(_pair_rules(row.seq, kind, on, payload, latest, consultations, today))
        for later, earlier, rule in FOLLOWS:
            if kind == later and earlier in latest and on < latest[earlier][0]:
                before, seq = latest[earlier]
                out.append(
                    Violation(
                        f"{_label(kind)}的日期（{cn(on)}）早于{_label(earlier)}的日期（{cn(before)}）：{rule}。",
                        (row.seq, seq),
                        field,
                    )
                )
        if kind in CONCLUSIONS:
            for before, seq, what in handled:
                if on < before:
                    out.append(
                        Violation(
                            f"{_label(kind)}的日期（{cn(on)}）早于本案已登记的{_label(what)}（{cn(before)}）："
                            "案件不能在办理过程中的事项发生以前办结。",
                            (row.seq, seq),
                            field,
                        )
                    )
        if kind in HANDLING_STEPS:
            handled.append((on, row.seq, kind))
        latest[kind] = (on, row.seq)
    return out


def _receipt_rules(
    seq: int, arrival: dt.date, payload: dict[str, Any], today: dt.date
) -> list[Violation]:
    """第三十一条: signature and confirmation follow the arrival, and have happened."""
    out = []
    for key, label in PAYLOAD_FACTS[K.REGISTERED].items():
        day = _date(payload.get(key))
        if day is None:
            continue
        if day < arrival:
            out.append(
                Violation(
                    f"{label}（{cn(day)}）早于申请到达之日（{cn(arrival)}）。第三十一条：申请到达后才能签收或与申请人确认。",
                    (seq,),
                    key,
                )
            )
        if day > today:
            out.append(
                Violation(f"{label}（{cn(day)}）晚于今天：尚未发生的事项不能登记。", (seq,), key)
            )
    return out


def _pair_rules(
    seq: int,
    kind: str,
    on: dt.date,
    payload: dict[str, Any],
    latest: dict[str, tuple[dt.date, int]],
    consultations: dict[str, tuple[dt.date, int]],
    today: dt.date,
) -> list[Violation]:
    """A notice precedes its answer: 补正 (第三十条), 征求意见 (第三十二、三十四条), 收费通知."""
    out: list[Violation] = []
    for key, label in PAYLOAD_FACTS.get(kind, {}).items():
        day = _date(payload.get(key))
        if day is None:
            continue
        if day < on:
            out.append(
                Violation(
                    f"{label}（{cn(day)}）早于发出日期（{cn(on)}）：通知、函件发出后才能收到。",
                    (seq,),
                    key,
                )
            )
        if day > today:
            out.append(
                Violation(f"{label}（{cn(day)}）晚于今天：尚未发生的事项不能登记。", (seq,), key)
            )
    if kind == K.CONSULTATION_SENT:
        ref = str(payload.get("consultation"))
        delivered = _date(payload.get("delivered_on"))
        consultations[ref] = (max(on, delivered) if delivered else on, seq)
    elif kind == K.CONSULTATION_ANSWERED:
        sent = consultations.get(str(payload.get("consultation")))
        if sent is not None and on < sent[0]:
            out.append(
                Violation(
                    f"收到征求意见答复的日期（{cn(on)}）早于征求意见书发出或送达的日期（{cn(sent[0])}）"
                    "（第三十二条、第三十四条）。",
                    (seq, sent[1]),
                    "answered_on",
                )
            )
    elif kind == K.CORRECTION_RECEIVED and K.CORRECTION_REQUESTED in latest:
        sent_on, sent_seq = latest[K.CORRECTION_REQUESTED]
        if on < sent_on:
            out.append(
                Violation(
                    f"收到补正的日期（{cn(on)}）早于补正告知日期（{cn(sent_on)}）（第三十条）。",
                    (seq, sent_seq),
                )
            )
    elif kind == K.FEE_PAID and K.FEE_NOTICE_SENT in latest:
        sent_on, sent_seq = latest[K.FEE_NOTICE_SENT]
        if on < sent_on:
            out.append(
                Violation(
                    f"缴费日期（{cn(on)}）早于收费通知发出日期（{cn(sent_on)}）"
                    "（《政府信息公开信息处理费管理办法》：收到收费通知后缴费）。",
                    (seq, sent_seq),
                    "paid_on",
                )
            )
    return out


def check_step(step: Step) -> None:
    """Refuse the step if an entry it wrote (or corrected) breaks a date rule."""
    first = getattr(step, "first_new_seq", None)
    if first is None:
        return
    rows = list(step.obj.events.order_by("seq"))
    touched = {r.seq for r in rows if r.seq >= first}
    by_pk = {r.pk: r.seq for r in rows}
    for row in rows:
        if row.seq >= first and row.corrects_id in by_pk:
            touched.add(by_pk[row.corrects_id])
    found = [v for v in violations(step.obj, rows) if touched & set(v.seqs)]
    if found:
        errors: dict[str, list[str]] = {}
        for v in found:
            errors.setdefault(v.field, []).append(v.message)
        raise ValidationError(errors)
