"""Factories for agencies (valid credit codes, tree paths kept by the service)."""

from __future__ import annotations

import itertools
from typing import Any

from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.credit_code import make_credit_code
from gongkai.agencies.models import Agency
from gongkai.agencies.services import agency_create
from gongkai.core.actors import SYSTEM

_serial = itertools.count(50_000)


def make_agency(
    name: str | None = None,
    *,
    parent: Agency | None = None,
    kind: str = AgencyKind.DEPARTMENT,
    level: str = AgencyLevel.CITY,
    **extra: Any,
) -> Agency:
    """Create an agency through the service, with a fresh valid credit code."""
    n = next(_serial)
    return agency_create(
        by=SYSTEM,
        parent=parent,
        name=name or f"测试机关{n}",
        kind=kind,
        level=level,
        credit_code=extra.pop("credit_code", None) or make_credit_code("439900", n),
        **extra,
    )


def make_government(name: str | None = None, **extra: Any) -> Agency:
    """Create a people's government."""
    return make_agency(name or "测试市人民政府", kind=AgencyKind.GOVERNMENT, **extra)
