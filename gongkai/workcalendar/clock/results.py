"""Result types of the clock engine: deadline names and states, case status, warnings.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DeadlineName(StrEnum):
    """The deadlines a case can have."""

    REPLY = "reply"  # 答复期限
    CORRECTION_NOTICE = "correction_notice"  # 补正告知期限
    THIRD_PARTY_ANSWER = "third_party_answer"  # 第三方答复期限
    AGENCY_ANSWER = "agency_answer"  # 被征求意见机关答复期限
    FEE_PAYMENT = "fee_payment"  # 缴费期限
    INTERNAL_TARGET = "internal_target"  # 内部办理目标


class DeadlineState(StrEnum):
    """Where a deadline stands on ``today``."""

    PENDING = "pending"  # running; due today or later
    OVERDUE = "overdue"  # running; due date passed, the organ's duty unmet
    PAUSED = "paused"  # the clock stands still (consultation, fee)
    WAITING = "waiting"  # not running yet (awaiting a correction, a delivery date)
    MET = "met"  # done on time
    MET_LATE = "met_late"  # done after the due date
    LAPSED = "lapsed"  # the window passed unused (no correction notice, no answer, no payment)
    MOOT = "moot"  # no longer relevant (the case closed otherwise)


class ClockStatus(StrEnum):
    """The case status the events imply."""

    NOT_RECEIVED = "not_received"  # no receipt date yet (e.g. awaiting both-sides confirmation)
    OPEN = "open"
    AWAITING_CORRECTION = "awaiting_correction"
    PAUSED = "paused"
    CLOSED_REPLIED = "closed_replied"
    CLOSED_ABANDONED_CORRECTION = "closed_abandoned_correction"  # 逾期不补正，视为放弃
    CLOSED_ABANDONED_FEE = "closed_abandoned_fee"  # 逾期未缴费，视为放弃
    CLOSED_WITHDRAWN = "closed_withdrawn"

    @property
    def is_closed(self) -> bool:
        """Return whether the status ends processing."""
        return self.value.startswith("closed_")


class PauseReason(StrEnum):
    """Why the reply clock stands still."""

    CONSULTATION = "consultation"
    FEE = "fee"


class WarningCode(StrEnum):
    """Irregularities the engine reports (never silently fixes)."""

    DUPLICATE_RECEIPT = "duplicate_receipt"
    LATE_POST_CONFIRMATION = "late_post_confirmation"
    RECEIPT_BEFORE_ARRIVAL = "receipt_before_arrival"
    OTHER_CHANNEL = "other_channel"
    EVENT_BEFORE_RECEIPT = "event_before_receipt"
    EVENT_AFTER_CLOSURE = "event_after_closure"
    LATE_CORRECTION_NOTICE = "late_correction_notice"
    REPEATED_CORRECTION_NOTICE = "repeated_correction_notice"
    CORRECTION_PERIOD_INVALID = "correction_period_invalid"
    CORRECTION_WITHOUT_REQUEST = "correction_without_request"
    CORRECTION_AFTER_PERIOD = "correction_after_period"
    CORRECTION_EXPIRED_EARLY = "correction_expired_early"
    UNKNOWN_CONSULTATION = "unknown_consultation"
    DUPLICATE_CONSULTATION = "duplicate_consultation"
    EXTENSION_INVALID = "extension_invalid"
    EXTENSION_TOO_LONG = "extension_too_long"
    EXTENSION_TOO_LATE = "extension_too_late"
    EXTENSION_NOT_RUNNING = "extension_not_running"
    LONGER_DEADLINE_UNAVAILABLE = "longer_deadline_unavailable"
    LONGER_DEADLINE_WITHOUT_REASON = "longer_deadline_without_reason"
    LONGER_DEADLINE_NOT_LATER = "longer_deadline_not_later"
    LONGER_DEADLINE_LATE = "longer_deadline_late"
    FEE_BEFORE_MEASURE = "fee_before_measure"
    FEE_NOTICE_LATE = "fee_notice_late"
    REPEATED_FEE_NOTICE = "repeated_fee_notice"
    FEE_EVENT_WITHOUT_NOTICE = "fee_event_without_notice"
    FEE_PAID_LATE = "fee_paid_late"
    FEE_EXPIRED_EARLY = "fee_expired_early"
    REPLIED_LATE = "replied_late"
    PROVISIONAL_CALENDAR = "provisional_calendar"


@dataclass(frozen=True, slots=True)
class ClockWarning:
    """An irregularity, in Chinese, with the date of the event it concerns."""

    code: WarningCode
    message: str
    on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    """A period (start, end] in which the reply clock did not run; ``end`` None while ongoing."""

    reason: PauseReason
    ref: str
    start: dt.date
    end: dt.date | None
    latest_end: dt.date | None  # when it ends at the latest (answer window, payment window)


@dataclass(frozen=True, slots=True)
class Deadline:
    """One named deadline of a case on ``today``.

    ``days_remaining``: working days from today to the due date (0 on the day itself, negative
    when overdue); while paused, the working days left on the clock; None when not applicable.
    ``provisional``: the date or the count relies on a year without official calendar data.
    """

    name: DeadlineName
    due: dt.date | None
    state: DeadlineState
    days_remaining: int | None
    provisional: bool
    citation: str
    explanation: tuple[str, ...]
    ref: str = ""
    met_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        """Return whether the organ's duty is unmet past the due date."""
        return self.state is DeadlineState.OVERDUE


@dataclass(frozen=True, slots=True)
class ClockResult:
    """Everything the events imply on ``today``."""

    today: dt.date
    status: ClockStatus
    received_on: dt.date | None
    clock_start: dt.date | None
    deadlines: tuple[Deadline, ...]
    pauses: tuple[Pause, ...]
    warnings: tuple[ClockWarning, ...]
    receipt_explanation: tuple[str, ...]
    provisional: bool
    unknown_years: tuple[int, ...]

    def deadline(self, name: DeadlineName, ref: str = "") -> Deadline | None:
        """Return the deadline with ``name`` (and ``ref``, for consultations), if any."""
        for item in self.deadlines:
            if item.name is name and (not ref or item.ref == ref):
                return item
        return None

    @property
    def reply(self) -> Deadline | None:
        """Return the reply deadline, if the clock has started."""
        return self.deadline(DeadlineName.REPLY)

    def explanation(self) -> tuple[str, ...]:
        """Return all explanation lines, grouped under a heading per deadline."""
        lines: list[str] = list(self.receipt_explanation)
        for item in self.deadlines:
            suffix = f"（{item.ref}）" if item.ref else ""
            lines.append(f"【{DEADLINE_LABELS[item.name]}{suffix}】")
            lines.extend(item.explanation)
        lines.extend(f"注意：{w.message}" for w in self.warnings)
        return tuple(lines)


DEADLINE_LABELS: dict[DeadlineName, str] = {
    DeadlineName.REPLY: "答复期限",
    DeadlineName.CORRECTION_NOTICE: "补正告知期限",
    DeadlineName.THIRD_PARTY_ANSWER: "第三方答复期限",
    DeadlineName.AGENCY_ANSWER: "被征求意见机关答复期限",
    DeadlineName.FEE_PAYMENT: "缴费期限",
    DeadlineName.INTERNAL_TARGET: "内部办理目标",
}
