"""Object access for annual reports in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.permissions import can
from gongkai.agencies.models import Agency
from gongkai.reports.models import AnnualReport, ReportJob


def access_report(*, user: Any, pk: int, action: str = "view") -> AnnualReport:
    """Return the report if ``user`` may reach it and perform ``action`` on its agency's records.

    Raises Http404 when it does not exist or lies outside the user's scope, and PermissionDenied
    when it is visible but the user's roles do not allow ``action``.
    """
    report = (
        AnnualReport.objects.visible_to(user)
        .select_related("agency", "published_version")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if not can(user, action, report.agency):
        raise PermissionDenied
    return report


def access_job(*, report: AnnualReport, pk: int) -> ReportJob:
    """Return one of the (already access-checked) report's jobs."""
    job = report.jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def access_agency(*, user: Any, pk: Any, action: str) -> Agency:
    """Return an agency in the user's scope on which the user may perform ``action`` (else 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    agency = Agency.objects.visible_to(user).filter(pk=pk, is_active=True).first()
    if agency is None or not can(user, action, agency):
        raise Http404
    return agency
