"""What each record contributes to the aggregates: the key functions (decision 2006).

A :class:`Source` reads a few fields of a record (plus ``unit``, the agency whose record it is)
and gives, for each aggregate model, the keys the record adds 1 to. The same functions serve
the write hooks (old contribution −1, new +1) and the recount of ``gongkai stats verify``, so the
counting rules live here once; the report and dashboard selectors that read the aggregates are
checked against the direct counts of the records by the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Max

from gongkai.applications.choices import OPEN_STATUSES
from gongkai.applications.models import Application, Lawsuit, Review
from gongkai.catalog.choices import ItemStatus
from gongkai.catalog.models import CatalogItem
from gongkai.stats.models import (
    NO_DATE,
    AppealTally,
    ApplicationTally,
    ClosingTally,
    ColumnTally,
    IntakeTally,
    LateTally,
    OpenTally,
    PublishedTally,
    Tally,
)

Row = Mapping[str, Any]
Key = tuple[Any, ...]
#: An aggregate model and the keys (values of its DIMENSIONS) a record adds 1 to.
KeyFunction = Callable[[Row], list[Key]]

#: ``AppealTally.source`` of reviews (lawsuits use their kind).
REVIEW_SOURCE = "REVIEW"


def _application_keys(r: Row) -> list[Key]:
    concluded = r["result"] is not None and r["closed_on"] is not None
    year = r["closed_on"].year if concluded else 0
    return [(r["applicant_type"], r["received_on"].year, r["result"] or "", year)]


def _intake_keys(r: Row) -> list[Key]:
    received = r["received_on"]
    concluded = r["result"] is not None and r["closed_on"] is not None
    early = concluded and r["closed_on"].year < received.year
    return [(received.year, received.month, early)]


def _closing_keys(r: Row) -> list[Key]:
    closed, due = r["closed_on"], r["reply_due_on"]
    if closed is None:
        return []
    timing = 0 if due is None else (1 if closed <= due else 2)
    return [(closed.year, timing)]


def _open_keys(r: Row) -> list[Key]:
    if r["status"] not in OPEN_STATUSES:
        return []
    return [(r["due_on"] or NO_DATE,)]


def _year(on: dt.date | None) -> int:
    return on.year if on is not None else 0


def _review_keys(r: Row) -> list[Key]:
    return [(REVIEW_SOURCE, r["applied_on"].year, r["result"], _year(r["decided_on"]))]


def _lawsuit_keys(r: Row) -> list[Key]:
    return [(r["kind"], r["filed_on"].year, r["result"], _year(r["decided_on"]))]


def _published_keys(r: Row) -> list[Key]:
    if r["status"] != ItemStatus.PUBLISHED or r["published_year"] is None:
        return []
    return [(r["published_year"],)]


def _late_keys(r: Row) -> list[Key]:
    return _published_keys(r) if r["is_late"] else []


def _column_keys(r: Row) -> list[Key]:
    if r["status"] != ItemStatus.PUBLISHED or r["statutory_item"] is None:
        return []
    return [(r["statutory_item"],)]


@dataclass(frozen=True)
class Source:
    """A model whose records feed aggregates: the fields read and the key functions."""

    model: type[models.Model]
    #: Lookup of the record's agency id (``unit`` in the rows).
    unit: str
    fields: tuple[str, ...]
    measures: tuple[tuple[type[Tally], KeyFunction], ...]

    def rows(self, queryset: Any = None) -> Iterator[dict[str, Any]]:
        """The rows read from the database (all records, or the queryset's)."""
        qs = queryset if queryset is not None else self.model._default_manager.all()
        return qs.order_by().values("pk", *self.fields, unit=F(self.unit)).iterator(10_000)

    @property
    def field_names(self) -> set[str]:
        """Model field names whose change may change the contribution."""
        names = {f.removesuffix("_id") for f in self.fields} | set(self.fields)
        return names | {self.unit.split("__")[0], self.unit}


SOURCES: tuple[Source, ...] = (
    Source(
        Application,
        "agency_id",
        (
            "applicant_type",
            "received_on",
            "result",
            "closed_on",
            "status",
            "due_on",
            "reply_due_on",
        ),
        (
            (ApplicationTally, _application_keys),
            (IntakeTally, _intake_keys),
            (ClosingTally, _closing_keys),
            (OpenTally, _open_keys),
        ),
    ),  # fmt: skip
    Source(
        Review,
        "application__agency_id",
        ("application_id", "applied_on", "decided_on", "result"),
        ((AppealTally, _review_keys),),
    ),
    Source(
        Lawsuit,
        "application__agency_id",
        ("application_id", "kind", "filed_on", "decided_on", "result"),
        ((AppealTally, _lawsuit_keys),),
    ),
    Source(
        CatalogItem,
        "agency_id",
        ("status", "published_year", "is_late", "statutory_item", "published_on"),
        (
            (PublishedTally, _published_keys),
            (LateTally, _late_keys),
            (ColumnTally, _column_keys),
        ),
    ),
)

#: Every aggregate model.
TALLIES: tuple[type[Tally], ...] = (
    ApplicationTally,
    IntakeTally,
    ClosingTally,
    OpenTally,
    AppealTally,
    PublishedTally,
    LateTally,
    ColumnTally,
)


def _published_columns() -> Any:
    return (
        CatalogItem.objects.filter(status=ItemStatus.PUBLISHED, statutory_item__isnull=False)
        .order_by()
        .values("agency_id", "statutory_item")
    )


def column_last(agency_id: int, statutory_item: int) -> dt.date | None:
    """The latest ``published_on`` of the agency's published items in the column (one query
    on the agency's index)."""
    rows = _published_columns().filter(agency_id=agency_id, statutory_item=statutory_item)
    return rows.aggregate(m=Max("published_on"))["m"]


def all_column_last() -> dict[tuple[int, int], dt.date | None]:
    """(agency, column) → latest ``published_on`` of its published items (the recount)."""
    rows = _published_columns().annotate(m=Max("published_on"))
    return {(r["agency_id"], r["statutory_item"]): r["m"] for r in rows}
