"""The clock engine: every event kind, the deadlines it implies, and its explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.workcalendar.calendar import DayKind, DayOverride, WorkCalendar
from gongkai.workcalendar.clock import (
    ClockResult,
    ClockStatus,
    Deadline,
    DeadlineName,
    DeadlineState,
    PauseReason,
    WarningCode,
    compute_deadlines,
)
from gongkai.workcalendar.events import (
    Channel,
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    ConsultationSent,
    CorrectionExpired,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeExpired,
    FeeNoticeReceived,
    FeeNoticeSent,
    FeePaid,
    LongerDeadlineSet,
    Received,
    Replied,
    Withdrawn,
)
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleNotInForce, Rules

D = dt.date.fromisoformat
# Monday 2026-03-02: 20 working days → 2026-03-30; 7 → 03-11; 15 → 03-23 (no holidays in March;
# 清明节 takes Monday 2026-04-06; 劳动节 05-01..05-05).
RECEIVED = Received(Channel.IN_PERSON, D("2026-03-02"))
THIRD = ConsultationParty.THIRD_PARTY


def run(
    calendar: WorkCalendar,
    *events: Event,
    today: str = "2026-03-05",
    rules: Rules = DEFAULT_RULES,
    explain: bool = True,
) -> ClockResult:
    return compute_deadlines(events, calendar, rules, today=D(today), explain=explain)


def codes(result: ClockResult) -> list[WarningCode]:
    return [w.code for w in result.warnings]


def get(result: ClockResult, name: DeadlineName = DeadlineName.REPLY, ref: str = "") -> Deadline:
    deadline = result.deadline(name, ref)
    assert deadline is not None, name
    return deadline


def due(
    result: ClockResult, name: DeadlineName = DeadlineName.REPLY, ref: str = ""
) -> dt.date | None:
    return get(result, name, ref).due


# -- receipt (第三十一条) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "received", "reply_due"),
    [
        (Received(Channel.IN_PERSON, D("2026-03-02")), "2026-03-02", "2026-03-30"),
        (
            Received(Channel.LETTER, D("2026-03-02"), signed_for_on=D("2026-03-03")),
            "2026-03-03",
            "2026-03-31",
        ),
        (
            Received(Channel.LETTER, D("2026-03-02"), confirmed_on=D("2026-03-02")),
            "2026-03-02",
            "2026-03-30",
        ),
        (
            Received(Channel.ONLINE, D("2026-03-01"), confirmed_on=D("2026-03-02")),
            "2026-03-02",
            "2026-03-30",
        ),
        (
            Received(Channel.FAX, D("2026-03-02"), confirmed_on=D("2026-03-03")),
            "2026-03-03",
            "2026-03-31",
        ),
        (
            Received(Channel.EMAIL, D("2026-03-02"), confirmed_on=D("2026-03-02")),
            "2026-03-02",
            "2026-03-30",
        ),
    ],
)
def test_receipt_date_by_channel(
    official: WorkCalendar, event: Event, received: str, reply_due: str
) -> None:
    """The receipt date is the hand-in, signature or confirmation date per 第三十一条."""
    result = run(official, event)
    assert result.received_on == D(received)
    assert due(result) == D(reply_due)
    assert result.status is ClockStatus.OPEN
    assert "第三十一条" in result.receipt_explanation[0]


def test_ordinary_letter_confirmed_late_is_flagged(official: WorkCalendar) -> None:
    """An ordinary letter must be confirmed with the applicant the day it arrives."""
    result = run(official, Received(Channel.LETTER, D("2026-03-02"), confirmed_on=D("2026-03-04")))
    assert result.received_on == D("2026-03-04")
    assert codes(result) == [WarningCode.LATE_POST_CONFIRMATION]


def test_unconfirmed_online_application_does_not_start_the_clock(official: WorkCalendar) -> None:
    """Online/fax: no deadline until both sides confirm; a later record completes it."""
    arrived = Received(Channel.ONLINE, D("2026-03-01"))
    result = run(official, arrived)
    assert result.status is ClockStatus.NOT_RECEIVED
    assert result.deadlines == ()
    assert "尚待双方确认" in result.receipt_explanation[0]
    confirmed = Received(Channel.ONLINE, D("2026-03-01"), confirmed_on=D("2026-03-03"))
    result = run(official, arrived, confirmed)
    assert result.received_on == D("2026-03-03")
    assert result.warnings == ()


def test_other_channel_and_duplicate_receipts_are_flagged(official: WorkCalendar) -> None:
    """A channel 第三十一条 does not list, and a second receipt record, are warned about."""
    result = run(
        official,
        Received(Channel.OTHER, D("2026-03-02")),
        Received(Channel.IN_PERSON, D("2026-03-03")),
    )
    assert result.received_on == D("2026-03-02")
    assert codes(result) == [WarningCode.OTHER_CHANNEL, WarningCode.DUPLICATE_RECEIPT]


def test_events_before_receipt_are_ignored_with_a_warning(official: WorkCalendar) -> None:
    """Nothing happens to a case before its receipt date is fixed."""
    result = run(official, Replied(D("2026-03-01")), RECEIVED)
    assert result.status is ClockStatus.OPEN
    assert codes(result) == [WarningCode.EVENT_BEFORE_RECEIPT]


# -- reply limit (第三十三条; 2008 第二十四条) ------------------------------------------------


def test_reply_due_20_working_days_after_receipt(official: WorkCalendar) -> None:
    """The spec's example: received 2026-02-10 → reply due 2026-03-16 over the Spring Festival."""
    result = run(official, Received(Channel.IN_PERSON, D("2026-02-10")), today="2026-02-12")
    reply = get(result)
    assert reply is not None
    assert reply.due == D("2026-03-16")
    assert reply.state is DeadlineState.PENDING
    assert reply.days_remaining == 18  # 02-13, 02-14 (调休), 02-24..02-27, 02-28 (调休), 03-02..
    assert not reply.overdue
    assert due(result, DeadlineName.CORRECTION_NOTICE) == D("2026-02-26")


