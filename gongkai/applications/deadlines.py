"""The bridge to the clock engine: case events → ``workcalendar`` events → stored deadlines.

No day is counted here. The event log is mapped to the clock's event dataclasses (with
correcting entries applied), ``compute_deadlines`` does all the arithmetic, and the result is
written into the indexed columns of the case (``reply_due_on``, ``due_on`` …) and a JSON copy of
every named deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import Channel, ConsultationParty, EventKind, Status
from gongkai.workcalendar import events as ce
from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock import (
    DEADLINE_LABELS,
    ClockResult,
    ClockStatus,
    DeadlineName,
    DeadlineState,
    compute_deadlines,
)
from gongkai.workcalendar.selectors import get_calendar

if TYPE_CHECKING:
    from gongkai.applications.models import Application, ApplicationEvent

CLOCK_CHANNEL = {
    Channel.IN_PERSON: ce.Channel.IN_PERSON,
    Channel.LETTER: ce.Channel.LETTER,
    Channel.FAX: ce.Channel.FAX,
    Channel.ONLINE: ce.Channel.ONLINE,
    Channel.EMAIL: ce.Channel.EMAIL,
    Channel.OTHER: ce.Channel.OTHER,
}
CLOCK_PARTY = {
    ConsultationParty.THIRD_PARTY: ce.ConsultationParty.THIRD_PARTY,
    ConsultationParty.AGENCY: ce.ConsultationParty.AGENCY,
}
#: How a deadline's state reads to people (the clock's own values are English words).
STATE_LABELS = {
    DeadlineState.PENDING: _("计时中"),
    DeadlineState.OVERDUE: _("已逾期"),
    DeadlineState.PAUSED: _("暂停计时"),
    DeadlineState.WAITING: _("尚未起算"),
    DeadlineState.MET: _("按期完成"),
    DeadlineState.MET_LATE: _("逾期完成"),
    DeadlineState.LAPSED: _("期限届满未行使"),
    DeadlineState.MOOT: _("不再适用"),
}
#: Deadline states in which the organ (or the applicant) still has to act.
RUNNING = {DeadlineState.PENDING, DeadlineState.OVERDUE}
#: Deadlines that put a case in the due/overdue queues. The correction-notice limit (optional
#: step) and the internal target (not a legal limit) are shown on the case page only.
QUEUED = {
    DeadlineName.REPLY,
    DeadlineName.THIRD_PARTY_ANSWER,
    DeadlineName.AGENCY_ANSWER,
    DeadlineName.FEE_PAYMENT,
}
#: Fields this module writes on the case.
DEADLINE_FIELDS = [
    "received_on",
    "reply_due_on",
    "reply_due_provisional",
    "due_on",
    "due_provisional",
    "clock_paused",
    "deadlines",
]


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def effective_facts(rows: list[ApplicationEvent]) -> dict[int, tuple[dt.date, dict[str, Any]]]:
    """Return each non-correcting entry's date and payload with every correction applied."""
    facts: dict[int, tuple[dt.date, dict[str, Any]]] = {}
    for row in rows:
        if row.kind != EventKind.CORRECTION:
            facts[row.pk] = (row.on, dict(row.payload))
    for row in rows:
        if row.kind == EventKind.CORRECTION and row.corrects_id in facts:
            on, payload = facts[row.corrects_id]
            changes = dict(row.payload.get("changes", {}))
            new_on = _date(changes.pop("on", None)) or on
            payload.update(changes)
            facts[row.corrects_id] = (new_on, payload)
    return facts


def longer_deadline_decision(application: Application) -> tuple[dt.date, dict[str, Any]] | None:
    """The case's latest 第三十五条 decision as (decision date, payload), corrections applied.

    The payload holds ``due_on`` (ISO date, as decided) and ``reason`` (the head's note).
    """
    rows = list(application.events.order_by("seq"))
    facts = effective_facts(rows)
    decided = [facts[r.pk] for r in rows if r.kind == EventKind.LONGER_DEADLINE_SET]
    return decided[-1] if decided else None


def _received(p: dict[str, Any], on: dt.date | None = None) -> ce.Received:
    arrived = _date(p.get("arrived_on")) or on
    assert arrived is not None  # noqa: S101 - registration always records it
    return ce.Received(
        channel=CLOCK_CHANNEL[Channel(p["channel"])],
        arrived_on=arrived,
        signed_for_on=_date(p.get("signed_for_on")),
        confirmed_on=_date(p.get("confirmed_on")),
    )


def receipt_date(receipt: dict[str, Any]) -> dt.date | None:
    """Return the 第三十一条 receipt date for registration facts (None if not fixed yet)."""
    result = compute_deadlines(
        [_received(receipt)], get_calendar(), today=timezone.localdate(), explain=False
    )
    return result.received_on


