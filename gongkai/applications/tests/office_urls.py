"""Office URLs of the applications app for the permission matrix (core/tests/test_scoping_matrix.py).

Each entry builds URL kwargs for a case of ``tree.dept_b`` (outside agency A officers' scope)
or, with ``missing=True``, for a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.applications.choices import LawsuitKind

MISSING = 987_654_321


def _case(tree: Any, staff: dict[str, Any]) -> Any:
    from gongkai.applications.tests.factories import make_application

    return make_application(tree.dept_b, staff["handler_b"])


def _app(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"pk": MISSING if missing else _case(tree, staff).pk}


def _step(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_app(tree, staff, missing), "step": "assign"}


def _review(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    from gongkai.applications.models import Review

    if missing:
        return {"pk": MISSING, "review_pk": MISSING}
    app = _case(tree, staff)
    review = Review.objects.create(
        application=app, body="测试市人民政府", applied_on=dt.date(2026, 4, 1)
    )
    return {"pk": app.pk, "review_pk": review.pk}


def _lawsuit(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    from gongkai.applications.models import Lawsuit

    if missing:
        return {"pk": MISSING, "lawsuit_pk": MISSING}
    app = _case(tree, staff)
    lawsuit = Lawsuit.objects.create(
        application=app,
        kind=LawsuitKind.DIRECT,
        court="测试市中级人民法院",
        filed_on=dt.date(2026, 4, 1),
    )
    return {"pk": app.pk, "lawsuit_pk": lawsuit.pk}


def _recompute(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    from gongkai.applications.models import RecomputeRun

    if missing:
        return {"pk": MISSING}
    return {"pk": RecomputeRun.objects.create(reason="2026年工作日历载入或更正", year=2026).pk}


CASES = {
    "applications:list": None,
    "applications:register": None,
    "applications:detail": _app,
    "applications:step": _step,
    "applications:review_add": _app,
    "applications:review_edit": _review,
    "applications:lawsuit_add": _app,
    "applications:lawsuit_edit": _lawsuit,
    "applications:recompute_list": None,
    "applications:recompute_detail": _recompute,
}