def test_2008_rule_for_receipts_before_2019_05_15(official: WorkCalendar) -> None:
    """Received on 2019-05-14: 15 working days (2008 Regulations); one day later: 20."""
    old = run(official, Received(Channel.IN_PERSON, D("2019-05-14")), today="2019-05-20")
    assert due(old) == D("2019-06-04")
    assert "第二十四条第二款" in get(old).citation
    assert old.deadline(DeadlineName.CORRECTION_NOTICE) is None  # no 7-day rule in 2008
    assert any("2008年施行的条例" in line for line in old.receipt_explanation)
    new = run(official, Received(Channel.IN_PERSON, D("2019-05-15")), today="2019-05-20")
    assert due(new) == D("2019-06-13")  # 端午节 2019-06-07 skipped
    assert "第三十三条第二款" in get(new).citation


def test_receipts_before_the_2008_regulations_have_no_rule(official: WorkCalendar) -> None:
    """There is no reply limit to compute before 2008-05-01: the engine says so."""
    with pytest.raises(RuleNotInForce):
        run(official, Received(Channel.IN_PERSON, D("2008-04-30")))


@pytest.mark.parametrize(
    ("today", "state", "days"),
    [
        ("2026-03-02", DeadlineState.PENDING, 20),
        ("2026-03-27", DeadlineState.PENDING, 1),
        ("2026-03-30", DeadlineState.PENDING, 0),
        ("2026-03-31", DeadlineState.OVERDUE, -1),
        ("2026-04-07", DeadlineState.OVERDUE, -5),
    ],
)
def test_days_remaining_and_overdue(
    official: WorkCalendar, today: str, state: DeadlineState, days: int
) -> None:
    """Working days remaining count down to 0 on the due date, then go negative (overdue)."""
    reply = get(run(official, RECEIVED, today=today))
    assert reply.state is state
    assert reply.days_remaining == days
    assert reply.overdue is (state is DeadlineState.OVERDUE)


