"""One gapless counter for every numbering: 受理编号, 文书编号, 索引号, and any later one.

A number is taken inside the caller's transaction under a row lock (``SELECT … FOR UPDATE``;
SQLite serialises writers on the whole file), so concurrent callers queue on the row, no
number is given out twice, and a rolled-back caller gives its number back (no gaps).

Each app names its numbering with a scope string next to the code that formats the number,
e.g. ``REGISTRATION = "applications.registration"``; the counter itself knows nothing of apps.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from gongkai.core.models import Counter


def _locked(scope: str, agency: Any, year: int) -> Counter:
    """Return the counter row of (scope, agency or its id, year), locked; create it on first use."""
    agency_id = getattr(agency, "pk", agency)
    rows = Counter.objects.select_for_update().filter(scope=scope, agency_id=agency_id, year=year)
    counter = rows.first()
    if counter is None:
        try:
            with transaction.atomic():
                Counter.objects.create(scope=scope, agency_id=agency_id, year=year, last_value=0)
        except IntegrityError:
            pass  # a concurrent caller created it first: lock theirs
        counter = rows.get()
    return counter


def next_value(scope: str, *, agency: Any = None, year: int, count: int = 1, floor: int = 0) -> int:
    """Take ``count`` consecutive numbers of ``scope`` for (``agency``, ``year``); return the first.

    Numbers continue after the larger of the last one taken and ``floor`` (numbers already
    used elsewhere, e.g. kept from an imported ledger). ``count=0`` takes nothing but still
    raises the counter to ``floor``. Must run inside ``transaction.atomic``: the row stays
    locked until the caller's transaction ends.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside a transaction")
    if count < 0 or floor < 0:
        raise ValueError("count and floor must not be negative")
    counter = _locked(scope, agency, year)
    first = max(counter.last_value, floor) + 1
    last = first + count - 1
    if last != counter.last_value:
        counter.last_value = last
        counter.save(update_fields=["last_value"])
    return first


def current_value(scope: str, *, agency: Any = None, year: int) -> int:
    """The last number taken of ``scope`` for (``agency``, ``year``); 0 before the first."""
    agency_id = getattr(agency, "pk", agency)
    row = Counter.objects.filter(scope=scope, agency_id=agency_id, year=year).first()
    return row.last_value if row is not None else 0
