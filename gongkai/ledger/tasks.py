"""Background work of the ledger app (django-tasks; ``gongkai db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from gongkai.ledger.services import ledger_import_job_run


@task()
def run_ledger_import(job_id: int) -> str:
    """Run one queued ledger import job; return its final status."""
    return str(ledger_import_job_run(job_id=job_id).status)
