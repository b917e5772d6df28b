"""Office pages of annual reports. Thin: lists start from ``visible_to``, reports come through
``access_report``, writes go through the services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import agencies_for, can, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.permissions import access_agency
from gongkai.core.actors import Actor
from gongkai.core.archives import ArchiveError, check_archive
from gongkai.core.workflow import allowed_steps, may
from gongkai.reports import forms as f
from gongkai.reports import selectors
from gongkai.reports import services as s
from gongkai.reports.builders import exports
from gongkai.reports.choices import ReportStatus, Scope, Source
from gongkai.reports.compute import report_checks
from gongkai.reports.parsing import parse_report
from gongkai.reports.permissions import access_job, access_report
from gongkai.reports.schema import ReportValidationError, load_report
from gongkai.reports.workflow import TRANSITIONS

SIGNING_SALT = "gongkai.reports.import"
logger = logging.getLogger(__name__)


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@workspace_required("reports")
def report_index(request: HttpRequest) -> HttpResponse:
    """Every report the user may see, and the form to open a new one."""
    agencies = agencies_for(request.user, "report.start")
    form = f.StartForm(agencies=agencies)
    return render(
        request,
        "reports/index.html",
        {
            "reports": selectors.office_reports(request.user)[:200],
            "form": form if agencies.exists() else None,
            "can_season": selectors.season_governments(request.user).exists(),
            "can_import": agencies_for(request.user, "report.import").exists(),
        },
    )


@staff_required
@require_POST
def report_start_view(request: HttpRequest) -> HttpResponse:
    """Open a report; a 汇总 report is computed in the background with a progress bar."""
    agencies = agencies_for(request.user, "report.start")
    if not agencies.exists():
        raise PermissionDenied
    form = f.StartForm(request.POST, agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        consolidated = data["scope"] == Scope.CONSOLIDATED
        try:
            report = s.report_start(
                by=request.user,
                agency=data["agency"],
                year=data["year"],
                scope=data["scope"],
                compute_now=not consolidated,
            )
            if consolidated:
                job = s.job_start(by=request.user, report=report, redraft=True)
                return redirect("reports:job", pk=report.pk, job_pk=job.pk)
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
            return redirect("reports:index")
        return redirect("reports:detail", pk=report.pk)
    messages.error(request, _("请检查机关、年度和统计范围。"))
    return redirect("reports:index")


#: The steps the report page offers as buttons, and the service each runs.
STEPS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "submit": lambda r, u, data: s.report_submit(by=u, report=r),
    "review_pass": lambda r, u, data: s.report_review(
        by=u, report=r, passed=True, comment=data.get("comment", "")
    ),
    "review_return": lambda r, u, data: s.report_review(
        by=u, report=r, passed=False, comment=data.get("comment", "")
    ),
    "approve": lambda r, u, data: s.report_approve(
        by=u, report=r, passed=True, comment=data.get("comment", "")
    ),
    "approval_return": lambda r, u, data: s.report_approve(
        by=u, report=r, passed=False, comment=data.get("comment", "")
    ),
    "correct": lambda r, u, data: s.report_start_correction(
        by=u, report=r, note=data.get("note", "")
    ),
}


def _actions(user: Actor, report: Any) -> list[dict[str, Any]]:
    allowed = allowed_steps(user, report)
    return [{"name": n, "label": TRANSITIONS[n].label} for n in STEPS if n in allowed]


@staff_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The working copy: checks, discrepancies, the document with charts, actions and history."""
    report = access_report(user=request.user, pk=pk)
    failures = s.checks_for(report) if report.data else []
    differing = selectors.discrepancies(report) if report.status == ReportStatus.PUBLISHED else []
    doc = selectors.report_document(report) if report.data else None
    may_edit = may(request.user, "edit", report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "doc": doc,
            "notes": exports.hand_entered_notes(doc) if doc else [],
            "hard": [x for x in failures if x.is_hard],
            "soft": [x for x in failures if not x.is_hard],
            "differing": differing,
            "differing_cells": {d["cell"] for d in differing},
            "actions": _actions(request.user, report),
            "may_edit": may_edit,
            "may_refresh": may(request.user, "refresh", report),
            "cell_form": f.CellForm(fmt=report.format, t2fmt=report.data.get("table2_format"))
            if may_edit and report.format != 2008
            else None,
            "comment_form": f.CommentForm(),
            "correction_form": f.CorrectionForm(),
            "events": report.events.all(),
            "versions": report.versions.all(),
            "reminders": selectors.reminders_for(report),
            "jobs": report.jobs.all()[:3],
            "formats": exports.FORMATS,
        },
    )