def test_internal_target_is_configurable(official: WorkCalendar) -> None:
    """The internal target defaults to 15 working days and can be switched off."""
    result = run(official, RECEIVED)
    assert due(result, DeadlineName.INTERNAL_TARGET) == D("2026-03-23")
    ten = run(official, RECEIVED, rules=Rules(internal_target_days=10))
    assert due(ten, DeadlineName.INTERNAL_TARGET) == D("2026-03-16")
    off = run(official, RECEIVED, rules=Rules(internal_target_days=0))
    assert off.deadline(DeadlineName.INTERNAL_TARGET) is None


# -- correction (第三十条) --------------------------------------------------------------------


def test_correction_notice_in_time(official: WorkCalendar) -> None:
    """A notice sent within 7 working days meets the correction-notice deadline."""
    result = run(
        official,
        RECEIVED,
        CorrectionRequested(D("2026-03-11"), D("2026-03-25")),
        today="2026-03-12",
    )
    notice = get(result, DeadlineName.CORRECTION_NOTICE)
    assert (notice.due, notice.state, notice.met_on) == (
        D("2026-03-11"),
        DeadlineState.MET,
        D("2026-03-11"),
    )
    assert result.status is ClockStatus.AWAITING_CORRECTION
    assert get(result).state is DeadlineState.WAITING
    assert get(result).due is None
    assert result.deadline(DeadlineName.INTERNAL_TARGET) is None
    assert result.warnings == ()


def test_late_correction_notice_is_flagged(official: WorkCalendar) -> None:
    """A notice after the 7th working day is recorded but flagged."""
    result = run(
        official,
        RECEIVED,
        CorrectionRequested(D("2026-03-12"), D("2026-03-25")),
        today="2026-03-12",
    )
    assert get(result, DeadlineName.CORRECTION_NOTICE).state is DeadlineState.MET_LATE
    assert codes(result) == [WarningCode.LATE_CORRECTION_NOTICE]
    assert "超过第三十条规定的7个工作日期限（2026年3月11日）" in result.warnings[0].message


def test_correction_notice_window_lapses_unused(official: WorkCalendar) -> None:
    """Without a notice, the window is pending, then lapses (not overdue: it is optional)."""
    last_day = run(official, RECEIVED, today="2026-03-11")
    assert get(last_day, DeadlineName.CORRECTION_NOTICE).days_remaining == 0
    lapsed = get(run(official, RECEIVED, today="2026-03-12"), DeadlineName.CORRECTION_NOTICE)
    assert lapsed.state is DeadlineState.LAPSED
    assert not lapsed.overdue


def test_corrected_application_restarts_the_20_days(official: WorkCalendar) -> None:
    """The reply limit counts again from the day the corrected application arrives."""
    result = run(
        official,
        RECEIVED,
        CorrectionRequested(D("2026-03-05"), D("2026-03-25")),
        CorrectionReceived(D("2026-03-20")),
        today="2026-03-23",
    )
    assert result.clock_start == D("2026-03-20")
    assert due(result) == D("2026-04-20")  # 清明节 2026-04-06 skipped
    assert result.status is ClockStatus.OPEN
    assert any("重新计算" in line for line in get(result).explanation)


def test_correction_period_ends_without_correction(official: WorkCalendar) -> None:
    """After the correction period, no correction → closed, deemed abandoned (implied)."""
    events = (RECEIVED, CorrectionRequested(D("2026-03-05"), D("2026-03-25")))
    assert run(official, *events, today="2026-03-25").status is ClockStatus.AWAITING_CORRECTION
    result = run(official, *events, today="2026-03-26")
    assert result.status is ClockStatus.CLOSED_ABANDONED_CORRECTION
    assert get(result).state is DeadlineState.MOOT
    explained = run(official, *events, CorrectionExpired(D("2026-03-26")), today="2026-03-26")
    assert explained.status is ClockStatus.CLOSED_ABANDONED_CORRECTION
    assert explained.warnings == ()


