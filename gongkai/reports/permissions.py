"""Object access for annual reports in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from django.http import Http404

from gongkai.accounts.permissions import access_object
from gongkai.core.actors import Actor
from gongkai.reports.models import AnnualReport, ReportJob


def access_report(*, user: Actor, pk: int, action: str = "view") -> AnnualReport:
    """Return the report if ``user`` may reach it and perform ``action`` on its agency's records.

    Raises Http404 when it does not exist or lies outside the user's scope, and PermissionDenied
    when it is visible but the user's roles do not allow ``action``.
    """
    return access_object(
        AnnualReport.objects.select_related("agency", "published_version"),
        user=user,
        pk=pk,
        action=action,
    )


def access_job(*, report: AnnualReport, pk: int) -> ReportJob:
    """Return one of the (already access-checked) report's jobs."""
    job = report.jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
