"""Every write to annual reports — each one typed function; the workflow steps run through
``reports.workflow.WORKFLOW`` (the kernel locks, checks status, role and guard, records the
event and the audit entry in one transaction); imports and the season are checked with
``require``.

Workflow: 编制中 (the handler computes the figures, enters the cells the platform cannot know,
edits the prose) → 待审核 (the 审核人) → 待审批 (the 负责人 approves: the figures and the prose
are frozen into a :class:`ReportVersion` and published) → 已发布. A correction (更正) reopens
the working copy with a visible note; approving it publishes the next version and keeps the
earlier ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.permissions import require
from gongkai.agencies.models import Agency
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import record_audit
from gongkai.reports import compute, formats, narrative, statistics, verdict
from gongkai.reports.checks import CheckFailure
from gongkai.reports.choices import EventKind, JobStatus, ReportStatus, Scope, Source
from gongkai.reports.models import (
    AnnualReport,
    Reminder,
    ReportJob,
    ReportVersion,
    SeasonSetting,
)
from gongkai.reports.schema import validate_report
from gongkai.reports.workflow import (
    WORKFLOW,
    ReportError,
    describe,
    person,
    record_report_event,
)

# -- reading what a service needs -----------------------------------------------------------


def previous_report(report: AnnualReport) -> AnnualReport | None:
    """Return last year's published report of the same agency (same scope preferred)."""
    candidates = list(
        AnnualReport.objects.filter(
            agency_id=report.agency_id, year=report.year - 1, published_version__isnull=False
        ).select_related("published_version")
    )
    candidates.sort(key=lambda r: r.scope != report.scope)
    return candidates[0] if candidates else None


def checks_for(report: AnnualReport, data: Mapping[str, Any] | None = None) -> list[CheckFailure]:
    """Run the identities (and S1–S3 against last year's report) on the report's figures."""
    previous = previous_report(report)
    return compute.report_checks(
        data if data is not None else report.data,
        previous.published.data if previous else None,
    )


def _hard_failures(report: AnnualReport) -> list[CheckFailure]:
    return [f for f in checks_for(report) if f.is_hard]


# -- creating and computing -----------------------------------------------------------------


def report_start(
    *, by: Actor, agency: Agency, year: int, scope: str = Scope.OWN, compute_now: bool = True
) -> AnnualReport:
    """Open the working copy of ``agency``'s ``year`` report and (by default) compute it."""
    new = AnnualReport(
        agency=agency,
        year=year,
        scope=scope,
        format=formats.format_for_year(year),
        created_by=user_of(by),
    )
    WORKFLOW.authorise(by, "create", new)
    if new.format == 2008:
        raise ReportError("2019年以前的年度报告使用2008年统计表，只能导入已发布的报告。")
    if scope not in Scope.values:
        raise ReportError("统计范围无效。")
    with WORKFLOW.perform(new, "create", by=by) as step:
        if AnnualReport.objects.filter(agency=agency, year=year, scope=scope).exists():
            raise ReportError("该机关本年度的报告已经存在。", code="exists")
        step.record(EventKind.CREATED)
        step.audit_after.update(year=year, scope=scope)
    report = step.obj
    if compute_now:
        report = report_refresh(by=by, report=report, redraft=True)
    return report


def report_refresh(
    *,
    by: Actor,
    report: AnnualReport,
    redraft: bool = False,
    progress: compute.Progress | None = None,
) -> AnnualReport:
    """Recompute the figures from the record (hand-entered cells kept); optionally redraft prose."""
    data = compute.compute_report(
        report.agency,
        report.year,
        consolidated=report.is_consolidated,
        manual_cells=report.manual_cells,
        progress=progress or compute.ignore_progress,
    )
    with WORKFLOW.perform(report, "refresh", by=by, audit="report.refresh") as step:
        report = step.obj
        report.data = data
        report.computed_at = timezone.now()
        if redraft or not report.narrative:
            previous = previous_report(report)
            report.narrative = narrative.draft(
                data,
                previous.published.data if previous else None,
                previous.published.narrative if previous else None,
            )
        step.record(EventKind.REFRESHED, note="重新起草文字部分" if redraft else "")
        step.audit_after["computed_at"] = report.computed_at
    return step.obj