def test_correction_irregularities_are_flagged(official: WorkCalendar) -> None:
    """A second notice, a late correction, an early expiry and an unrequested correction."""
    result = run(
        official,
        RECEIVED,
        CorrectionReceived(D("2026-03-03")),
        CorrectionRequested(D("2026-03-04"), D("2026-03-10")),
        CorrectionRequested(D("2026-03-05"), D("2026-03-12")),
        CorrectionReceived(D("2026-03-13")),
        today="2026-03-16",
    )
    assert codes(result) == [
        WarningCode.CORRECTION_WITHOUT_REQUEST,
        WarningCode.REPEATED_CORRECTION_NOTICE,
        WarningCode.CORRECTION_AFTER_PERIOD,
    ]
    assert result.clock_start == D("2026-03-13")
    early = run(
        official,
        RECEIVED,
        CorrectionRequested(D("2026-03-04"), D("2026-03-10")),
        CorrectionExpired(D("2026-03-09")),
        Replied(D("2026-03-10")),
    )
    assert codes(early) == [WarningCode.CORRECTION_EXPIRED_EARLY, WarningCode.EVENT_AFTER_CLOSURE]
    assert early.status is ClockStatus.CLOSED_ABANDONED_CORRECTION


# -- consultation (第三十二、三十三、三十四条) -------------------------------------------------


def consult(
    sent: str = "2026-03-09",
    delivered: str | None = "2026-03-10",
    party: ConsultationParty = THIRD,
    ref: str = "T1",
) -> ConsultationSent:
    return ConsultationSent(D(sent), ref, party, delivered_on=D(delivered) if delivered else None)


def test_consultation_time_is_not_counted(official: WorkCalendar) -> None:
    """Sent on the 5th working day, answered 5 working days later: the reply moves 5 days."""
    result = run(official, RECEIVED, consult(), ConsultationAnswered(D("2026-03-16"), "T1"))
    assert due(result) == D("2026-04-07")  # 03-30 + 5 working days, 清明节 skipped
    answer = get(result, DeadlineName.THIRD_PARTY_ANSWER, "T1")
    assert (answer.due, answer.state) == (D("2026-03-31"), DeadlineState.MET)
    assert result.pauses[0].reason is PauseReason.CONSULTATION
    assert (result.pauses[0].start, result.pauses[0].end) == (D("2026-03-09"), D("2026-03-16"))
    line = next(x for x in get(result).explanation if "征求第三方意见书" in x)
    assert "其间5个工作日不计入" in line and "第三十三条第三款" in line


def test_ongoing_consultation_pauses_the_reply(official: WorkCalendar) -> None:
    """While the third party may still answer, the reply clock stands still."""
    result = run(official, RECEIVED, consult(), today="2026-03-12")
    assert result.status is ClockStatus.PAUSED
    assert get(result).state is DeadlineState.PAUSED
    assert get(result).due is None
    assert get(result).days_remaining == 15  # 5 of 20 used before the letter went out
    answer = get(result, DeadlineName.THIRD_PARTY_ANSWER, "T1")
    assert (answer.state, answer.days_remaining) == (DeadlineState.PENDING, 13)


def test_unanswered_consultation_ends_with_the_answer_window(official: WorkCalendar) -> None:
    """No answer within 15 working days: the pause ends with the window and the clock resumes."""
    result = run(official, RECEIVED, consult(), today="2026-04-10")
    assert result.status is ClockStatus.OPEN
    assert due(result) == D("2026-04-22")
    answer = get(result, DeadlineName.THIRD_PARTY_ANSWER, "T1")
    assert answer.state is DeadlineState.LAPSED
    assert "由行政机关依照条例自行决定" in answer.explanation[-1]
    late = run(official, RECEIVED, consult(), ConsultationAnswered(D("2026-04-02"), "T1"))
    assert due(late) == D("2026-04-22")  # an answer after the window does not extend the pause
    assert get(late, DeadlineName.THIRD_PARTY_ANSWER, "T1").state is DeadlineState.MET_LATE


def test_agency_consultation_silence_is_consent(official: WorkCalendar) -> None:
    """A consulted agency's window is 15 working days (第三十四条); silence means consent."""
    result = run(official, RECEIVED, consult(party=ConsultationParty.AGENCY), today="2026-04-10")
    answer = get(result, DeadlineName.AGENCY_ANSWER, "T1")
    assert answer.state is DeadlineState.LAPSED
    assert "第三十四条" in answer.citation
    assert "视为同意公开" in answer.explanation[-1]


