"""Turning a replayed case into its deadlines, status, warnings and Chinese explanation.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt

from gongkai.workcalendar.clock.counting import Run
from gongkai.workcalendar.clock.replay import PARTY_LABELS, CaseReplay
from gongkai.workcalendar.clock.results import (
    ClockResult,
    ClockStatus,
    Deadline,
    DeadlineName,
    DeadlineState,
    Pause,
    PauseReason,
    WarningCode,
)
from gongkai.workcalendar.events import ConsultationParty
from gongkai.workcalendar.rules import REG2019, LegalParameter, RuleKey
from gongkai.workcalendar.wording import PROVISIONAL, calendar_lines, cn_date, cn_weekday


def build_result(case: CaseReplay) -> ClockResult:
    """Close what the passage of time closed, then build the deadlines and the status."""
    today = case.today
    if case.closed is None and case.received_on is not None:
        if case.awaiting_correction and case.period_ends_on and today > case.period_ends_on:
            case.close(
                ClockStatus.CLOSED_ABANDONED_CORRECTION,
                case.period_ends_on + dt.timedelta(days=1),
                implied=True,
            )
        fee_due = case.fee_due()
        if case.fee is not None and case.fee.paid_on is None and fee_due and today > fee_due[0]:
            case.close(
                ClockStatus.CLOSED_ABANDONED_FEE,
                fee_due[0] + dt.timedelta(days=1),
                implied=True,
            )
    asof = case.closed_on if case.closed_on is not None else today
    deadlines: list[Deadline] = []
    pauses: tuple[Pause, ...] = ()
    status = case.closed
    if case.received_on is not None:
        correction = _correction_notice_deadline(case)
        if correction is not None:
            deadlines.append(correction)
        reply, run = _reply_deadline(case, asof)
        deadlines.append(reply)
        if run is not None:
            pauses = tuple(s.pause for s in run.skips)
            if run.paused_by is not None:
                pauses += (run.paused_by,)
        target = _internal_target_deadline(case, asof)
        if target is not None:
            deadlines.append(target)
        deadlines.extend(_consultation_deadlines(case))
        fee = _fee_deadline(case)
        if fee is not None:
            deadlines.append(fee)
        if status is None:
            if case.awaiting_correction:
                status = ClockStatus.AWAITING_CORRECTION
            elif run is not None and run.paused_by is not None and case.longer is None:
                status = ClockStatus.PAUSED
            else:
                status = ClockStatus.OPEN
    elif status is None:
        status = ClockStatus.NOT_RECEIVED

    unknown: set[int] = set()
    for item in deadlines:
        if item.provisional:
            unknown.update(_years_behind(case, item))
    provisional = any(item.provisional for item in deadlines)
    if provisional:
        years = "、".join(f"{y}年" for y in sorted(unknown)) or "部分年份"
        case.warn(
            WarningCode.PROVISIONAL_CALENDAR,
            f"{years}的国务院节假日安排尚未载入，涉及的期限为{PROVISIONAL}，请平台管理员载入后重新计算",
        )
    return ClockResult(
        today=today,
        status=status,
        received_on=case.received_on,
        clock_start=case.start,
        deadlines=tuple(deadlines),
        pauses=pauses,
        warnings=tuple(case.warnings),
        receipt_explanation=tuple(case.receipt_lines),
        provisional=provisional,
        unknown_years=tuple(sorted(unknown)),
    )


def _years_behind(case: CaseReplay, item: Deadline) -> tuple[int, ...]:
    points = [d for d in (case.received_on, item.due, case.today) if d is not None]
    return case.calendar.unknown_years_between(min(points), max(points))


def _remaining(case: CaseReplay, due: dt.date) -> tuple[int, bool]:
    count = case.calendar.working_days_between(case.today, due)
    return count.days, count.provisional


def _open_state(case: CaseReplay, due: dt.date) -> DeadlineState:
    return DeadlineState.OVERDUE if case.today > due else DeadlineState.PENDING


def _correction_notice_deadline(case: CaseReplay) -> Deadline | None:
    received = case.receipt
    rule = case.rule(RuleKey.CORRECTION_NOTICE_DAYS, received)
    if rule is None:
        return None
    result = case.calendar.add_working_days(received, rule.days)
    due, provisional = result.date, result.provisional
    sent = case.correction_requests[0].on if case.correction_requests else None
    days: int | None = None
    if sent is not None:
        state = DeadlineState.MET if sent <= due else DeadlineState.MET_LATE
    elif case.closed is not None:
        state = DeadlineState.MOOT
    elif case.today > due:
        state = DeadlineState.LAPSED
    else:
        state = DeadlineState.PENDING
        days, later = _remaining(case, due)
        provisional = provisional or later
    lines: list[str] = []
    if case.explain:
        lines.append(
            f"需要补正的，应自收到申请之日（{cn_date(received)}）起{rule.days}个工作日内"
            f"一次性告知申请人（{rule.citation}）。"
        )
        lines.extend(calendar_lines(case.calendar, received, due))
        lines.append(_due_line("补正告知期限届满日", due, result.provisional))
        if sent is not None:
            timing = "在期限内" if sent <= due else "已超过期限"
            lines.append(f"补正告知已于{cn_date(sent)}发出，{timing}。")
        elif state is DeadlineState.LAPSED:
            lines.append("期限内未发出补正告知，此后不得再要求补正。")
        if case.period_ends_on is not None:
            lines.append(f"申请人的补正期限至{cn_date(case.period_ends_on)}。")
            if case.closed is ClockStatus.CLOSED_ABANDONED_CORRECTION:
                lines.append("申请人无正当理由逾期不补正，视为放弃申请，不再处理（第三十条）。")
    return Deadline(
        name=DeadlineName.CORRECTION_NOTICE,
        due=due,
        state=state,
        days_remaining=days,
        provisional=provisional,
        citation=rule.citation,
        explanation=tuple(lines),
        met_on=sent,
    )


def _reply_deadline(case: CaseReplay, asof: dt.date) -> tuple[Deadline, Run | None]:
    rule = case.reply_rule()
    replied_on = case.closed_on if case.closed is ClockStatus.CLOSED_REPLIED else None
    lines: list[str] = []
    start = case.start
    if start is None or case.awaiting_correction:
        state = DeadlineState.MOOT if case.closed else DeadlineState.WAITING
        if case.explain:
            lines.append(
                "已发出补正告知，答复期限自收到补正后的申请之日起重新计算（第三十条）；目前暂不计算。"
            )
            if case.closed is ClockStatus.CLOSED_ABANDONED_CORRECTION:
                lines.append("申请人逾期未补正，视为放弃申请，答复期限不再适用。")
        deadline = Deadline(
            DeadlineName.REPLY, None, state, None, False, rule.citation, tuple(lines)
        )
        return deadline, None

    run = case.run_from(start, case.reply_budget(), asof)
    due = run.due
    due_provisional = run.provisional
    if case.longer is not None:
        due = case.longer.due_on
        due_provisional = due_provisional or case.calendar.touches_unknown_year(start, due)
    state, days, later = _judge(case, due, run, replied_on)
    if case.explain:
        lines.extend(_reply_lines(case, start, rule, run, due, due_provisional, state))
        if replied_on is not None:
            lines.append(_met_line("已于", replied_on, due))
    if replied_on is not None and due is not None and replied_on > due:
        case.warn(
            WarningCode.REPLIED_LATE,
            f"于{cn_date(replied_on)}答复，超过答复期限（{cn_date(due)}）",
            replied_on,
        )
    deadline = Deadline(
        name=DeadlineName.REPLY,
        due=due,
        state=state,
        days_remaining=days,
        provisional=due_provisional or later,
        citation=rule.citation,
        explanation=tuple(lines),
        met_on=replied_on,
    )
    return deadline, run


def _judge(
    case: CaseReplay, due: dt.date | None, run: Run, met_on: dt.date | None
) -> tuple[DeadlineState, int | None, bool]:
    """Return the state, days remaining and extra provisionality of a running clock."""
    if met_on is not None:
        late = due is not None and met_on > due
        return (DeadlineState.MET_LATE if late else DeadlineState.MET), None, False
    if case.closed is not None:
        return DeadlineState.MOOT, None, False
    if due is None:
        return DeadlineState.PAUSED, run.remaining, False
    days, provisional = _remaining(case, due)
    return _open_state(case, due), days, provisional


def _reply_lines(
    case: CaseReplay,
    start: dt.date,
    rule: LegalParameter,
    run: Run,
    due: dt.date | None,
    due_provisional: bool,
    state: DeadlineState,
) -> list[str]:
    received = case.receipt
    lines: list[str] = []
    if case.corrected_on is not None:
        lines.append(
            f"申请人于{cn_date(case.corrected_on)}提交补正后的申请，答复期限自该日起重新计算（{REG2019}第三十条）。"
        )
        origin = "收到补正后的申请之日"
    else:
        origin = "收到申请之日"
    lines.append(
        f"答复期限为自{origin}（{cn_date(start)}）起{rule.days}个工作日（{rule.citation}）；"
        "起算当日不计入，自次日起算。"
    )
    for skip in run.skips:
        lines.append(_pause_line(case, skip.pause, skip.first, skip.last, skip.working_days))
    if run.paused_by is not None:
        pause = run.paused_by
        what = (
            "征求意见" if pause.reason is PauseReason.CONSULTATION else "等待申请人缴纳信息处理费"
        )
        line = (
            f"自{cn_date(pause.start)}起{what}，答复期限暂停计算：已计{run.used}个工作日，"
            f"尚余{run.remaining}个工作日。"
        )
        if pause.latest_end is not None:
            ends = "答复期限届满" if pause.reason is PauseReason.CONSULTATION else "缴费期限届满"
            line += f"最迟于{cn_date(pause.latest_end)}{ends}后恢复计算或结案。"
        lines.append(line)
    for extension in case.extensions:
        limit = case.rules.get(RuleKey.EXTENSION_MAX_DAYS, received)
        reason = f"，理由：{extension.reason}" if extension.reason else ""
        lines.append(
            f"{cn_date(extension.on)}经政府信息公开工作机构负责人同意，延长答复期限{extension.days}个工作日"
            f"（{limit.citation}，最长{limit.days}个工作日）{reason}。"
        )
    if case.longer is not None:
        citation = case.rules.get(RuleKey.LONGER_DEADLINE, received).citation
        lines.append(
            f"{cn_date(case.longer.on)}依据{citation}确定延迟答复的合理期限至{cn_date(case.longer.due_on)}，"
            f"理由：{case.longer.reason}。"
        )
    end = due
    if end is None and run.paused_by is not None:
        end = run.paused_by.start
    if end is not None:
        lines.extend(calendar_lines(case.calendar, start, end))
    if due is not None:
        label = "答复期限届满日" if case.longer is None else "答复期限（合理期限）届满日"
        lines.append(_due_line(label, due, due_provisional))
    elif state is DeadlineState.PAUSED:
        lines.append("答复期限暂停计算中，恢复计算后再确定届满日。")
    return lines


def _pause_line(
    case: CaseReplay, pause: Pause, first: dt.date, last: dt.date, working_days: int
) -> str:
    if pause.reason is PauseReason.CONSULTATION:
        item = case.consultations[pause.ref]
        party = PARTY_LABELS[item.sent.party]
        citation = case.rules.get(RuleKey.CONSULTATION_NOT_COUNTED, case.receipt).citation
        ended = "收到意见" if item.answered_on == last else "答复期限届满"
        return (
            f"{cn_date(first)}发出征求{party}意见书（{pause.ref}），至{cn_date(last)}{ended}；"
            f"征求意见所需时间不计算在答复期限内（{citation}），其间{working_days}个工作日不计入。"
        )
    return (
        f"{cn_date(first)}发出收费通知，至{cn_date(last)}申请人缴费；期间答复期限暂停计算"
        f"（本平台的决定：收费办法是否将收费期间排除在答复期限外尚未确认），"
        f"其间{working_days}个工作日不计入。"
    )


def _internal_target_deadline(case: CaseReplay, asof: dt.date) -> Deadline | None:
    target = case.rules.internal_target_days
    start = case.start
    if target <= 0 or start is None or case.awaiting_correction:
        return None
    run = case.run_from(start, target, asof)
    replied_on = case.closed_on if case.closed is ClockStatus.CLOSED_REPLIED else None
    state, days, later = _judge(case, run.due, run, replied_on)
    lines: list[str] = []
    if case.explain:
        lines.append(
            f"本平台设定的内部办理目标：自{cn_date(start)}起{target}个工作日，"
            "暂停情形与答复期限相同，不延期（非法定期限）。"
        )
        if run.due is not None:
            lines.append(_due_line("内部办理目标日", run.due, run.provisional))
        if replied_on is not None:
            lines.append(_met_line("已于", replied_on, run.due))
    return Deadline(
        name=DeadlineName.INTERNAL_TARGET,
        due=run.due,
        state=state,
        days_remaining=days,
        provisional=run.provisional or later,
        citation="本平台内部办理目标",
        explanation=tuple(lines),
        met_on=replied_on,
    )


def _consultation_deadlines(case: CaseReplay) -> list[Deadline]:
    deadlines: list[Deadline] = []
    for ref, item in case.consultations.items():
        rule = item.window
        if rule is None:
            continue  # no statutory answer window (2008 Regulations)
        base = item.delivered_on or item.sent.on
        result = case.calendar.add_working_days(base, rule.days)
        due, provisional = result.date, result.provisional
        name = (
            DeadlineName.THIRD_PARTY_ANSWER
            if item.sent.party is ConsultationParty.THIRD_PARTY
            else DeadlineName.AGENCY_ANSWER
        )
        days: int | None = None
        if item.answered_on is not None:
            state = DeadlineState.MET if item.answered_on <= due else DeadlineState.MET_LATE
        elif case.closed is not None:
            state = DeadlineState.MOOT
        elif case.today > due:
            state = DeadlineState.LAPSED
        else:
            state = DeadlineState.PENDING
            days, later = _remaining(case, due)
            provisional = provisional or later
        lines: list[str] = []
        if case.explain:
            party = PARTY_LABELS[item.sent.party]
            if item.delivered_on is not None:
                start = f"{party}收到征求意见书之日（{cn_date(item.delivered_on)}）"
            else:
                start = f"征求意见书发出之日（{cn_date(item.sent.on)}；{party}收到日期尚未登记，暂按发出日计算）"
            lines.append(f"{party}应自{start}起{rule.days}个工作日内提出意见（{rule.citation}）。")
            lines.extend(calendar_lines(case.calendar, base, due))
            lines.append(_due_line("意见答复期限届满日", due, result.provisional))
            if item.answered_on is not None:
                lines.append(_met_line("已于", item.answered_on, due, verb="收到意见"))
            elif state is DeadlineState.LAPSED:
                if item.sent.party is ConsultationParty.THIRD_PARTY:
                    lines.append("第三方逾期未提出意见，由行政机关依照条例自行决定（第三十二条）。")
                else:
                    lines.append("被征求意见机关逾期未提出意见，视为同意公开（第三十四条）。")
        deadlines.append(
            Deadline(
                name=name,
                due=due,
                state=state,
                days_remaining=days,
                provisional=provisional,
                citation=rule.citation,
                explanation=tuple(lines),
                ref=ref,
                met_on=item.answered_on,
            )
        )
    return deadlines


def _fee_deadline(case: CaseReplay) -> Deadline | None:
    fee = case.fee
    if fee is None:
        return None
    lines: list[str] = []
    received = fee.received_on
    if received is None:
        state = DeadlineState.MOOT if case.closed else DeadlineState.WAITING
        if case.explain:
            lines.append(
                f"收费通知已于{cn_date(fee.sent_on)}发出；缴费期限自申请人收到收费通知的次日起算，"
                "收到日期尚未登记。"
            )
        return Deadline(
            DeadlineName.FEE_PAYMENT, None, state, None, False, fee.rule.citation, tuple(lines)
        )
    result = case.calendar.add_working_days(received, fee.rule.days)
    due, provisional = result.date, result.provisional
    days: int | None = None
    if fee.paid_on is not None:
        state = DeadlineState.MET if fee.paid_on <= due else DeadlineState.MET_LATE
    elif case.closed is ClockStatus.CLOSED_ABANDONED_FEE:
        state = DeadlineState.LAPSED
    elif case.closed is not None:
        state = DeadlineState.MOOT
    elif case.today > due:
        state = DeadlineState.LAPSED
    else:
        state = DeadlineState.PENDING
        days, later = _remaining(case, due)
        provisional = provisional or later
    if case.explain:
        lines.append(
            f"申请人于{cn_date(received)}收到收费通知，应自次日起{fee.rule.days}个工作日内缴纳"
            f"（{fee.rule.citation}）。"
        )
        lines.extend(calendar_lines(case.calendar, received, due))
        lines.append(_due_line("缴费期限届满日", due, result.provisional))
        if fee.paid_on is not None:
            lines.append(_met_line("已于", fee.paid_on, due, verb="缴费"))
        elif state is DeadlineState.LAPSED:
            lines.append("申请人逾期未缴纳费用，视为放弃申请，不再处理。")
    return Deadline(
        name=DeadlineName.FEE_PAYMENT,
        due=due,
        state=state,
        days_remaining=days,
        provisional=provisional,
        citation=fee.rule.citation,
        explanation=tuple(lines),
        met_on=fee.paid_on,
    )


def _due_line(label: str, due: dt.date, provisional: bool) -> str:
    mark = f"（{PROVISIONAL}）" if provisional else ""
    return f"{label}：{cn_date(due)}（{cn_weekday(due)}）{mark}。"


def _met_line(prefix: str, on: dt.date, due: dt.date | None, *, verb: str = "答复") -> str:
    if due is None or on <= due:
        return f"{prefix}{cn_date(on)}{verb}，在期限内。"
    return f"{prefix}{cn_date(on)}{verb}，超过期限（{cn_date(due)}）。"
