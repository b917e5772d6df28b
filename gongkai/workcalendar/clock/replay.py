"""Replaying a case's events into the facts its deadlines depend on.

``CaseReplay.apply`` takes the events in date order, checks each against the rules (warning,
never silently fixing) and keeps the state: receipt, clock start, correction, consultations,
extensions, the 第三十五条 deadline, the fee, and the closure. ``report.build_result`` turns the
final state into deadlines.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock.counting import Run, run_clock
from gongkai.workcalendar.clock.results import (
    ClockStatus,
    ClockWarning,
    Pause,
    PauseReason,
    WarningCode,
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
from gongkai.workcalendar.rules import LegalParameter, RuleKey, Rules
from gongkai.workcalendar.wording import cn_date

PARTY_LABELS = {ConsultationParty.THIRD_PARTY: "第三方", ConsultationParty.AGENCY: "其他机关"}

RECEIPT_RULES = {
    "in_person": "当面提交的，以提交之日为收到申请之日（第三十一条第（一）项）",
    "letter_signed": "以邮寄方式提交的，以行政机关签收之日为收到申请之日（第三十一条第（二）项）",
    "letter_ordinary": "以平常信函等无需签收的邮寄方式提交的，以与申请人确认之日为收到申请之日（第三十一条第（二）项）",
    "remote": "通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）",
    "other": "第三十一条未列明该提交方式，以登记的实际收到之日为收到申请之日",
}
"""Why the receipt date is what it is, by the branch of 第三十一条 that applied."""


@dataclass(slots=True)
class Consultation:
    """One consultation letter and what became of it."""

    sent: ConsultationSent
    delivered_on: dt.date | None
    answered_on: dt.date | None = None
    window: LegalParameter | None = None

    def window_due(self, calendar: WorkCalendar) -> tuple[dt.date, bool] | None:
        """Return the end of the answer window (and whether it is provisional), if any."""
        if self.window is None:
            return None
        result = calendar.add_working_days(self.delivered_on or self.sent.on, self.window.days)
        return result.date, result.provisional


@dataclass(slots=True)
class Fee:
    """The fee notice of a case and what became of it."""

    sent_on: dt.date
    rule: LegalParameter
    received_on: dt.date | None = None
    paid_on: dt.date | None = None


@dataclass(slots=True)
class CaseReplay:
    """The mutable state of one replay; ``apply`` each event in date order."""

    calendar: WorkCalendar
    rules: Rules
    today: dt.date
    explain: bool
    warnings: list[ClockWarning] = field(default_factory=list)
    receipt_lines: list[str] = field(default_factory=list)
    received_on: dt.date | None = None
    start: dt.date | None = None
    corrected_on: dt.date | None = None
    correction_requests: list[CorrectionRequested] = field(default_factory=list)
    awaiting_correction: bool = False
    #: A 逾期补正 notice is pending: the applicant may still correct, the reply limit runs on.
    awaiting_late_correction: bool = False
    period_ends_on: dt.date | None = None
    consultations: dict[str, Consultation] = field(default_factory=dict)
    extensions: list[ExtensionApproved] = field(default_factory=list)
    longer: LongerDeadlineSet | None = None
    fee: Fee | None = None
    closed: ClockStatus | None = None
    closed_on: dt.date | None = None
    closure_implied: bool = False

    # ---- helpers

    def warn(self, code: WarningCode, message: str, on: dt.date | None = None) -> None:
        self.warnings.append(ClockWarning(code, message, on))

    def rule(self, key: RuleKey, on: dt.date) -> LegalParameter | None:
        return self.rules.find(key, on)

    @property
    def receipt(self) -> dt.date:
        """Return the receipt date; only asked for once it is fixed."""
        if self.received_on is None:
            msg = "the receipt date is not fixed yet"
            raise RuntimeError(msg)
        return self.received_on

    def reply_rule(self) -> LegalParameter:
        """Return the reply-limit rule in force on the receipt date."""
        return self.rules.get(RuleKey.REPLY_DAYS, self.receipt)

    def pauses(self, asof: dt.date) -> list[Pause]:
        """Return the reply-clock pauses as known on ``asof``."""
        pauses: list[Pause] = []
        if self.received_on is None:
            return pauses
        if self.rule(RuleKey.CONSULTATION_NOT_COUNTED, self.received_on) is not None:
            for ref, item in self.consultations.items():
                window = item.window_due(self.calendar)
                window_end = window[0] if window else None
                if item.answered_on is not None:
                    end: dt.date | None = item.answered_on
                    if window_end is not None and window_end < item.answered_on:
                        end = window_end
                elif window_end is not None and window_end < asof:
                    end = window_end
                else:
                    end = None
                pauses.append(Pause(PauseReason.CONSULTATION, ref, item.sent.on, end, window_end))
        if self.fee is not None and self.rules.fee_pauses_reply_clock:
            payment = self.fee_due()
            pauses.append(
                Pause(
                    PauseReason.FEE,
                    "",
                    self.fee.sent_on,
                    self.fee.paid_on,
                    payment[0] if payment else None,
                )
            )
        return pauses

    def fee_due(self) -> tuple[dt.date, bool] | None:
        """Return the payment due date (and whether it is provisional), once it is known."""
        if self.fee is None or self.fee.received_on is None:
            return None
        result = self.calendar.add_working_days(self.fee.received_on, self.fee.rule.days)
        return result.date, result.provisional

    def extension_days(self) -> int:
        """Return the working days of the accepted extensions."""
        return sum(e.days for e in self.extensions)

    def reply_budget(self) -> int:
        """Return the reply limit in working days, accepted extensions included."""
        return self.reply_rule().days + self.extension_days()

    def run_from(self, start: dt.date, budget: int, asof: dt.date) -> Run:
        """Count ``budget`` working days after ``start`` with the pauses known on ``asof``."""
        return run_clock(self.calendar, start, budget, self.pauses(asof))

    def current_reply_due(self, asof: dt.date) -> dt.date | None:
        """Return the reply due date as known on ``asof`` (None while paused or not running)."""
        if self.longer is not None:
            return self.longer.due_on
        if self.start is None or self.awaiting_correction:
            return None
        return self.run_from(self.start, self.reply_budget(), asof).due

    # ---- events

    def apply(self, event: Event) -> None:
        """Apply one event: check it against the rules and update the state, or warn."""
        if isinstance(event, Received):
            self.on_received(event)
            return
        if self.closed is not None:
            self.warn(
                WarningCode.EVENT_AFTER_CLOSURE,
                f"{cn_date(event.on)}的事项发生在案件办结（{cn_date(self.closed_on or event.on)}）之后，未计入期限计算",
                event.on,
            )
            return
        if self.received_on is None:
            self.warn(
                WarningCode.EVENT_BEFORE_RECEIPT,
                f"{cn_date(event.on)}的事项发生在确定收到申请之日以前，未计入期限计算",
                event.on,
            )
            return
        if isinstance(event, CorrectionRequested):
            self.on_correction_requested(event)
        elif isinstance(event, CorrectionReceived):
            self.on_correction_received(event)
        elif isinstance(event, CorrectionExpired):
            self.on_correction_expired(event)
        elif isinstance(event, ConsultationSent):
            self.on_consultation_sent(event)
        elif isinstance(event, ConsultationDelivered | ConsultationAnswered):
            self.on_consultation_progress(event)
        elif isinstance(event, ExtensionApproved):
            self.on_extension(event)
        elif isinstance(event, LongerDeadlineSet):
            self.on_longer_deadline(event)
        elif isinstance(event, FeeNoticeSent):
            self.on_fee_notice(event)
        elif isinstance(event, FeeNoticeReceived | FeePaid | FeeExpired):
            self.on_fee_progress(event)
        elif isinstance(event, Replied):
            self.close(ClockStatus.CLOSED_REPLIED, event.on)
        elif isinstance(event, Withdrawn):
            self.close(ClockStatus.CLOSED_WITHDRAWN, event.on)

    def close(self, status: ClockStatus, on: dt.date, *, implied: bool = False) -> None:
        """Mark the case closed on ``on``; ``implied`` when no event recorded it."""
        self.closed = status
        self.closed_on = on
        self.closure_implied = implied

    def on_received(self, event: Received) -> None:
        if self.received_on is not None:
            self.warn(
                WarningCode.DUPLICATE_RECEIPT,
                f"已于{cn_date(self.received_on)}确定收到申请，{cn_date(event.on)}的收到记录未计入",
                event.on,
            )
            return
        channel = event.channel
        received_on: dt.date | None
        if channel is Channel.IN_PERSON:
            received_on, rule = event.arrived_on, "in_person"
        elif channel is Channel.LETTER and event.signed_for_on is not None:
            received_on, rule = event.signed_for_on, "letter_signed"
        elif channel is Channel.LETTER:
            received_on, rule = event.confirmed_on, "letter_ordinary"
            if received_on is not None and received_on != event.arrived_on:
                self.warn(
                    WarningCode.LATE_POST_CONFIRMATION,
                    f"平常信函于{cn_date(event.arrived_on)}收到，但至{cn_date(received_on)}才与申请人确认；"
                    "第三十一条要求收到当日确认",
                    received_on,
                )
        elif channel in (Channel.ONLINE, Channel.EMAIL, Channel.FAX):
            received_on, rule = event.confirmed_on, "remote"
        else:
            received_on, rule = event.confirmed_on or event.arrived_on, "other"
            self.warn(
                WarningCode.OTHER_CHANNEL,
                "提交方式不属于第三十一条列明的情形，按登记的收到日期计算",
                event.on,
            )
        if received_on is None:
            # Not a warning: the receipt date is simply not fixed yet. A later Received event
            # with the signature or confirmation date completes it.
            missing = "签收或与申请人确认" if channel is Channel.LETTER else "双方确认"
            self.receipt_lines = [
                f"申请于{cn_date(event.arrived_on)}到达，尚待{missing}；"
                f"收到申请之日确定之前，各项期限不起算（{RECEIPT_RULES[rule]}）。"
            ]
            return
        if received_on < event.arrived_on:
            self.warn(
                WarningCode.RECEIPT_BEFORE_ARRIVAL,
                f"登记的收到之日{cn_date(received_on)}早于申请到达之日{cn_date(event.arrived_on)}",
                received_on,
            )
        self.received_on = received_on
        self.start = received_on
        if self.explain:
            lines = [f"收到申请之日：{cn_date(received_on)}。依据：{RECEIPT_RULES[rule]}。"]
            if self.reply_rule().effective_until is not None:
                lines.append(
                    "本案于2019年5月15日以前收到，期限适用2008年施行的条例；"
                    "该条例未规定收到日期的认定方法，参照现行条例第三十一条认定。"
                )
            self.receipt_lines = lines

    def on_correction_requested(self, event: CorrectionRequested) -> None:
        if self.correction_requests:
            self.warn(
                WarningCode.REPEATED_CORRECTION_NOTICE,
                f"{cn_date(event.on)}再次发出补正告知；第三十条要求一次性告知需要补正的事项",
                event.on,
            )
        rule = self.rule(RuleKey.CORRECTION_NOTICE_DAYS, self.receipt)
        if rule is not None and not self.correction_requests:
            due = self.calendar.add_working_days(self.receipt, rule.days).date
            if event.on > due:
                self.warn(
                    WarningCode.LATE_CORRECTION_NOTICE,
                    f"补正告知于{cn_date(event.on)}发出，超过第三十条规定的7个工作日期限（{cn_date(due)}）",
                    event.on,
                )
        if event.period_ends_on < event.on:
            self.warn(
                WarningCode.CORRECTION_PERIOD_INVALID,
                f"补正期限（{cn_date(event.period_ends_on)}）早于补正告知发出之日",
                event.on,
            )
        self.correction_requests.append(event)
        self.period_ends_on = event.period_ends_on
        if event.late:
            # 逾期补正 (decision 1602): recorded, but the reply limit neither stops nor restarts.
            self.awaiting_late_correction = True
            return
        self.awaiting_correction = True

    def on_correction_received(self, event: CorrectionReceived) -> None:
        if self.awaiting_late_correction:
            self.awaiting_late_correction = False
            self.corrected_on = event.on
            self.warn(
                WarningCode.LATE_CORRECTION_NOTICE,
                f"{cn_date(event.on)}收到补正材料；补正告知逾期发出（逾期补正），答复期限不因补正重新计算",
                event.on,
            )
            return
        if not self.awaiting_correction:
            self.warn(
                WarningCode.CORRECTION_WITHOUT_REQUEST,
                f"{cn_date(event.on)}收到补正材料，但此前没有待补正的告知，答复期限不重新计算",
                event.on,
            )
            return
        if self.period_ends_on is not None and event.on > self.period_ends_on:
            self.warn(
                WarningCode.CORRECTION_AFTER_PERIOD,
                f"补正材料于{cn_date(event.on)}收到，晚于补正期限（{cn_date(self.period_ends_on)}）；已按收到补正处理",
                event.on,
            )
        self.awaiting_correction = False
        self.start = event.on
        self.corrected_on = event.on
        # The reply limit counts afresh; what was decided on the old limit no longer applies.
        self.extensions.clear()
        self.longer = None

    def on_correction_expired(self, event: CorrectionExpired) -> None:
        if self.awaiting_late_correction:
            self.awaiting_late_correction = False
            self.close(ClockStatus.CLOSED_ABANDONED_CORRECTION, event.on)
            return
        if not self.awaiting_correction:
            self.warn(
                WarningCode.CORRECTION_WITHOUT_REQUEST,
                f"{cn_date(event.on)}登记补正期限届满，但此前没有待补正的告知，未作处理",
                event.on,
            )
            return
        if self.period_ends_on is not None and event.on <= self.period_ends_on:
            self.warn(
                WarningCode.CORRECTION_EXPIRED_EARLY,
                f"补正期限至{cn_date(self.period_ends_on)}届满，{cn_date(event.on)}即登记为逾期未补正",
                event.on,
            )
        self.close(ClockStatus.CLOSED_ABANDONED_CORRECTION, event.on)

    def on_consultation_sent(self, event: ConsultationSent) -> None:
        if event.consultation_id in self.consultations:
            self.warn(
                WarningCode.DUPLICATE_CONSULTATION,
                f"征求意见“{event.consultation_id}”重复登记发出，{cn_date(event.on)}的记录未计入",
                event.on,
            )
            return
        key = (
            RuleKey.THIRD_PARTY_ANSWER_DAYS
            if event.party is ConsultationParty.THIRD_PARTY
            else RuleKey.AGENCY_ANSWER_DAYS
        )
        self.consultations[event.consultation_id] = Consultation(
            sent=event,
            delivered_on=event.delivered_on,
            window=self.rule(key, event.delivered_on or event.on),
        )

    def on_consultation_progress(self, event: ConsultationDelivered | ConsultationAnswered) -> None:
        item = self.consultations.get(event.consultation_id)
        if item is None:
            self.warn(
                WarningCode.UNKNOWN_CONSULTATION,
                f"{cn_date(event.on)}的记录所指的征求意见“{event.consultation_id}”没有发出记录，未计入",
                event.on,
            )
            return
        if isinstance(event, ConsultationDelivered):
            item.delivered_on = event.on
            key = (
                RuleKey.THIRD_PARTY_ANSWER_DAYS
                if item.sent.party is ConsultationParty.THIRD_PARTY
                else RuleKey.AGENCY_ANSWER_DAYS
            )
            item.window = self.rule(key, event.on)
        else:
            item.answered_on = event.on

    def on_extension(self, event: ExtensionApproved) -> None:
        limit = self.rules.get(RuleKey.EXTENSION_MAX_DAYS, self.receipt)
        if event.days < 1:
            self.warn(
                WarningCode.EXTENSION_INVALID,
                f"{cn_date(event.on)}登记的延期天数（{event.days}）无效，未计入",
                event.on,
            )
            return
        if self.start is None or self.awaiting_correction:
            self.warn(
                WarningCode.EXTENSION_NOT_RUNNING,
                f"{cn_date(event.on)}同意延期时答复期限尚未起算（待补正），延期未计入",
                event.on,
            )
            return
        if self.extension_days() + event.days > limit.days:
            self.warn(
                WarningCode.EXTENSION_TOO_LONG,
                f"{cn_date(event.on)}同意延期{event.days}个工作日，连同已延期{self.extension_days()}个工作日"
                f"超过{limit.citation}规定的最长{limit.days}个工作日，延期未计入",
                event.on,
            )
            return
        due = self.current_reply_due(event.on)
        if due is not None and event.on > due:
            self.warn(
                WarningCode.EXTENSION_TOO_LATE,
                f"延期于{cn_date(event.on)}才经负责人同意，此时答复期限（{cn_date(due)}）已届满，延期未计入",
                event.on,
            )
            return
        self.extensions.append(event)

    def on_longer_deadline(self, event: LongerDeadlineSet) -> None:
        if self.rule(RuleKey.LONGER_DEADLINE, self.receipt) is None:
            self.warn(
                WarningCode.LONGER_DEADLINE_UNAVAILABLE,
                "第三十五条自2019年5月15日起施行，本案不适用，合理期限未计入",
                event.on,
            )
            return
        if not event.reason.strip():
            self.warn(
                WarningCode.LONGER_DEADLINE_WITHOUT_REASON,
                f"{cn_date(event.on)}确定的合理期限没有说明理由，未计入",
                event.on,
            )
            return
        if self.awaiting_correction:
            self.warn(
                WarningCode.EXTENSION_NOT_RUNNING,
                f"{cn_date(event.on)}确定合理期限时答复期限尚未起算（待补正），未计入",
                event.on,
            )
            return
        due = self.current_reply_due(event.on)
        if due is not None and event.due_on <= due:
            self.warn(
                WarningCode.LONGER_DEADLINE_NOT_LATER,
                f"确定的合理期限{cn_date(event.due_on)}并不晚于现有答复期限{cn_date(due)}，未计入",
                event.on,
            )
            return
        if due is not None and event.on > due:
            self.warn(
                WarningCode.LONGER_DEADLINE_LATE,
                f"合理期限于{cn_date(event.on)}确定，此时答复期限（{cn_date(due)}）已届满",
                event.on,
            )
        self.longer = event

    def on_fee_notice(self, event: FeeNoticeSent) -> None:
        rule = self.rule(RuleKey.FEE_PAYMENT_DAYS, event.on)
        if rule is None:
            self.warn(
                WarningCode.FEE_BEFORE_MEASURE,
                f"收费通知于{cn_date(event.on)}发出，早于《政府信息公开信息处理费管理办法》施行（2021年1月1日），未计入",
                event.on,
            )
            return
        if self.fee is not None:
            self.warn(
                WarningCode.REPEATED_FEE_NOTICE,
                f"{cn_date(event.on)}再次发出收费通知，未计入（本案已于{cn_date(self.fee.sent_on)}发出收费通知）",
                event.on,
            )
            return
        due = self.current_reply_due(event.on)
        if due is not None and event.on > due:
            self.warn(
                WarningCode.FEE_NOTICE_LATE,
                f"收费通知于{cn_date(event.on)}发出，已超过答复期限（{cn_date(due)}）；收费通知应在答复期限内发出",
                event.on,
            )
        self.fee = Fee(sent_on=event.on, rule=rule)

    def on_fee_progress(self, event: FeeNoticeReceived | FeePaid | FeeExpired) -> None:
        fee = self.fee
        if fee is None:
            self.warn(
                WarningCode.FEE_EVENT_WITHOUT_NOTICE,
                f"{cn_date(event.on)}的缴费记录没有对应的收费通知，未计入",
                event.on,
            )
            return
        if isinstance(event, FeeNoticeReceived):
            fee.received_on = event.on
            return
        due = self.fee_due()
        if isinstance(event, FeePaid):
            fee.paid_on = event.on
            if due is not None and event.on > due[0]:
                self.warn(
                    WarningCode.FEE_PAID_LATE,
                    f"费用于{cn_date(event.on)}缴纳，晚于缴费期限（{cn_date(due[0])}）",
                    event.on,
                )
            return
        if due is None or event.on <= due[0]:
            shown = f"缴费期限（{cn_date(due[0])}）届满前" if due else "缴费期限确定前"
            self.warn(
                WarningCode.FEE_EXPIRED_EARLY,
                f"{cn_date(event.on)}在{shown}即登记为逾期未缴费",
                event.on,
            )
        self.close(ClockStatus.CLOSED_ABANDONED_FEE, event.on)
