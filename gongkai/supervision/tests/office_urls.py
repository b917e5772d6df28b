"""Office URLs of 监督考核 for the permission matrix (core/tests/test_scoping_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

MISSING = 987_654_321


def make_order(agency: Any, issuer: Any, *, days: int = 5, **fields: Any) -> Any:
    """A 督办单 to ``agency`` issued by the platform on behalf of ``issuer``."""
    from gongkai.core.actors import SYSTEM
    from gongkai.supervision.services import order_issue

    fields.setdefault("subject", "按时办理依申请公开")
    return order_issue(
        by=SYSTEM,
        agency=agency,
        issuer=issuer,
        deadline=timezone.localdate() + dt.timedelta(days=days),
        **fields,
    )


def _order(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"pk": MISSING if missing else make_order(tree.dept_b, tree.office).pk}


def _step(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_order(tree, staff, missing), "step": "answer"}


def make_task(agency: Any, issuer: Any, *, days: int = 30, **fields: Any) -> Any:
    """A task of this year's list led by ``agency``, entered by the platform for ``issuer``."""
    from gongkai.core.actors import SYSTEM
    from gongkai.supervision.planning import task_create

    fields.setdefault("text", "按时发布政府信息公开工作年度报告")
    return task_create(
        by=SYSTEM,
        agency=agency,
        issuer=issuer,
        deadline=timezone.localdate() + dt.timedelta(days=days),
        year=timezone.localdate().year,
        **fields,
    )


def _task(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"pk": MISSING if missing else make_task(tree.dept_b, tree.office).pk}


def _task_step(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_task(tree, staff, missing), "step": "report"}


CASES = {
    "supervision:column_rules": None,
    "supervision:scorecard": None,
    "supervision:indicators": None,
    "supervision:scorecard_export": None,
    "supervision:scorecard_unit": lambda tree, staff, missing: {
        "pk": MISSING if missing else tree.dept_b.pk
    },
    "supervision:tasks": None,
    "supervision:task_new": None,
    "supervision:task_export": None,
    "supervision:task_detail": _task,
    "supervision:task_step": _task_step,
    "supervision:index": None,
    "supervision:cases": None,
    "supervision:dashboard_export": None,
    "supervision:orders": None,
    "supervision:orders_export": None,
    "supervision:order_new": None,
    "supervision:order_detail": _order,
    "supervision:order_step": _step,
}