def _number(value: Any, cell: str) -> int | float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ReportError({"value": ["请填写数字。"]}) from None
    allow_decimal = cell.endswith(".amount")
    if not allow_decimal and not number.is_integer():
        raise ReportError({"value": ["该单元格应为整数。"]})
    signed = cell.endswith(".change")
    if number < 0 and not signed:
        raise ReportError({"value": ["该单元格不能为负数。"]})
    return int(number) if number.is_integer() else number


def report_set_cell(
    *, by: Actor, report: AnnualReport, cell: str, value: Any, source: str
) -> AnnualReport:
    """Enter a cell by hand, marked with who entered it and the source (e.g. 执法办案系统)."""
    if not (source or "").strip():
        raise ReportError({"source": ["请写明数据来源。"]})
    with WORKFLOW.perform(report, "edit", by=by, audit="report.set_cell") as step:
        report = step.obj
        t2fmt = report.data.get("table2_format") if report.data else None
        if cell not in compute.valid_cells(report.format, t2fmt):
            raise ReportError({"cell": ["没有这个单元格。"]})
        number = _number(value, cell)
        before = compute.get_cell(report.data, cell)
        previous = report.manual_cells.get(cell) or {}
        entry = {
            "value": number,
            "by": person(by),
            "source": source.strip(),
            "at": timezone.localtime().isoformat(timespec="seconds"),
            "computed": previous.get("computed", before),
        }
        report.manual_cells = {**report.manual_cells, cell: entry}
        data = dict(report.data)
        compute.set_cell(data, cell, number)
        data["hand_entered"] = report.manual_cells
        report.data = data
        label = compute.cell_label(report.format, cell, t2fmt)
        step.record(EventKind.CELL_ENTERED, note=f"{label}：{before} → {number}（来源：{source}）")
        step.audit_before[cell] = before
        step.audit_after.update({cell: number, "source": source})
    return step.obj


def report_clear_cell(*, by: Actor, report: AnnualReport, cell: str) -> AnnualReport:
    """Withdraw a hand-entered cell; the computed figure comes back."""
    with WORKFLOW.perform(report, "edit", by=by, audit="report.clear_cell") as step:
        report = step.obj
        entry = report.manual_cells.get(cell)
        if entry is None:
            raise ReportError({"cell": ["该单元格不是手工填报的。"]})
        cells = dict(report.manual_cells)
        del cells[cell]
        report.manual_cells = cells
        data = dict(report.data)
        compute.set_cell(data, cell, entry.get("computed") or 0)
        data["hand_entered"] = cells
        report.data = data
        step.record(EventKind.CELL_CLEARED, note=compute.cell_label(report.format, cell))
        step.audit_before[cell] = entry.get("value")
    return step.obj


def report_edit_narrative(
    *, by: Actor, report: AnnualReport, sections: Mapping[str, str]
) -> AnnualReport:
    """Save the officers' prose for sections 一, 五 and 六 (the tables are not touched)."""
    with WORKFLOW.perform(report, "edit", by=by, audit="report.edit_narrative") as step:
        report = step.obj
        updated = dict(report.narrative)
        for key, text in sections.items():
            if key not in ("一", "五", "六"):
                raise ReportError({"sections": ["只能编辑第一、五、六部分。"]})
            updated[key] = (text or "").strip()
        changed = [k for k in updated if updated[k] != report.narrative.get(k)]
        report.narrative = updated
        if changed:
            step.record(EventKind.NARRATIVE_EDITED, note="、".join(f"第{k}部分" for k in changed))
            step.audit_after["sections"] = changed
    return step.obj


def _refuse_if_broken(report: AnnualReport) -> None:
    hard = _hard_failures(report)
    if hard:
        raise ReportError(
            ["勾稽关系不成立，不能提交或发布："] + [f.message for f in hard], code="checks"
        )


def report_submit(*, by: Actor, report: AnnualReport) -> AnnualReport:
    """Send the draft to the 审核人 (refused while a hard identity fails or a gap is left)."""
    with WORKFLOW.perform(report, "submit", by=by) as step:
        _refuse_if_broken(step.obj)
        if narrative.has_gaps(step.obj.narrative):
            raise ReportError("文字部分还有【请填写：……】未完成。", code="gaps")
        step.record(EventKind.SUBMITTED)
    return step.obj


