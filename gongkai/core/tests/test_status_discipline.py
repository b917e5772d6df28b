"""Statuses are named only through the choices enums; templates ask the workflow, never compare.

A status literal elsewhere drifts from the table (the portal once offered withdrawal from its
own list of statuses); a template comparing statuses shows a button the step would refuse.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.db import models

import gongkai

ROOT = Path(gongkai.__file__).parent
#: ``item.status == ...``, ``status in "..."``, ``job.status != ...`` in a template tag.
TEMPLATE_COMPARISON = re.compile(r"{%[^%]*\bstatus\s*(==|!=|\bin\b|\bnot in\b)[^%]*%}")


def _status_values() -> set[str]:
    """Every value of every status field of every model (the enums in ``choices.py``)."""
    values: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name == "status" and isinstance(field, models.CharField) and field.choices:
                values |= {str(v) for v, _label in field.flatchoices}
    return values


def test_no_status_literal_outside_the_choices():
    """No module (tests and migrations aside) spells a status value as a string."""
    values = _status_values()
    assert {"DRAFT", "HANDLING", "PUBLISHED", "QUEUED"} <= values
    found = []
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "testing"} & set(path.parts) or path.name == "choices.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in values:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not found, "use the choices enum:\n" + "\n".join(found)


def test_templates_do_not_compare_statuses():
    """Templates show actions through ``{% allowed_steps %}`` and states through properties."""
    found = []
    for path in ROOT.rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_COMPARISON.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not found, "ask the workflow or a model property:\n" + "\n".join(found)
