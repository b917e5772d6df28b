"""Office URLs of the portal app for the permission matrix (core/tests/test_scoping_matrix.py)."""

from __future__ import annotations

from typing import Any

MISSING = 987_654_321


def _case(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"application_pk": MISSING}
    from gongkai.applications.tests.factories import make_application

    return {"application_pk": make_application(tree.dept_b, staff["handler_b"]).pk}


def _file(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"application_pk": MISSING, "pk": MISSING}
    from gongkai.applications.tests.factories import make_application
    from gongkai.portal.models import ApplicantFile

    app = make_application(tree.dept_b, staff["handler_b"])
    row = ApplicantFile.objects.create(
        application=app,
        kind="IDENTITY",
        file="portal/test/missing.pdf",
        original_name="id.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    return {"application_pk": app.pk, "pk": row.pk}


CASES = {
    "portal_office:case_files": _case,
    "portal_office:case_file": _file,
}
