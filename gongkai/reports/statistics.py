"""Statistics selectors for the annual report: pure reads, a few aggregate queries each.

Every selector takes an agency, a year and ``consolidated`` (False: the agency alone, "本机关";
True: the agency and its whole subtree, "汇总", through the materialised ``Agency.path``). No
selector loops over rows in Python: the database groups and counts.

Counting rules (docs/decisions/0801-report-counting.md):

* **new** (一、本年新收): ``received_on`` in the year;
* **carried in** (二、上年结转): received before the year and not concluded before it;
* **results** (三): concluded in the year — ``result`` set and ``closed_on`` in the year — by
  result row and applicant column;
* **carried forward** (四、结转下年度): received by 31 December and not concluded by then.

A case is *concluded by a date* when it has a result and its ``closed_on`` is on or before the
date. With these definitions identity H1 holds by construction for every column.

* **Table 四**: reviews by ``applied_on`` in the year and lawsuits by ``filed_on`` in the year,
  each with its result *as at 31 December* (decided later: 尚未审结), so that a published year
  never changes when a later decision is recorded.

Tables 三 and 四, the monthly intake and the five-year counts read the aggregates maintained
with every write (``gongkai.stats``, decision 2006); ``recount=True`` counts the records
directly instead (the reference the tests and ``gongkai stats verify`` compare with).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.db.models import CharField, Count, Q, Sum
from django.db.models.functions import Cast, Substr

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import subtree_filter
from gongkai.applications.choices import (
    RESULT_2019_OTHER,
    ApplicantType,
    LawsuitKind,
    Result,
    ReviewResult,
)
from gongkai.applications.models import Application, FeeNotice, Lawsuit, Review
from gongkai.catalog.table_two import table_two
from gongkai.reports import formats
from gongkai.stats import selectors as aggregates
from gongkai.stats.sources import REVIEW_SOURCE

#: Applicant types in the order of table 三's first six columns.
APPLICANT_COLUMNS: tuple[str, ...] = (
    ApplicantType.PERSON,
    ApplicantType.BUSINESS,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_INTEREST,
    ApplicantType.LEGAL_SERVICE,
    ApplicantType.OTHER_ORG,
)
_COLUMN_INDEX = {t: i for i, t in enumerate(APPLICANT_COLUMNS)}
#: Table 四 result columns in order (总计 is their sum).
REVIEW_COLUMNS: tuple[str, ...] = (
    ReviewResult.UPHELD,
    ReviewResult.CORRECTED,
    ReviewResult.OTHER,
    ReviewResult.PENDING,
)


@dataclass(frozen=True)
class Period:
    """A report year's first and last day."""

    year: int

    @property
    def start(self) -> dt.date:
        """1 January."""
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """31 December."""
        return dt.date(self.year, 12, 31)


def agency_filter(
    agency: Agency, *, consolidated: bool, field: str = "agency", exclude: Iterable[int] = ()
) -> Q:
    """Return the filter on ``<field>_id`` for the agency alone or its whole subtree."""
    q = subtree_filter(agency, subtree=consolidated, field=field)
    excluded = list(exclude)
    if excluded:
        q &= ~Q(**{f"{field}_id__in": excluded})
    return q


def _zeros() -> list[int]:
    return [0] * len(formats.TABLE3_COLUMNS)


@dataclass
class ApplicationFigures:
    """Table 三 and the monthly intake, from one aggregate query."""

    table3: dict[str, list[int]]
    monthly: list[int]


def application_figures(
    agency: Agency,
    year: int,
    *,
    consolidated: bool = False,
    exclude: Iterable[int] = (),
    recount: bool = False,
) -> ApplicationFigures:
    """Return table 三 and the monthly intake of ``year``.

    From the maintained aggregates (two small reads), or with ``recount`` from the records in
    ONE aggregate query (:func:`application_figures_recounted`).
    """
    if recount:
        return application_figures_recounted(
            agency, year, consolidated=consolidated, exclude=exclude
        )
    exclude = list(exclude)
    table = _table3_from_aggregates(agency, year, consolidated=consolidated, exclude=exclude)
    monthly = aggregates.monthly(agency, year, consolidated=consolidated, exclude=exclude)
    return ApplicationFigures(table, monthly)