def report_review(
    *, by: Actor, report: AnnualReport, passed: bool, comment: str = ""
) -> AnnualReport:
    """The 审核人 passes the report on to the 负责人, or returns it with a comment."""
    name = "review_pass" if passed else "review_return"
    if not passed and not comment.strip():
        raise ReportError({"comment": ["退回时请写明审核意见。"]})
    with WORKFLOW.perform(report, name, by=by, audit="report.review") as step:
        step.record(EventKind.REVIEW_PASSED if passed else EventKind.REVIEW_RETURNED, note=comment)
        step.audit_after.update(passed=passed, comment=comment)
    return step.obj


def report_approve(
    *,
    by: Actor,
    report: AnnualReport,
    passed: bool = True,
    comment: str = "",
    today: dt.date | None = None,
) -> AnnualReport:
    """The 负责人 approves and publishes (a frozen version), or returns the report."""
    if not passed:
        if not comment.strip():
            raise ReportError({"comment": ["退回时请写明意见。"]})
        with WORKFLOW.perform(report, "approval_return", by=by) as step:
            step.record(EventKind.APPROVAL_RETURNED, note=comment)
            step.audit_after["comment"] = comment
        return step.obj
    with WORKFLOW.perform(report, "approve", by=by, audit="report.publish") as step:
        _refuse_if_broken(step.obj)
        version = _publish(step.obj, by, today or timezone.localdate())
        step.record(
            EventKind.APPROVED, note=f"第{version.number}版" + (f"；{comment}" if comment else "")
        )
        step.audit_after["version"] = version.number
    return step.obj


def _publish(report: AnnualReport, by: Actor, on: dt.date) -> ReportVersion:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        data=report.data,
        manual_cells=report.manual_cells,
        narrative=report.narrative,
        correction_note=report.correction_note if number > 1 else "",
        published_on=on,
        published_by=user_of(by),
    )
    verdict.store(version)
    report.status = ReportStatus.PUBLISHED
    report.published_version = version
    report.save(update_fields=["status", "published_version", "updated_at"])
    return version


def report_start_correction(*, by: Actor, report: AnnualReport, note: str) -> AnnualReport:
    """Reopen a published report for a correction (更正); the note is shown with the new version.

    The published version stays on the portal until the correction is approved.
    """
    if not (note or "").strip():
        raise ReportError({"note": ["请写明更正说明。"]})
    with WORKFLOW.perform(report, "correct", by=by) as step:
        step.obj.correction_note = note.strip()
        step.record(EventKind.CORRECTION_STARTED, note=note)
        step.audit_after["note"] = note
    return step.obj


# -- imports: history and submissions from agencies not on the platform ----------------------


