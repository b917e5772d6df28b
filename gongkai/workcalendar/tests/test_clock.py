"""The clock engine: receipt, the reply limit, corrections and consultations."""

from __future__ import annotations

import pytest

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock import (
    ClockStatus,
    DeadlineName,
    DeadlineState,
    PauseReason,
    WarningCode,
)
from gongkai.workcalendar.events import (
    Channel,
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    CorrectionExpired,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    Received,
    Replied,
)
from gongkai.workcalendar.rules import RuleNotInForce, Rules
from gongkai.workcalendar.tests.clock_helpers import (
    RECEIVED,
    D,
    codes,
    consult,
    due,
    get,
    run,
)

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
