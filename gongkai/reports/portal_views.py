"""Public pages of the 政府信息公开年报 column: the list of published reports, a report page
with its charts, earlier versions after a correction, and the downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.agencies.selectors import public_agency
from gongkai.reports import selectors
from gongkai.reports.builders import exports


def report_list(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """The old list address: the column's one page is 政府信息公开年报 (/disclosure/reports/)."""
    if agency_pk is None:
        return redirect("portal:catalog_reports", permanent=True)
    if public_agency(agency_pk) is None:
        raise Http404
    return redirect("portal:agency_reports", agency_pk, permanent=True)


def _report_and_version(pk: int, number: int | None) -> tuple:
    report = selectors.public_report(pk)
    if report is None:
        raise Http404
    version = (
        report.published_version if number is None else selectors.public_version(report, number)
    )
    if version is None:
        raise Http404
    return report, version


def report_page(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    """A published report: the six sections, tables, ECharts charts and downloads."""
    report, version = _report_and_version(pk, number)
    doc = selectors.report_document(report, version)
    return render(
        request,
        "reports/portal/report.html",
        {
            "report": report,
            "version": version,
            "is_current": version.pk == report.published_version_id,
            "versions": report.versions.order_by("-number"),
            "doc": doc,
            "notes": exports.hand_entered_notes(doc),
            "formats": exports.FORMATS,
        },
    )


def report_download(
    request: HttpRequest, pk: int, fmt: str, number: int | None = None
) -> HttpResponse:
    """Download a published version as PDF, DOCX, XLSX, HTML or JSON."""
    if fmt not in exports.FORMATS:
        raise Http404
    report, version = _report_and_version(pk, number)
    doc = selectors.report_document(report, version)
    response = HttpResponse(exports.render(doc, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(exports.filename(doc, fmt))}"
    )
    return response
