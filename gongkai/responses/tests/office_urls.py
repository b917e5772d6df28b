"""Office URLs of response documents for the permission matrix (core/tests/test_scoping_matrix.py).

Each entry builds URL kwargs for a case (and a document) of ``tree.dept_b``, outside agency A
officers' scope, or, with ``missing=True``, for records that do not exist.
"""

from __future__ import annotations

from typing import Any

MISSING = 987_654_321


def _case(tree: Any, staff: dict[str, Any]) -> Any:
    from gongkai.applications.tests.factories import make_application

    return make_application(tree.dept_b, staff["handler_b"])


def _app(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {"pk": MISSING if missing else _case(tree, staff).pk}


def _doc(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"pk": MISSING, "doc_pk": MISSING}
    from gongkai.catalog.tests.factories import pdf_bytes
    from gongkai.responses.services import document_attach_upload

    app = _case(tree, staff)
    doc = document_attach_upload(
        by=staff["handler_b"], application=app, data=pdf_bytes([["Page one"]]), name="a.pdf"
    )
    return {"pk": app.pk, "doc_pk": doc.pk}


def _page(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_doc(tree, staff, missing), "page": 0}


def _mark(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_doc(tree, staff, missing), "index": 0}


CASES = {
    "responses:list": None,
    "responses:case": _app,
    "responses:upload": _app,
    "responses:catalogue": _app,
    "responses:package": _app,
    "responses:delivery": _app,
    "responses:document": _doc,
    "responses:page": _page,
    "responses:mark_add": _doc,
    "responses:mark_search": _doc,
    "responses:mark_delete": _mark,
    "responses:render": _doc,
    "responses:remove": _doc,
    "responses:download": _doc,
}
