"""Background work of annual reports (django-tasks): recomputing a report with progress."""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.reports.choices import JobStatus
from gongkai.reports.models import ReportJob
from gongkai.reports.services import job_run

logger = logging.getLogger(__name__)


@task()
def run_report_job(job_id: int, user_id: int | None, redraft: bool = False) -> str:
    """Recompute the report of job ``job_id`` as user ``user_id``; return the job's status."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    job = ReportJob.objects.select_related("report__agency").filter(pk=job_id).first()
    if job is None:
        return "missing"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        # A user no longer found acts as an anonymous user: holding no role, refused.
        job = job_run(job=job, by=user if user is not None else AnonymousUser(), redraft=redraft)
    except Exception:
        logger.exception("report job %s failed", job_id)
        return str(JobStatus.FAILED)
    return str(job.status)