@staff_required
def report_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the prose of sections 一, 五 and 六 (the tables are computed, never edited here)."""
    report = access_report(user=request.user, pk=pk, action="report.draft")
    initial = {field: report.narrative.get(key, "") for field, key in f.NarrativeForm.KEYS.items()}
    form = f.NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sections = {key: form.cleaned_data[field] for field, key in f.NarrativeForm.KEYS.items()}
        try:
            s.report_edit_narrative(by=request.user, report=report, sections=sections)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("文字部分已保存。"))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/narrative.html", {"report": report, "form": form})


@staff_required
@require_POST
def report_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter (or withdraw) a cell by hand."""
    report = access_report(user=request.user, pk=pk, action="report.draft")
    try:
        if request.POST.get("clear"):
            s.report_clear_cell(by=request.user, report=report, cell=request.POST["clear"])
            messages.success(request, _("已撤销手工填报，恢复平台统计数。"))
        else:
            form = f.CellForm(
                request.POST, fmt=report.format, t2fmt=report.data.get("table2_format")
            )
            if not form.is_valid():
                raise ValidationError(_("请选择单元格并填写数值和来源。"))
            s.report_set_cell(
                by=request.user,
                report=report,
                cell=form.cleaned_data["cell"],
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
            )
            messages.success(request, _("已保存手工填报的数值。"))
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("reports:detail", pk=report.pk)


@staff_required
@require_POST
def report_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take a workflow step (submit, review, approve, return, correct) or recompute."""
    if step != "refresh" and step not in STEPS:
        raise Http404
    action = TRANSITIONS[step].action
    report = access_report(user=request.user, pk=pk, action=action)
    try:
        if step == "refresh":
            job = s.job_start(
                by=request.user, report=report, redraft=bool(request.POST.get("redraft"))
            )
            return redirect("reports:job", pk=report.pk, job_pk=job.pk)
        STEPS[step](report, request.user, request.POST)
        messages.success(request, _("已完成：%(step)s。") % {"step": TRANSITIONS[step].label})
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("reports:detail", pk=report.pk)


@staff_required
def report_job(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The progress bar of a recomputation (the page polls itself until the job is done)."""
    report = access_report(user=request.user, pk=pk)
    job = access_job(report=report, pk=job_pk)
    template = "reports/_job.html" if request.headers.get("HX-Request") else "reports/job.html"
    return render(request, template, {"report": report, "job": job})


@staff_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the working copy in one format (the published versions are on the portal)."""
    report = access_report(user=request.user, pk=pk)
    if fmt not in exports.FORMATS or not report.data:
        raise Http404
    doc = selectors.report_document(report)
    response = HttpResponse(exports.render(doc, fmt), content_type=exports.CONTENT_TYPES[fmt])
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(exports.filename(doc, fmt))}"
    )
    return response


# -- compilation season ----------------------------------------------------------------------


def _set_deadlines(request: HttpRequest, government: Any, year: int) -> None:
    deadline_form = f.DeadlineForm(request.POST)
    if deadline_form.is_valid():
        try:
            s.season_set_deadlines(
                by=request.user, government=government, year=year, **deadline_form.cleaned_data
            )
            messages.success(request, _("本地期限已保存。"))
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)


@staff_required
def season(request: HttpRequest) -> HttpResponse:
    """The disclosure office's board: every sub-agency's report state and deadline."""
    governments = selectors.season_governments(request.user)
    if not governments.exists():
        raise PermissionDenied
    form = f.SeasonForm(request.GET or None, governments=governments)
    if form.is_valid():
        government, year = form.cleaned_data["government"], form.cleaned_data["year"]
    else:
        government, year = (
            governments.order_by("depth", "path").first(),
            timezone.localdate().year - 1,
        )
        form = f.SeasonForm(
            initial={"government": government, "year": year}, governments=governments
        )
    if request.method == "POST":
        _set_deadlines(request, government, year)
        return redirect(f"{request.path}?government={government.pk}&year={year}")
    rows = selectors.season_board(government, year, today=timezone.localdate())
    return render(
        request,
        "reports/season.html",
        {
            "form": form,
            "government": government,
            "year": year,
            "rows": rows,
            "counts": selectors.season_counts(rows),
            "deadline_form": f.DeadlineForm(),
            "reminder_form": f.ReminderForm(),
            "consolidated": selectors.consolidated_report(rows, government),
            "can_start": can(request.user, "report.start", government),
            "can_import": can(request.user, "report.import", government),
        },
    )


@staff_required
@require_POST
def season_remind(request: HttpRequest) -> HttpResponse:
    """Send (record) a reminder to a sub-agency."""
    government = access_agency(
        user=request.user, pk=request.POST.get("government"), action="report.season", active=True
    )
    form = f.ReminderForm(request.POST)
    year = int(request.POST.get("year") or 0)
    if form.is_valid() and year:
        agency = access_agency(
            user=request.user, pk=form.cleaned_data["agency"], action="view", active=True
        )
        try:
            s.reminder_send(
                by=request.user,
                government=government,
                agency=agency,
                year=year,
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("已向%(name)s发送提醒。") % {"name": agency.name})
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
    return redirect(f"/office/reports/season/?government={government.pk}&year={year}")


@staff_required
@require_POST
def season_consolidate(request: HttpRequest) -> HttpResponse:
    """Open (or recompute) the government's 汇总 report in the background."""
    government = access_agency(
        user=request.user, pk=request.POST.get("government"), action="report.start", active=True
    )
    year = int(request.POST.get("year") or 0)
    try:
        report = (
            selectors.office_reports(request.user)
            .filter(agency=government, year=year, scope=Scope.CONSOLIDATED)
            .first()
        )
        if report is None:
            report = s.report_start(
                by=request.user,
                agency=government,
                year=year,
                scope=Scope.CONSOLIDATED,
                compute_now=False,
            )
        job = s.job_start(by=request.user, report=report, redraft=not report.narrative)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect(f"/office/reports/season/?government={government.pk}&year={year}")
    return redirect("reports:job", pk=report.pk, job_pk=job.pk)


