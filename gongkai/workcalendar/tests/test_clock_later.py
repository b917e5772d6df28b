"""The clock engine: extensions, fees, 第三十五条, closing, provisional years, explanation."""

from __future__ import annotations

from gongkai.workcalendar.calendar import DayKind, DayOverride, WorkCalendar
from gongkai.workcalendar.clock import (
    ClockStatus,
    DeadlineName,
    DeadlineState,
    PauseReason,
    WarningCode,
)
from gongkai.workcalendar.events import (
    Channel,
    CorrectionRequested,
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
from gongkai.workcalendar.rules import Rules
from gongkai.workcalendar.tests.clock_helpers import RECEIVED, D, codes, consult, due, get, run

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
    assert any("本平台的决定" in line for line in get(result).explanation)
    assert not any("决策记录" in line for line in get(result).explanation)


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
