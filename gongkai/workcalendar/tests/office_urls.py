"""Office URLs of the calendar app for the permission matrix (gongkai/core/tests/test_scoping_matrix.py).

Calendar years belong to no agency: every page is for platform admins only, so other officers
get the same 404 for a loaded year as for a missing one.
"""

from __future__ import annotations

from typing import Any

MISSING_YEAR = 2099


def _year(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    return {"year": MISSING_YEAR if missing else 2026}


CASES = {
    "workcalendar:year_list": None,
    "workcalendar:year_load": None,
    "workcalendar:year_detail": _year,
}