# -- imports ---------------------------------------------------------------------------------


def _read_upload(upload: Any, filename: str) -> tuple[dict[str, Any], list[str]]:
    """Read a report file into figures: JSON and XLSX in the platform's format, else the parser."""
    raw = upload.read()
    name = filename.lower()
    if raw.startswith(b"PK\x03\x04"):  # DOCX/XLSX: the bounded reader's limits first
        try:
            check_archive(raw)
        except ArchiveError as exc:
            raise ValidationError(exc.message) from None
    if name.endswith(".json"):
        try:
            return load_report(raw), []
        except ReportValidationError as exc:
            raise ValidationError(exc.errors) from exc
    if name.endswith(".xlsx"):
        try:
            return exports.read_xlsx(raw), []
        except exports.XlsxReadError as exc:
            raise ValidationError(exc.errors) from exc
    try:
        result = parse_report(raw, filename)
    except Exception:  # noqa: BLE001 - an uploaded file: any reader failure is "unreadable"
        logger.info("report import: unreadable file", exc_info=True)
        raise ValidationError(
            _("无法读取该文件的内容（文件可能已损坏、加密或是扫描件）。请检查文件后重新上传。")
        ) from None
    if result.format is None:
        raise ValidationError(_("未能从文件中识别出年度报告的统计表。"))
    return result.report(), list(result.not_found)


def _import_confirmed(request: HttpRequest) -> HttpResponse:
    """Store the figures the officer confirmed (signed into the form, so they are as shown)."""
    confirm = f.ConfirmImportForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, _("请确认已核对数字。"))
        return redirect("reports:import")
    try:
        payload = signing.loads(confirm.cleaned_data["payload"], salt=SIGNING_SALT, max_age=3600)
    except signing.BadSignature:
        raise PermissionDenied from None
    agency = access_agency(
        user=request.user, pk=payload["agency"], action="report.import", active=True
    )
    try:
        report, _failures = s.report_import(
            by=request.user,
            agency=agency,
            year=payload["year"],
            data=payload["data"],
            source=payload["source"],
            scope=payload["scope"],
            replace=True,
        )
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("reports:import")
    messages.success(request, _("已导入。"))
    return redirect("reports:detail", pk=report.pk)


def _import_preview(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Read the uploaded file; return what to show and the confirmation form carrying it."""
    figures, not_found = _read_upload(data["file"], data["file"].name)
    figures["year"] = data["year"]
    figures["agency"] = {"name": data["agency"].name, "code": data["agency"].credit_code}
    payload = {
        "agency": data["agency"].pk,
        "year": data["year"],
        "scope": data["scope"],
        "source": data["source"],
        "data": figures,
    }
    preview = {
        "doc": selectors.build_document(figures, {}),
        "not_found": not_found,
        "failures": report_checks(figures, None),
        "source_label": Source(data["source"]).label,
        "agency": data["agency"],
        "year": data["year"],
    }
    confirm = f.ConfirmImportForm(initial={"payload": signing.dumps(payload, salt=SIGNING_SALT)})
    return preview, confirm


@staff_required
def report_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a report (history, or a submission of an agency not on the platform); confirm the
    figures read from it; then store it as that agency's published report."""
    agencies = agencies_for(request.user, "report.import")
    if not agencies.exists():
        raise PermissionDenied
    form = f.ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and "payload" in request.POST:
        return _import_confirmed(request)
    preview = confirm = None
    if request.method == "POST" and form.is_valid():
        try:
            preview, confirm = _import_preview(form.cleaned_data)
        except ValidationError as exc:
            form.add_error("file", exc)
    return render(
        request, "reports/import.html", {"form": form, "preview": preview, "confirm": confirm}
    )