def test_delivery_date_recorded_later(official: WorkCalendar) -> None:
    """Without a delivery date the window counts from sending; a later record corrects it."""
    sent_only = run(official, RECEIVED, consult(delivered=None))
    assert due(sent_only, DeadlineName.THIRD_PARTY_ANSWER, "T1") == D("2026-03-30")
    assert "暂按发出日计算" in get(sent_only, DeadlineName.THIRD_PARTY_ANSWER, "T1").explanation[0]
    delivered = run(
        official, RECEIVED, consult(delivered=None), ConsultationDelivered(D("2026-03-11"), "T1")
    )
    assert due(delivered, DeadlineName.THIRD_PARTY_ANSWER, "T1") == D("2026-04-01")


def test_overlapping_consultations_pause_once(official: WorkCalendar) -> None:
    """Two consultations at once: the reply clock skips the union of their periods."""
    result = run(
        official,
        RECEIVED,
        consult(ref="T1"),
        consult(
            sent="2026-03-11", delivered="2026-03-12", ref="A1", party=ConsultationParty.AGENCY
        ),
        ConsultationAnswered(D("2026-03-13"), "T1"),
        ConsultationAnswered(D("2026-03-18"), "A1"),
        today="2026-03-19",
    )
    # paused (03-09, 03-18]: 7 working days → 03-30 + 7 (清明节 04-06 skipped)
    assert due(result) == D("2026-04-09")
    assert {d.ref for d in result.deadlines if d.ref} == {"T1", "A1"}


def test_consultation_record_errors(official: WorkCalendar) -> None:
    """Answers to an unknown consultation and duplicate letters are warned about."""
    result = run(
        official,
        RECEIVED,
        consult(),
        consult(),
        ConsultationAnswered(D("2026-03-12"), "X9"),
    )
    assert codes(result) == [WarningCode.DUPLICATE_CONSULTATION, WarningCode.UNKNOWN_CONSULTATION]


# -- extension (第三十三条第二款) --------------------------------------------------------------


def test_extension_adds_up_to_20_working_days(official: WorkCalendar) -> None:
    """Approved before the deadline, 20 more working days: 2026-03-30 → 2026-04-28."""
    result = run(official, RECEIVED, ExtensionApproved(D("2026-03-27"), 20, "需调取档案"))
    assert due(result) == D("2026-04-28")
    line = next(x for x in get(result).explanation if "延长答复期限" in x)
    assert "20个工作日" in line and "第三十三条第二款" in line and "需调取档案" in line


def test_extension_on_the_due_date_is_still_in_time(official: WorkCalendar) -> None:
    """Approval on the due date itself counts as before the deadline."""
    result = run(official, RECEIVED, ExtensionApproved(D("2026-03-30"), 5))
    assert due(result) == D("2026-04-07")
    assert result.warnings == ()


def test_extension_after_the_deadline_is_rejected(official: WorkCalendar) -> None:
    """Approval after the original deadline does not extend it."""
    result = run(official, RECEIVED, ExtensionApproved(D("2026-03-31"), 20), today="2026-04-01")
    assert due(result) == D("2026-03-30")
    assert get(result).state is DeadlineState.OVERDUE
    assert codes(result) == [WarningCode.EXTENSION_TOO_LATE]


def test_extension_longer_than_allowed_is_rejected(official: WorkCalendar) -> None:
    """More than 20 working days in total is rejected; 10 + 10 is fine, 10 + 11 is not."""
    assert codes(run(official, RECEIVED, ExtensionApproved(D("2026-03-10"), 21))) == [
        WarningCode.EXTENSION_TOO_LONG
    ]
    two = run(
        official,
        RECEIVED,
        ExtensionApproved(D("2026-03-10"), 10),
        ExtensionApproved(D("2026-03-11"), 10),
    )
    assert due(two) == D("2026-04-28")
    three = run(
        official,
        RECEIVED,
        ExtensionApproved(D("2026-03-10"), 10),
        ExtensionApproved(D("2026-03-11"), 11),
    )
    assert due(three) == D("2026-04-14")
    assert codes(three) == [WarningCode.EXTENSION_TOO_LONG]