def _table3_from_aggregates(
    agency: Agency, year: int, *, consolidated: bool, exclude: list[int]
) -> dict[str, list[int]]:
    table: dict[str, list[int]] = {r.key: _zeros() for r in formats.TABLE3_ROWS_2021}
    counts = aggregates.application_counts(agency, year, consolidated=consolidated, exclude=exclude)
    for (applicant_type, received, result, concluded), n in counts.items():
        c = _COLUMN_INDEX[applicant_type]
        table["new" if received == year else "carried_in"][c] += n
        if concluded == year:
            if result:
                table[result][c] += n
                table["r7_total"][c] += n
        else:
            table["carried_out"][c] += n
    for values in table.values():
        values[formats.TOTAL_COLUMN] = sum(values[: formats.TOTAL_COLUMN])
    return table


def application_figures_recounted(
    agency: Agency, year: int, *, consolidated: bool = False, exclude: Iterable[int] = ()
) -> ApplicationFigures:
    """Return table 三 and the monthly intake of ``year`` in ONE aggregate query.

    The query reads only the cases counted in the year (received by 31 December and not
    concluded before 1 January) and groups them by (applicant type, result) — at most 6 × 22
    groups — with filtered counts; the groups are then added up. Table 三 rows: ``new``,
    ``carried_in``, every result row ``r1_open`` … ``r6_3``, ``r7_total`` and ``carried_out``,
    values in the column order 自然人 … 其他, 总计 (2021 layout).
    """
    p = Period(year)
    concluded_in_year = Q(result__isnull=False, closed_on__gte=p.start, closed_on__lte=p.end)
    open_at_end = Q(result__isnull=True) | Q(closed_on__isnull=True) | Q(closed_on__gt=p.end)
    counted = Q(result__isnull=True) | Q(closed_on__isnull=True) | Q(closed_on__gte=p.start)
    aggregates: dict[str, Any] = {
        "new": Count("pk", filter=Q(received_on__gte=p.start)),
        "carried_in": Count("pk", filter=Q(received_on__lt=p.start)),
        "handled": Count("pk", filter=concluded_in_year),
        "carried_out": Count("pk", filter=open_at_end),
    }
    for m in range(1, 13):
        last = dt.date(year, m + 1, 1) - dt.timedelta(days=1) if m < 12 else p.end
        aggregates[f"m{m}"] = Count(
            "pk", filter=Q(received_on__gte=dt.date(year, m, 1), received_on__lte=last)
        )
    rows = (
        Application.objects.filter(
            agency_filter(agency, consolidated=consolidated, exclude=exclude),
            counted,
            received_on__lte=p.end,
        )
        .order_by()
        .values("applicant_type", "result")
        .annotate(**aggregates)
    )
    table: dict[str, list[int]] = {r.key: _zeros() for r in formats.TABLE3_ROWS_2021}
    monthly = [0] * 12
    # The aggregates are named at run time (new, handled, m1 … m12): rows as plain mappings.
    for row in cast("Iterable[Mapping[str, Any]]", rows):
        c = _COLUMN_INDEX[row["applicant_type"]]
        table["new"][c] += row["new"]
        table["carried_in"][c] += row["carried_in"]
        table["carried_out"][c] += row["carried_out"]
        if row["result"] and row["handled"]:
            table[row["result"]][c] += row["handled"]
            table["r7_total"][c] += row["handled"]
        for m in range(12):
            monthly[m] += row[f"m{m + 1}"]
    for values in table.values():
        values[formats.TOTAL_COLUMN] = sum(values[: formats.TOTAL_COLUMN])
    return ApplicationFigures(table, monthly)


def table3(
    agency: Agency,
    year: int,
    *,
    consolidated: bool = False,
    exclude: Iterable[int] = (),
    recount: bool = False,
) -> dict[str, list[int]]:
    """Return table 三 in the 2021 layout as ``{row key: [7 values]}`` (one aggregate query, of
    the maintained aggregates or with ``recount`` of the records)."""
    if recount:
        return application_figures_recounted(
            agency, year, consolidated=consolidated, exclude=exclude
        ).table3
    return _table3_from_aggregates(agency, year, consolidated=consolidated, exclude=list(exclude))


