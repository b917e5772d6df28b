"""Office URLs of the reports app for the permission matrix (core/tests/test_scoping_matrix.py).

Each entry builds URL kwargs for a report of ``tree.dept_b`` (outside agency A officers' scope)
or, with ``missing=True``, for a record that does not exist.
"""

from __future__ import annotations

from typing import Any

MISSING = 987_654_321


def _report(tree: Any) -> Any:
    from gongkai.reports.choices import Scope
    from gongkai.reports.models import AnnualReport

    report, _ = AnnualReport.objects.get_or_create(
        agency=tree.dept_b, year=2025, scope=Scope.OWN, defaults={"format": 2021}
    )
    return report


def _pk(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"pk": MISSING if missing else _report(tree).pk}


def _step(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_pk(tree, staff, missing), "step": "submit"}


def _export(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_pk(tree, staff, missing), "fmt": "json"}


def _job(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    from gongkai.reports.models import ReportJob

    if missing:
        return {"pk": MISSING, "job_pk": MISSING}
    report = _report(tree)
    job = ReportJob.objects.create(report=report)
    return {"pk": report.pk, "job_pk": job.pk}


def _batch(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    """A batch reviewed by somebody else (batches are private to their reviewer)."""
    from gongkai.reports import batch_store

    if missing:
        return {"token": "0" * 32}
    return {"token": batch_store.save(-1, [], [("a.txt", b"x")])}


def _batch_file(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_batch(tree, staff, missing), "index": 0}


CASES = {
    "reports:index": None,
    "reports:start": None,
    "reports:import": None,
    "reports:check": None,
    "reports:batch": None,
    "reports:compare": None,
    "reports:batch_result": _batch,
    "reports:batch_export": _batch,
    "reports:batch_file": _batch_file,
    "reports:season": None,
    "reports:season_remind": None,
    "reports:season_consolidate": None,
    "reports:detail": _pk,
    "reports:narrative": _pk,
    "reports:cell": _pk,
    "reports:action": _step,
    "reports:job": _job,
    "reports:export": _export,
}
