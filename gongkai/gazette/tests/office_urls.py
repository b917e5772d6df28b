"""Office URLs of the gazette for the permission matrix (gongkai/core/tests/test_scoping_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.actors import SYSTEM
from gongkai.gazette.services import issue_create

MISSING = 987_654_321


def _issue(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"pk": MISSING}
    issue = issue_create(by=SYSTEM, agency=tree.dept_b, year=2025, issue_date=dt.date(2025, 4, 1))
    return {"pk": issue.pk}


def _entry(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_issue(tree, staff, missing), "entry_pk": MISSING if missing else 1}


def _download(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_issue(tree, staff, missing), "fmt": "docx"}


CASES = {
    "gazette:list": None,
    "gazette:new": None,
    "gazette:detail": _issue,
    "gazette:edit": _issue,
    "gazette:add": _issue,
    "gazette:arrange": _issue,
    "gazette:remove": _entry,
    "gazette:distribution": _issue,
    "gazette:correction": _issue,
    "gazette:publish": _issue,
    "gazette:download": _download,
}