def test_extension_limit_follows_the_regime(official: WorkCalendar) -> None:
    """Under the 2008 Regulations an extension is at most 15 working days."""
    received = Received(Channel.IN_PERSON, D("2019-05-14"))
    assert codes(run(official, received, ExtensionApproved(D("2019-05-20"), 16))) == [
        WarningCode.EXTENSION_TOO_LONG
    ]
    assert due(run(official, received, ExtensionApproved(D("2019-05-20"), 15))) == D("2019-06-26")


def test_invalid_extensions(official: WorkCalendar) -> None:
    """Zero days, or an extension while awaiting a correction, are not counted."""
    result = run(
        official,
        RECEIVED,
        ExtensionApproved(D("2026-03-03"), 0),
        CorrectionRequested(D("2026-03-04"), D("2026-03-20")),
        ExtensionApproved(D("2026-03-05"), 5),
    )
    assert codes(result) == [WarningCode.EXTENSION_INVALID, WarningCode.EXTENSION_NOT_RUNNING]


# -- fee (信息处理费管理办法) -----------------------------------------------------------------


FEE = (FeeNoticeSent(D("2026-03-09")), FeeNoticeReceived(D("2026-03-11")))


def test_fee_payment_window_and_reply_pause(official: WorkCalendar) -> None:
    """Payment due 20 working days after the day of receipt; the reply clock waits meanwhile."""
    result = run(official, RECEIVED, *FEE, FeePaid(D("2026-03-20")), today="2026-03-23")
    fee = get(result, DeadlineName.FEE_PAYMENT)
    assert (fee.due, fee.state, fee.met_on) == (D("2026-04-09"), DeadlineState.MET, D("2026-03-20"))
    assert due(result) == D("2026-04-13")  # paused (03-09, 03-20]: 9 working days
    assert result.pauses[0].reason is PauseReason.FEE
    assert any("决策记录0101" in line for line in get(result).explanation)


def test_outstanding_fee(official: WorkCalendar) -> None:
    """Unpaid and within the window: the case is paused, the payment deadline pending."""
    result = run(official, RECEIVED, *FEE, today="2026-04-09")
    assert result.status is ClockStatus.PAUSED
    assert get(result).state is DeadlineState.PAUSED
    assert get(result, DeadlineName.FEE_PAYMENT).days_remaining == 0


def test_unpaid_fee_closes_the_case(official: WorkCalendar) -> None:
    """After the payment window, unpaid → closed, deemed abandoned (implied or recorded)."""
    implied = run(official, RECEIVED, *FEE, today="2026-04-10")
    assert implied.status is ClockStatus.CLOSED_ABANDONED_FEE
    assert get(implied, DeadlineName.FEE_PAYMENT).state is DeadlineState.LAPSED
    assert get(implied).state is DeadlineState.MOOT
    recorded = run(official, RECEIVED, *FEE, FeeExpired(D("2026-04-10")), today="2026-04-10")
    assert recorded.status is ClockStatus.CLOSED_ABANDONED_FEE
    assert recorded.warnings == ()
    early = run(official, RECEIVED, *FEE, FeeExpired(D("2026-04-09")), today="2026-04-09")
    assert codes(early) == [WarningCode.FEE_EXPIRED_EARLY]


def test_fee_pause_can_be_switched_off(official: WorkCalendar) -> None:
    """With fee_pauses_reply_clock=False the reply limit ignores the fee notice."""
    result = run(official, RECEIVED, *FEE, rules=Rules(fee_pauses_reply_clock=False))
    assert due(result) == D("2026-03-30")
    assert result.status is ClockStatus.OPEN
    assert due(result, DeadlineName.FEE_PAYMENT) == D("2026-04-09")


def test_fee_notice_receipt_not_yet_recorded(official: WorkCalendar) -> None:
    """Until the applicant's receipt of the notice is recorded, the payment date is unknown."""
    result = run(official, RECEIVED, FeeNoticeSent(D("2026-03-09")), today="2026-03-10")
    fee = get(result, DeadlineName.FEE_PAYMENT)
    assert (fee.due, fee.state) == (None, DeadlineState.WAITING)
    assert result.status is ClockStatus.PAUSED


