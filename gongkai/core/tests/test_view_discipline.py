"""Views reach scoped records only through the chokepoint, never with bare ORM lookups."""

from __future__ import annotations

import re
from pathlib import Path

import gongkai

#: Models whose rows belong to an agency; views must use visible_to()/access_*() for them.
SCOPED_MODELS = [
    "Agency",
    "StaffMembership",
    "AuditEvent",
    "Application",
    "ApplicationEvent",
    "Review",
    "Lawsuit",
    "Letter",
    "CatalogItem",
    "AnnualReport",
]
BARE_LOOKUP = re.compile(
    r"\b("
    + "|".join(SCOPED_MODELS)
    + r")\.objects\.(get|filter|all|exclude|first|last|get_or_create)\("
)


def test_views_do_not_query_scoped_models_directly():
    """A views module calling Model.objects.get/filter on a scoped model fails this check."""
    root = Path(gongkai.__file__).parent
    offenders = []
    for path in root.rglob("views*.py"):
        if "tests" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BARE_LOOKUP.search(line):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not offenders, "use visible_to()/access_*() instead:\n" + "\n".join(offenders)
