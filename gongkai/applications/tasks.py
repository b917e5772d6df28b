"""Background work of applications (django-tasks): deadline recomputation after calendar
changes (with persisted progress) and the sealed archive of a closed case."""

from __future__ import annotations

from django_tasks import task

from gongkai.applications.services import (
    archive_job_run,
    recompute_run_create,
    recompute_run_execute,
)


@task()
def recompute_open_deadlines(reason: str, run_id: int | None = None) -> int:
    """Recompute every open case's deadlines; return the number of cases whose dates changed.

    With ``run_id`` the progress is written into that ``RecomputeRun`` row (the office's bar).
    """
    if run_id is None:
        run_id = recompute_run_create(reason=reason).pk
    return recompute_run_execute(run_id=run_id).changed


@task()
def build_case_archive(job_id: int) -> str:
    """Build the sealed archive of a closed case (``CaseArchiveJob``); return the job's status."""
    return str(archive_job_run(job_id=job_id).status)