def test_fee_irregularities(official: WorkCalendar) -> None:
    """Fees before 2021, late notices, late payments, repeated notices, stray payments."""
    before = run(
        official,
        Received(Channel.IN_PERSON, D("2020-12-01")),
        FeeNoticeSent(D("2020-12-10")),
        today="2020-12-11",
    )
    assert codes(before) == [WarningCode.FEE_BEFORE_MEASURE]
    assert before.deadline(DeadlineName.FEE_PAYMENT) is None
    stray = run(official, RECEIVED, FeePaid(D("2026-03-05")))
    assert codes(stray) == [WarningCode.FEE_EVENT_WITHOUT_NOTICE]
    late = run(
        official,
        RECEIVED,
        FeeNoticeSent(D("2026-03-31")),
        FeeNoticeSent(D("2026-04-01")),
        FeeNoticeReceived(D("2026-04-01")),
        FeePaid(D("2026-05-06")),
        today="2026-05-06",
    )
    assert codes(late) == [
        WarningCode.FEE_NOTICE_LATE,
        WarningCode.REPEATED_FEE_NOTICE,
        WarningCode.FEE_PAID_LATE,
    ]
    assert due(late) == D("2026-03-30")  # a pause after the deadline does not revive it


# -- 第三十五条 -------------------------------------------------------------------------------


def test_longer_deadline_set_by_the_head(official: WorkCalendar) -> None:
    """A later reasonable reply date replaces the computed one, with its reason and article."""
    result = run(
        official,
        RECEIVED,
        LongerDeadlineSet(D("2026-03-20"), D("2026-05-29"), "申请数量明显超过合理范围"),
        today="2026-04-01",
    )
    assert due(result) == D("2026-05-29")
    assert get(result).state is DeadlineState.PENDING
    line = next(x for x in get(result).explanation if "合理期限" in x)
    assert "第三十五条" in line and "申请数量明显超过合理范围" in line


def test_longer_deadline_irregularities(official: WorkCalendar) -> None:
    """Not later, without reason, after the deadline, or under the 2008 Regulations."""
    result = run(
        official,
        RECEIVED,
        LongerDeadlineSet(D("2026-03-10"), D("2026-03-20"), "理由"),
        LongerDeadlineSet(D("2026-03-10"), D("2026-05-20"), "  "),
        LongerDeadlineSet(D("2026-04-01"), D("2026-05-20"), "理由"),
        today="2026-04-01",
    )
    assert codes(result) == [
        WarningCode.LONGER_DEADLINE_NOT_LATER,
        WarningCode.LONGER_DEADLINE_WITHOUT_REASON,
        WarningCode.LONGER_DEADLINE_LATE,
    ]
    assert due(result) == D("2026-05-20")
    old = run(
        official,
        Received(Channel.IN_PERSON, D("2019-05-14")),
        LongerDeadlineSet(D("2019-05-20"), D("2019-08-01"), "理由"),
    )
    assert codes(old) == [WarningCode.LONGER_DEADLINE_UNAVAILABLE]


# -- closing ------------------------------------------------------------------------------


def test_reply_closes_the_case(official: WorkCalendar) -> None:
    """A reply in time meets the deadline; later events are warned about and ignored."""
    result = run(
        official, RECEIVED, Replied(D("2026-03-20")), Withdrawn(D("2026-03-21")), today="2026-04-30"
    )
    assert result.status is ClockStatus.CLOSED_REPLIED
    assert (get(result).state, get(result).met_on) == (DeadlineState.MET, D("2026-03-20"))
    assert get(result, DeadlineName.INTERNAL_TARGET).state is DeadlineState.MET
    assert codes(result) == [WarningCode.EVENT_AFTER_CLOSURE]
    assert get(result).explanation[-1] == "已于2026年3月20日答复，在期限内。"


def test_late_reply_is_flagged(official: WorkCalendar) -> None:
    """A reply after the deadline is met late and warned about."""
    result = run(official, RECEIVED, Replied(D("2026-03-31")), today="2026-04-30")
    assert get(result).state is DeadlineState.MET_LATE
    assert codes(result) == [WarningCode.REPLIED_LATE]


