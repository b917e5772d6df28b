"""索引号 allocation: the one counter (``core.counters``) per (agency, year), row-locked.

The default pattern is the dominant real one, ``<组织机构代码>/<YYYY>-<5-digit serial>``
(spec §6.2); a platform may set ``CATALOG_INDEX_NUMBER_PATTERN``. Numbers are unique and never
reused: the counter only goes up, and nothing deletes items.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from gongkai.catalog.models import CatalogItem
from gongkai.core.counters import next_value

#: The counter scope of 索引号.
INDEX_NUMBERS = "catalog.index"


def format_index_number(agency: Any, year: int, serial: int, pattern: str | None = None) -> str:
    """Render a 索引号 for ``agency``, ``year`` and ``serial`` with the platform's pattern."""
    pattern = pattern or settings.CATALOG_INDEX_NUMBER_PATTERN
    credit = agency.credit_code
    return pattern.format(
        org_code=agency.organisation_code,
        credit_code=credit,
        division=credit[2:8],
        year=year,
        serial=serial,
    )


def take_serials(agency: Any, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive serials for (agency, year); return the first one.

    Runs inside the caller's transaction; the counter row stays locked until that transaction
    ends, so concurrent publishers queue here instead of colliding.
    """
    with transaction.atomic():
        return next_value(INDEX_NUMBERS, agency=agency, year=year, count=count)


def allocate_index_number(*, agency: Any, year: int) -> str:
    """Take the next 索引号 of ``agency`` for ``year`` (call inside the item's transaction)."""
    while True:
        number = format_index_number(agency, year, take_serials(agency, year))
        # A number may already exist when it was imported from an old site: skip it.
        if not CatalogItem.objects.filter(index_number=number).exists():
            return number
