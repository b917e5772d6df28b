"""Office URLs of the ledger app for the permission matrix (core/tests/test_scoping_matrix.py)."""

from __future__ import annotations

from typing import Any

MISSING = 987_654_321


def _job(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    from gongkai.ledger.models import LedgerImport

    if missing:
        return {"pk": MISSING}
    job = LedgerImport.objects.create(
        agency=tree.dept_b, filename="台账.xlsx", created_by=staff["admin_b"]
    )
    return {"pk": job.pk}


CASES = {
    "ledger:home": None,
    "ledger:import": None,
    "ledger:import_job": _job,
    "ledger:template": None,
    "ledger:export": None,
    "ledger:repeat_check": None,
}
