"""Office URLs of the agencies app for the permission matrix (gongkai/core/tests/test_scoping_matrix.py).

Each entry maps a URL name to a function building the URL kwargs for a record that belongs to
``tree.dept_b`` (an agency outside the officer's scope) — and, through ``missing=True``, kwargs
for a record that does not exist.
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.choices import Role
from gongkai.accounts.models import StaffMembership

MISSING = 987_654_321


def _membership(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    if missing:
        return {"pk": tree.dept_b.pk, "membership_pk": MISSING}
    m = StaffMembership.objects.get(user=staff["handler_b"], agency=tree.dept_b, role=Role.HANDLER)
    return {"pk": tree.dept_b.pk, "membership_pk": m.pk}


def _agency(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    return {"pk": MISSING if missing else tree.dept_b.pk}


CASES = {
    "agencies:list": None,
    "agencies:detail": _agency,
    "agencies:edit": _agency,
    "agencies:create_child": _agency,
    "agencies:move": _agency,
    "agencies:deactivate": _agency,
    "agencies:members": _agency,
    "agencies:member_revoke": _membership,
}