def report_import(
    *,
    by: Actor,
    agency: Agency,
    year: int,
    data: Mapping[str, Any],
    source: str = Source.IMPORTED,
    scope: str = Scope.OWN,
    replace: bool = False,
    narrative_text: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> tuple[AnnualReport, list[CheckFailure]]:
    """Store a report read from a file as ``agency``'s published report for ``year``.

    History (``IMPORTED``) is kept as published, failed identities included (they are returned
    as warnings). A submission (``SUBMITTED``) from an agency not on the platform must pass the
    same checks as a platform report and is refused for an agency with records on the platform.
    """
    role = require(by, "report.import", agency, allow={SYSTEM})
    report_data = dict(data)
    report_data["agency"] = {"name": agency.name, "code": agency.credit_code}
    report_data["year"] = year
    report_data["scope"] = str(Scope(scope).label)
    report_data.setdefault("hand_entered", {})
    fmt = report_data.get("format")
    errors = validate_report(report_data, partial=source == Source.IMPORTED)
    if fmt != formats.format_for_year(year) and source == Source.SUBMITTED:
        errors.append(f"{year}年度报告应使用{formats.format_for_year(year)}年格式")
    if errors:
        raise ReportError(errors, code="schema")
    failures = compute.report_checks(report_data, None)
    if source == Source.SUBMITTED:
        hard = [f.message for f in failures if f.is_hard]
        if hard:
            raise ReportError(["勾稽关系不成立，不能导入："] + hard, code="checks")
        if statistics.has_records(agency, year):
            raise ReportError(
                "该机关在平台上有本年度的申请记录，应在平台上编制报告。", code="on_platform"
            )
    with transaction.atomic():
        existing = (
            AnnualReport.objects.select_for_update()
            .filter(agency=agency, year=year, scope=scope)
            .first()
        )
        if existing is not None and (existing.is_computed or not replace):
            raise ReportError("该机关本年度的报告已经存在。", code="exists")
        report = existing or AnnualReport(agency=agency, year=year, scope=scope)
        report.format = int(fmt or formats.format_for_year(year))
        report.source = source
        report.data = report_data
        report.narrative = dict(narrative_text or {})
        report.correction_note = "重新导入" if existing else ""
        report.created_by = report.created_by or user_of(by)
        report.save()
        version = _publish(report, by, today or timezone.localdate())
        record_report_event(
            report, EventKind.IMPORTED, by=by, note=f"{Source(source).label}，第{version.number}版"
        )
        record_audit(
            action="report.import",
            actor=by,
            target=report,
            agency=report.agency,
            role=role,
            after={"source": source, "version": version.number},
            target_repr=describe(report),
        )
    return report, failures


# -- compilation season ----------------------------------------------------------------------


def season_set_deadlines(
    *,
    by: Actor,
    government: Agency,
    year: int,
    department_due_on: dt.date | None,
    government_due_on: dt.date | None,
) -> SeasonSetting:
    """Set local deadlines (earlier than the statutory ones) for the subtree's reports."""
    role = require(by, "report.season", government)
    statutory = {"department": dt.date(year + 1, 1, 31), "government": dt.date(year + 1, 3, 31)}
    for name, value in (
        ("department_due_on", department_due_on),
        ("government_due_on", government_due_on),
    ):
        limit = statutory["department" if name.startswith("department") else "government"]
        if value is not None and value > limit:
            raise ReportError({name: [f"本地期限不能晚于法定期限{limit:%Y年%-m月%-d日}。"]})
    with transaction.atomic():
        setting, _ = SeasonSetting.objects.update_or_create(
            government=government,
            year=year,
            defaults={
                "department_due_on": department_due_on,
                "government_due_on": government_due_on,
            },
        )
        record_audit(
            action="report.season_deadlines",
            actor=by,
            target=setting,
            agency=government,
            role=role,
            after={
                "year": year,
                "department_due_on": department_due_on,
                "government_due_on": government_due_on,
            },
        )
    return setting


def reminder_send(
    *, by: Actor, government: Agency, agency: Agency, year: int, message: str
) -> Reminder:
    """Record a reminder to a sub-agency about its report (shown on its report pages)."""
    role = require(by, "report.season", government)
    if not agency.path.startswith(government.path):
        raise PermissionDenied
    if not (message or "").strip():
        raise ReportError({"message": ["请填写提醒内容。"]})
    with transaction.atomic():
        reminder = Reminder.objects.create(
            government=government,
            agency=agency,
            year=year,
            message=message.strip(),
            sent_by=user_of(by),
        )
        record_audit(
            action="report.remind",
            actor=by,
            target=reminder,
            agency=agency,
            role=role,
            after={"year": year, "message": message.strip()},
            target_repr=f"{agency.name}{year}年度报告催报",
        )
    return reminder


# -- background jobs -----------------------------------------------------------------------


def job_start(*, by: Actor, report: AnnualReport, redraft: bool = False) -> ReportJob:
    """Queue a recomputation of ``report`` (a 汇总 report can take a while) and return the job."""
    WORKFLOW.authorise(by, "refresh", report)
    if WORKFLOW.status_refusal(report, "refresh"):
        raise ReportError("只有编制中的报告可以重新统计。")
    job = ReportJob.objects.create(report=report, created_by=user_of(by), steps=6)
    # Cycle: reports.tasks imports these services (its task runs them).
    from gongkai.reports.tasks import run_report_job

    job_id, user_id = job.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: run_report_job.enqueue(job_id, user_id, redraft))
    return job


def job_run(*, job: ReportJob, by: Actor, redraft: bool = False) -> ReportJob:
    """Run a queued job, recording its progress step by step (called by the task)."""

    def progress(step: int, steps: int, message: str) -> None:
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, step=step, steps=steps, message=message
        )

    try:
        report_refresh(by=by, report=job.report, redraft=redraft, progress=progress)
    except Exception as exc:
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, step=6, steps=6, message="完成", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
