"""Office URLs of the letters app for the permission matrix (core/tests/test_scoping_matrix.py).

Each entry builds URL kwargs for a record of ``tree.dept_b`` (outside the officer's scope) or,
with ``missing=True``, for a record that does not exist.
"""

from __future__ import annotations

from typing import Any

from gongkai.letters.models import CaseArchive
from gongkai.letters.tests.factories import make_closed_case, make_letter_row

MISSING = 987_654_321


def _case(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    if missing:
        return {"application_pk": MISSING}
    return {"application_pk": make_closed_case(tree.dept_b).pk}


def _letter(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"pk": MISSING, "fmt": "pdf"}
    return {"pk": make_letter_row(make_closed_case(tree.dept_b)).pk, "fmt": "pdf"}


def _archive(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    if missing:
        return {"pk": MISSING}
    app = make_closed_case(tree.dept_b)
    archive = CaseArchive.objects.create(
        agency=app.agency, application=app, file="archives/missing.zip", sha256="0" * 64
    )
    return {"pk": archive.pk}


def _agency(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    return {"agency_pk": MISSING if missing else tree.dept_b.pk}


def _template(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"agency_pk": MISSING if missing else tree.dept_b.pk, "code": "reply_r1_open"}


CASES = {
    "letters:case": _case,
    "letters:issue": _case,
    "letters:archive_build": _case,
    "letters:download": _letter,
    "letters:archive_download": _archive,
    "letters:template_index": None,
    "letters:template_list": _agency,
    "letters:template_edit": _template,
    "letters:settings": _agency,
}
