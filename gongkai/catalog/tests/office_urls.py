"""Office URLs of the catalogue for the permission matrix (gongkai/core/tests/test_scoping_matrix.py).

Each entry builds kwargs for a record of ``tree.dept_b`` (outside the officer's scope) or, with
``missing=True``, for a record that does not exist.
"""

from __future__ import annotations

from typing import Any

from gongkai.catalog.models import SensitiveFinding
from gongkai.catalog.tests.factories import PNG_BYTES, make_item
from gongkai.core.actors import SYSTEM

MISSING = 987_654_321


def _item(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    if missing:
        return {"pk": MISSING}
    return {"pk": make_item(tree.dept_b, title="乙局的条目").pk}


def _with_attachment(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    from gongkai.catalog.services import attachment_add

    if missing:
        return {"pk": MISSING, "attachment_pk": MISSING}
    item = make_item(tree.dept_b, title="乙局的条目")
    att = attachment_add(by=SYSTEM, item=item, name="图.png", data=PNG_BYTES)
    return {"pk": item.pk, "attachment_pk": att.pk}


def _with_finding(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    if missing:
        return {"pk": MISSING, "finding_pk": MISSING}
    item = make_item(tree.dept_b, body="<p>联系人手机13812345678</p>")
    return {"pk": item.pk, "finding_pk": SensitiveFinding.objects.get(item=item).pk}


def _agency(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    return {"pk": MISSING if missing else tree.dept_b.pk}


CASES = {
    "catalog:list": None,
    "catalog:new": None,
    "catalog:detail": _item,
    "catalog:edit": _item,
    "catalog:revise": _item,
    "catalog:submit": _item,
    "catalog:review": _item,
    "catalog:approve": _item,
    "catalog:reject": _item,
    "catalog:withdraw": _item,
    "catalog:attachment_upload": _item,
    "catalog:attachment_download": _with_attachment,
    "catalog:attachment_delete": _with_attachment,
    "catalog:finding_waive": _with_finding,
    "catalog:counts": _agency,
    "catalog:cleanup": _agency,
}
