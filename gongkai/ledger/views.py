"""Office views of the ledger app. Thin: the agency choice comes from the scoped selectors,
jobs through ``access_ledger_import``, writes through the services."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.accounts.permissions import agencies_for, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.models import Agency
from gongkai.applications import similarity
from gongkai.ledger import exports, selectors, services
from gongkai.ledger.forms import ExportForm, ImportForm, RepeatCheckForm
from gongkai.ledger.permissions import access_ledger_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forms(request: HttpRequest, **bound: Any) -> dict[str, Any]:
    import_agencies = agencies_for(request.user, "ledger.import")
    export_agencies = agencies_for(request.user, "ledger.export")
    if not import_agencies.exists() and not export_agencies.exists():
        raise Http404
    return {
        "import_form": bound.get("import_form") or ImportForm(agencies=import_agencies),
        "export_form": bound.get("export_form") or ExportForm(agencies=export_agencies),
        "can_import": import_agencies.exists(),
        "can_export": export_agencies.exists(),
        "jobs": selectors.recent_imports(request.user),
    }


@workspace_required("ledger")
@require_GET
def ledger_home(request: HttpRequest) -> HttpResponse:
    """Import a ledger (upload, template download) and export one; the latest import jobs."""
    return render(request, "ledger/home.html", _forms(request))


@staff_required
@require_POST
def import_start(request: HttpRequest) -> HttpResponse:
    """Store the uploaded ledger and start its import in the background."""
    agencies = agencies_for(request.user, "ledger.import")
    if not agencies.exists():
        raise Http404
    form = ImportForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return render(request, "ledger/home.html", _forms(request, import_form=form), status=400)
    try:
        job = services.ledger_import_job_start(
            by=request.user, agency=form.cleaned_data["agency"], upload=form.cleaned_data["file"]
        )
    except ValueError as exc:
        form.add_error("file", str(exc))
        return render(request, "ledger/home.html", _forms(request, import_form=form), status=400)
    messages.info(request, _("已提交导入，可离开本页，稍后在“台账导入导出”中查看结果。"))
    return redirect("ledger:import_job", pk=job.pk)


@staff_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress bar and, when finished, its result or its bad rows (htmx-polled)."""
    job = access_ledger_import(user=request.user, pk=pk)  # 404 first: ids leak nothing
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's middleware
    template = "ledger/_job_status.html" if htmx else "ledger/job.html"
    return render(request, template, {"job": job})


@staff_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The XLSX template with the exact headers, notes, drop-down lists and two examples."""
    if not agencies_for(request.user, "ledger.import").exists():
        raise Http404
    response = HttpResponse(exports.ledger_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''ledger-template.xlsx"
    return response


@staff_required
@require_GET
def export_download(request: HttpRequest) -> HttpResponse:
    """Download an agency's ledger as XLSX (ID and phone numbers always masked here)."""
    agencies = agencies_for(request.user, "ledger.export")
    if not agencies.exists():
        raise Http404
    form = ExportForm(request.GET, agencies=agencies)
    if not form.is_valid():
        return render(request, "ledger/home.html", _forms(request, export_form=form), status=400)
    agency: Agency = form.cleaned_data["agency"]
    year = form.cleaned_data["year"]
    buffer = io.BytesIO()
    exports.ledger_export(by=request.user, agency=agency, target=buffer, year=year)
    name = f"ledger-{agency.credit_code}-{year or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@staff_required
@require_GET
def repeat_check(request: HttpRequest) -> HttpResponse:
    """The registration page's partial: earlier and similar applications (masked), in scope.

    GET parameters as in the registration form: ``agency``, ``applicant_type``, ``id_number``,
    ``credit_code``, ``description``.
    """
    allowed = set(
        agencies_for(request.user, "application.repeat_check").values_list("pk", flat=True)
    )
    if not allowed:
        raise Http404
    form = RepeatCheckForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    agency_id = data["agency"]
    if agency_id is not None and agency_id not in allowed:
        raise Http404
    if agency_id is None and len(allowed) == 1:
        agency_id = next(iter(allowed))
    if not (data["id_number"] or data["credit_code"] or data["description"].strip()):
        return render(request, "ledger/_repeat_check.html", {"check": None})
    check = similarity.repeat_check(
        user=request.user,
        agency=agency_id,
        description=data["description"],
        applicant_type=data["applicant_type"],
        id_number=data["id_number"],
        credit_code=data["credit_code"],
    )
    return render(
        request,
        "ledger/_repeat_check.html",
        {
            "check": check,
            "threshold": similarity.PROACTIVE_MIN_APPLICANTS,
            "window_days": similarity.PROACTIVE_WINDOW_DAYS,
        },
    )