def test_withdrawal_closes_the_case(official: WorkCalendar) -> None:
    """A withdrawn application has no running deadline."""
    result = run(official, RECEIVED, Withdrawn(D("2026-03-10")), today="2026-04-30")
    assert result.status is ClockStatus.CLOSED_WITHDRAWN
    assert get(result).state is DeadlineState.MOOT
    assert not get(result).overdue


def test_events_are_replayed_in_date_order_keeping_same_day_order(official: WorkCalendar) -> None:
    """Events are sorted by date; events of one day keep their log order."""
    same_day = run(official, RECEIVED, Replied(D("2026-03-10")), Withdrawn(D("2026-03-10")))
    assert same_day.status is ClockStatus.CLOSED_REPLIED
    shuffled = run(official, Replied(D("2026-03-10")), RECEIVED)
    assert shuffled.status is ClockStatus.CLOSED_REPLIED
    assert shuffled.warnings == ()


# -- provisional years ----------------------------------------------------------------------


def test_deadlines_reaching_into_2027_are_provisional(official: WorkCalendar) -> None:
    """A deadline in a year without official data is computed on weekdays and marked 暂定."""
    result = run(official, Received(Channel.IN_PERSON, D("2026-12-10")), today="2026-12-11")
    assert due(result) == D("2027-01-07")  # 2027-01-01 counted: no 2027 notice loaded
    assert get(result).provisional
    assert result.provisional
    assert result.unknown_years == (2027,)
    assert codes(result) == [WarningCode.PROVISIONAL_CALENDAR]
    assert "2027年" in result.warnings[0].message
    assert get(result).explanation[-1].endswith("（暂定）。")
    assert any("2027年的国务院节假日安排尚未载入本平台" in x for x in get(result).explanation)
    assert not get(result, DeadlineName.CORRECTION_NOTICE).provisional  # 12-21, in 2026


def test_loading_2027_makes_the_deadline_final(official: WorkCalendar) -> None:
    """With a 2027 schedule (made up here: 01-01 off) the same case is final and shifts."""
    with_2027 = WorkCalendar(
        range(2019, 2028),
        [
            *(o for y in range(2019, 2027) for o in official.overrides_in_year(y)),
            DayOverride(D("2027-01-01"), DayKind.HOLIDAY, "元旦"),
        ],
    )
    result = run(with_2027, Received(Channel.IN_PERSON, D("2026-12-10")), today="2026-12-11")
    assert due(result) == D("2027-01-08")
    assert not result.provisional
    assert result.warnings == ()


# -- explanation --------------------------------------------------------------------------


def test_explanation_of_the_spec_example(official: WorkCalendar) -> None:
    """The explanation names the receipt rule, articles, holidays skipped and 调休 days counted."""
    result = run(official, Received(Channel.IN_PERSON, D("2026-02-10")), today="2026-02-12")
    text = "\n".join(result.explanation())
    for fragment in (
        "收到申请之日：2026年2月10日。依据：当面提交的，以提交之日为收到申请之日（第三十一条第（一）项）",
        "【答复期限】",
        "起20个工作日（《中华人民共和国政府信息公开条例》（2019年修订）第三十三条第二款）",
        "起算当日不计入",
        "春节（2026年2月15日至2月23日，其中星期一至星期五共6天）",
        "2026年2月14日（星期六，春节调休）、2026年2月28日（星期六，春节调休）",
        "答复期限届满日：2026年3月16日（星期一）。",
        "【补正告知期限】",
        "补正告知期限届满日：2026年2月26日（星期四）。",
    ):
        assert fragment in text, fragment


def test_explanation_can_be_skipped(official: WorkCalendar) -> None:
    """explain=False gives the same dates without composing text (bulk recomputation)."""
    events = (RECEIVED, consult(), ExtensionApproved(D("2026-03-20"), 10))
    full = run(official, *events, today="2026-04-01")
    bare = run(official, *events, today="2026-04-01", explain=False)
    assert [(d.name, d.due, d.state) for d in full.deadlines] == [
        (d.name, d.due, d.state) for d in bare.deadlines
    ]
    assert all(d.explanation == () for d in bare.deadlines)
    assert bare.receipt_explanation == ()