def table3_in_format(table: dict[str, list[int]], fmt: int) -> dict[str, list[int]]:
    """Return a 2021-layout table 三 in format ``fmt`` (2019: the （六） rows collapse into one)."""
    if fmt == 2021:
        return {k: list(v) for k, v in table.items()}
    out: dict[str, list[int]] = {}
    for row in formats.TABLE3_ROWS[fmt]:
        if row.key == RESULT_2019_OTHER:
            parts = [table[k] for k in ("r6_1", "r6_2", "r6_3")]
            out[row.key] = [sum(col) for col in zip(*parts, strict=True)]
        else:
            out[row.key] = list(table[row.key])
    return out


def _table4_row(counts: dict[str, Any], prefix: str = "") -> list[int]:
    values = [int(counts[f"{prefix}{c}"] or 0) for c in REVIEW_COLUMNS]
    return [*values, sum(values)]


def table4(
    agency: Agency,
    year: int,
    *,
    consolidated: bool = False,
    exclude: Iterable[int] = (),
    recount: bool = False,
) -> dict[str, list[int]]:
    """Return table 四 as ``{"行政复议": [5], "未经复议直接起诉": [5], "复议后起诉": [5]}``.

    A case counts in the year it was brought; its result is the one known on 31 December of that
    year (decided later, or not yet: 尚未审结). From the maintained aggregates, or with
    ``recount`` from the records in two aggregate queries.
    """
    if not recount:
        counts = aggregates.appeal_counts(agency, year, consolidated=consolidated, exclude=exclude)
        groups = {
            "行政复议": REVIEW_SOURCE,
            "未经复议直接起诉": LawsuitKind.DIRECT,
            "复议后起诉": LawsuitKind.AFTER_REVIEW,
        }
        out = {}
        for label, source in groups.items():
            values = [counts[(source, c)] for c in REVIEW_COLUMNS]
            out[label] = [*values, sum(values)]
        return out
    p = Period(year)
    scope = agency_filter(
        agency, consolidated=consolidated, field="application__agency", exclude=exclude
    )

    def by_result(prefix: str, extra: Q | None = None) -> dict[str, Any]:
        extra = extra if extra is not None else Q()
        decided = Q(decided_on__isnull=False, decided_on__lte=p.end) & ~Q(
            result=ReviewResult.PENDING
        )
        aggregates = {
            f"{prefix}{r}": Count("pk", filter=extra & decided & Q(result=r))
            for r in REVIEW_COLUMNS
            if r != ReviewResult.PENDING
        }
        aggregates[f"{prefix}{ReviewResult.PENDING}"] = Count("pk", filter=extra & ~decided)
        return aggregates

    reviews = Review.objects.filter(
        scope, applied_on__gte=p.start, applied_on__lte=p.end
    ).aggregate(**by_result(""))
    lawsuits = Lawsuit.objects.filter(scope, filed_on__gte=p.start, filed_on__lte=p.end).aggregate(
        **by_result("d_", Q(kind=LawsuitKind.DIRECT)),
        **by_result("a_", Q(kind=LawsuitKind.AFTER_REVIEW)),
    )
    return {
        "行政复议": _table4_row(reviews),
        "未经复议直接起诉": _table4_row(lawsuits, "d_"),
        "复议后起诉": _table4_row(lawsuits, "a_"),
    }


# -- table 二: from the catalogue ------------------------------------------------------------

#: The catalogue selector's row keys → the report schema's (spec §4.2, same order and labels).
_CATALOG_ROWS = {
    "regulation": "regulations",
    "normative": "normative_documents",
    "licensing": "licensing",
    "other_service": "other_services",
    "penalty": "penalties",
    "enforcement": "coercion",
    "fee": "fees",
    "procurement": "procurement",
}


def catalogue_available() -> bool:
    """True when the catalogue app (and its table 二 selector) is installed."""
    return apps.is_installed("gongkai.catalog")


def _number(value: Any, decimal: bool) -> int | float:
    if decimal:
        return float(Decimal(str(value or 0)))
    return int(value or 0)


