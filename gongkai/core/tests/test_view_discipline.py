"""Views reach scoped records only through the chokepoint, never with bare ORM lookups.

The scoped models are discovered: every model with an ``agency`` foreign key (plus the agency
tree and the records that belong to a case). The view modules are discovered too: every module
of the package that defines a function taking ``request`` first or a class-based view.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

import gongkai
from gongkai.accounts.scoping import AgencyScopedQuerySet

ROOT = Path(gongkai.__file__).parent
#: Records that belong to an agency through their case (reached via ``access_application``).
CASE_RECORDS = ["ApplicationEvent", "Review", "Lawsuit"]
#: Agency-owned models whose rows no office list shows through ``visible_to``, and why.
NOT_LISTED = {
    "core.AuditEvent": "the audit trail is scoped by the auditor's rules (core.selectors)",
    "core.Counter": "number counters are never shown",
}


def _agency_owned_models() -> list[type]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "agency"), None)
        if field is not None and field.related_model is not None:
            if field.related_model._meta.label == "agencies.Agency":
                found.append(model)
    return found


def _view_modules() -> list[Path]:
    modules = []
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "testing"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            is_view_function = (
                isinstance(node, ast.FunctionDef)
                and node.args.args
                and node.args.args[0].arg == "request"
            )
            is_view_class = isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", getattr(b, "attr", "")).endswith("View") for b in node.bases
            )
            if is_view_function or is_view_class:
                modules.append(path)
                break
    return modules


def test_every_agency_owned_model_uses_the_scoped_queryset():
    """A model with an ``agency`` foreign key gets ``visible_to`` from AgencyScopedQuerySet."""
    missing = [
        model._meta.label
        for model in _agency_owned_models()
        if model._meta.label not in NOT_LISTED
        and not isinstance(model._default_manager.all(), AgencyScopedQuerySet)
    ]
    assert not missing, f"give these models AgencyScopedQuerySet: {missing}"
    assert len(_agency_owned_models()) >= 12


def test_views_do_not_query_scoped_models_directly():
    """A view module calling Model.objects.get/filter on a scoped model fails this check."""
    scoped = {m.__name__ for m in _agency_owned_models()} | {"Agency", *CASE_RECORDS}
    bare = re.compile(
        r"\b("
        + "|".join(sorted(scoped))
        + r")\.objects\.(get|filter|all|exclude|first|last|get_or_create)\("
    )
    modules = _view_modules()
    names = {p.name for p in modules}
    # views.py files, the split views_*.py, and modules that are not named for views at all
    assert {"views.py", "views_apply.py", "api.py", "catalog_views.py"} <= names, names
    offenders = []
    for path in modules:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bare.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "use visible_to()/access_*() instead:\n" + "\n".join(offenders)