def clock_events(rows: list[ApplicationEvent]) -> list[ce.Event]:
    """Map a case's log entries (in ``seq`` order) to the clock's events."""
    facts = effective_facts(rows)
    out: list[ce.Event] = []
    for row in rows:
        if row.pk not in facts:
            continue
        on, p = facts[row.pk]
        kind = row.kind
        if kind in (EventKind.REGISTERED, EventKind.TRANSFERRED_IN):
            out.append(_received(p, on))
        elif kind == EventKind.CORRECTION_REQUESTED:
            ends_on = _date(p["period_ends_on"])
            if ends_on is None:
                raise ValueError(f"correction notice {row.pk} has no period end")
            out.append(
                ce.CorrectionRequested(on=on, period_ends_on=ends_on, late=bool(p.get("late")))
            )
        elif kind == EventKind.CORRECTION_RECEIVED:
            out.append(ce.CorrectionReceived(on=on))
        elif kind == EventKind.CORRECTION_EXPIRED:
            out.append(ce.CorrectionExpired(on=on))
        elif kind == EventKind.CONSULTATION_SENT:
            out.append(
                ce.ConsultationSent(
                    on=on,
                    consultation_id=str(p["consultation"]),
                    party=CLOCK_PARTY[ConsultationParty(p["party"])],
                    delivered_on=_date(p.get("delivered_on")),
                )
            )
        elif kind == EventKind.CONSULTATION_ANSWERED:
            out.append(ce.ConsultationAnswered(on=on, consultation_id=str(p["consultation"])))
        elif kind == EventKind.EXTENSION_APPROVED:
            out.append(ce.ExtensionApproved(on=on, days=int(p["days"]), reason=p.get("reason", "")))
        elif kind == EventKind.LONGER_DEADLINE_SET:
            due_on = _date(p.get("due_on"))
            assert due_on is not None  # noqa: S101 - the service always records it
            out.append(ce.LongerDeadlineSet(on=on, due_on=due_on, reason=p.get("reason", "")))
        elif kind == EventKind.FEE_NOTICE_SENT:
            out.append(ce.FeeNoticeSent(on=on))
            received = _date(p.get("received_on"))
            if received is not None:
                out.append(ce.FeeNoticeReceived(on=received))
        elif kind == EventKind.FEE_PAID:
            out.append(ce.FeePaid(on=on))
        elif kind == EventKind.FEE_EXPIRED:
            out.append(ce.FeeExpired(on=on))
        elif kind in (EventKind.DELIVERED, EventKind.REPLIED_ON_THE_SPOT, EventKind.TRANSFERRED):
            out.append(ce.Replied(on=on))
        elif kind == EventKind.WITHDRAWN:
            out.append(ce.Withdrawn(on=on))
    return out


def compute(
    application: Application,
    *,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    explain: bool = True,
) -> ClockResult:
    """Run the clock over the case's log as it stands."""
    rows = list(application.events.order_by("seq"))
    return compute_deadlines(
        clock_events(rows),
        calendar or get_calendar(),
        today=today or timezone.localdate(),
        explain=explain,
    )


def compute_events(
    rows: list[ApplicationEvent], *, today: dt.date | None = None, explain: bool = False
) -> ClockResult:
    """Run the clock over a given list of log entries (e.g. without some of them)."""
    return compute_deadlines(
        clock_events(rows), get_calendar(), today=today or timezone.localdate(), explain=explain
    )


def _serialise(result: ClockResult) -> list[dict[str, Any]]:
    return [
        {
            "name": str(d.name),
            "label": DEADLINE_LABELS[d.name],
            "ref": d.ref,
            "due": d.due.isoformat() if d.due else None,
            "state": str(d.state),
            "provisional": d.provisional,
            "citation": d.citation,
        }
        for d in result.deadlines
    ]


def apply_result(application: Application, result: ClockResult) -> dict[str, tuple[Any, Any]]:
    """Write the clock's result into the case's deadline columns; return what changed.

    ``due_on`` is the nearest date on which someone must act: the running reply limit; while the
    reply clock stands still, the consultation answer or fee payment window; while the case
    awaits a correction, the end of the applicant's correction period. Concluded cases keep no
    due date.
    """
    before = {f: getattr(application, f) for f in DEADLINE_FIELDS}
    if result.received_on is not None:
        application.received_on = result.received_on
    reply = result.reply
    application.reply_due_on = reply.due if reply else None
    application.reply_due_provisional = bool(reply and reply.provisional)
    application.clock_paused = result.status is ClockStatus.PAUSED
    candidates: list[tuple[dt.date, bool]] = []
    if application.status not in {
        Status.REPLIED,
        Status.ABANDONED,
        Status.WITHDRAWN,
        Status.TRANSFERRED,
        Status.CLOSED,
    }:
        for d in result.deadlines:
            if d.name in QUEUED and d.due is not None and d.state in RUNNING:
                candidates.append((d.due, d.provisional))
        if (
            application.status == Status.AWAITING_CORRECTION
            and application.correction_period_ends_on
        ):
            candidates.append((application.correction_period_ends_on, False))
    nearest = min(candidates, default=None)
    application.due_on = nearest[0] if nearest else None
    application.due_provisional = bool(nearest and nearest[1])
    application.deadlines = _serialise(result)
    return {
        f: (before[f], getattr(application, f))
        for f in DEADLINE_FIELDS
        if before[f] != getattr(application, f)
    }