def table2(
    agency: Agency, year: int, fmt: int, *, consolidated: bool = False
) -> dict[str, Any] | None:
    """Return table 二 in the report schema from the catalogue's selector, or None without it.

    The catalogue's blocks, rows and columns follow the official order; they are matched to
    :data:`formats.TABLE2` by position and checked by label, so no label is redefined here.
    """
    if not catalogue_available():
        return None

    source = table_two(agency=agency, year=year, layout=str(fmt), subtree=consolidated)
    spec = formats.TABLE2[fmt]
    out: dict[str, dict[str, int | float]] = {}
    for block_spec, block in zip(spec.blocks, source["blocks"], strict=True):
        columns = [c for c in block["columns"] if c["key"] != "label"]
        for row_spec, row in zip(block_spec.rows, block["rows"], strict=True):
            if _CATALOG_ROWS.get(row["key"]) != row_spec.key:
                raise ValueError(f"catalogue table 二 row {row['key']} ≠ {row_spec.key}")
            cells: dict[str, int | float] = {}
            for col_spec, col in zip(block_spec.columns, columns, strict=True):
                if col["label"] != col_spec.label:
                    raise ValueError(f"catalogue table 二 column {col['label']} ≠ {col_spec.label}")
                cells[col_spec.key] = _number(row["values"].get(col["key"]), col_spec.decimal)
            out[row_spec.key] = cells
    return out


# -- figures for the narrative and the charts ------------------------------------------------


def monthly_intake(agency: Agency, year: int, *, consolidated: bool = False) -> list[int]:
    """Return the applications received in each month of the year (12 numbers, one query)."""
    return application_figures(agency, year, consolidated=consolidated).monthly


def _year_of(field: str) -> Substr:
    """The year of a date column as text, with native functions on SQLite and PostgreSQL."""
    return Substr(Cast(field, CharField()), 1, 4)


def yearly_counts(
    agency: Agency, years: Iterable[int], *, consolidated: bool = False, recount: bool = False
) -> dict[int, dict[str, int]]:
    """Return ``{year: {"new": n, "handled": n}}`` for ``years`` (two grouped queries, of the
    maintained aggregates or with ``recount`` of the records)."""
    wanted = sorted(set(years))
    out = {y: {"new": 0, "handled": 0} for y in wanted}
    if not wanted:
        return out
    if not recount:
        return aggregates.yearly(agency, wanted, consolidated=consolidated)
    scope = agency_filter(agency, consolidated=consolidated)
    first, last = dt.date(wanted[0], 1, 1), dt.date(wanted[-1], 12, 31)
    received = (
        Application.objects.filter(scope, received_on__gte=first, received_on__lte=last)
        .annotate(y=_year_of("received_on"))
        .order_by()
        .values("y")
        .annotate(n=Count("pk"))
    )
    handled = (
        Application.objects.filter(
            scope, result__isnull=False, closed_on__gte=first, closed_on__lte=last
        )
        .annotate(y=_year_of("closed_on"))
        .order_by()
        .values("y")
        .annotate(n=Count("pk"))
    )
    for key, rows in (("new", received), ("handled", handled)):
        for row in rows:
            if int(row["y"]) in out:
                out[int(row["y"])][key] = row["n"]
    return out


def fees_collected(agency: Agency, year: int, *, consolidated: bool = False) -> dict[str, Any]:
    """Return the 信息处理费 paid in the year: amount in 元 (string, 2 decimals) and cases."""
    p = Period(year)
    agg = FeeNotice.objects.filter(
        agency_filter(agency, consolidated=consolidated, field="application__agency"),
        paid_on__gte=p.start,
        paid_on__lte=p.end,
    ).aggregate(
        amount=Sum("amount"), notices=Count("pk"), cases=Count("application", distinct=True)
    )
    amount = Decimal(agg["amount"] or 0).quantize(Decimal("0.01"))
    return {"amount_yuan": str(amount), "notices": agg["notices"], "cases": agg["cases"]}


def has_records(agency: Agency, year: int) -> bool:
    """True when the platform holds applications of ``agency`` for ``year`` (received or closed)."""
    p = Period(year)
    return Application.objects.filter(
        Q(received_on__gte=p.start, received_on__lte=p.end)
        | Q(closed_on__gte=p.start, closed_on__lte=p.end),
        agency=agency,
    ).exists()


def result_labels() -> dict[str, str]:
    """Return ``{result key: row label}`` of the 2021 table 三 (from the official definitions)."""
    return {r.key: r.label for r in formats.TABLE3_ROWS_2021 if r.key in set(Result.values)}
