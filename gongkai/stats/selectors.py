"""Reads of the maintained aggregates for the annual report and the supervision dashboard.

Each read sums a few hundred aggregate rows of one node (or of the dashboard's units); none
reads the records. The counting rules they follow are those of the direct counts in
``gongkai.reports.statistics`` and ``gongkai.supervision.dashboard``, which the tests compare
them with.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, Sum

from gongkai.agencies.models import Agency
from gongkai.applications.choices import ReviewResult
from gongkai.stats.models import (
    AppealTally,
    ApplicationTally,
    ClosingTally,
    IntakeTally,
    OpenTally,
    PublishedTally,
    Tally,
)
from gongkai.stats.sources import REVIEW_SOURCE, Key


def sums(
    model: type[Tally],
    agency: Agency,
    *,
    consolidated: bool,
    exclude: Iterable[int] = (),
    where: Q | None = None,
) -> Counter[Key]:
    """``{key: count}`` of the agency alone or its subtree, without the own records of the
    agencies in ``exclude``, over the aggregate rows matching ``where``."""
    where = where if where is not None else Q()
    base = model.objects.filter(where, node=agency.pk)
    if not consolidated:
        base = base.filter(own=True)
    out: Counter[Key] = Counter()
    for *key, n in base.order_by().values_list(*model.DIMENSIONS).annotate(s=Sum("n")):
        out[tuple(key)] += n
    excluded = list(exclude)
    if excluded:
        inside = Agency.objects.filter(pk__in=excluded)
        if consolidated:
            inside = inside.filter(path__startswith=agency.path)
        else:
            inside = inside.filter(pk=agency.pk)
        minus = model.objects.filter(where, node__in=inside.values("pk"), own=True)
        for *key, n in minus.order_by().values_list(*model.DIMENSIONS).annotate(s=Sum("n")):
            out[tuple(key)] -= n
    return out


def application_counts(
    agency: Agency, year: int, *, consolidated: bool, exclude: Iterable[int] = ()
) -> Counter[Key]:
    """(applicant type, received year, result, concluded year) → cases counted in ``year``:
    received by its end and not concluded before its start."""
    where = Q(received_year__lte=year) & (Q(concluded_year=0) | Q(concluded_year__gte=year))
    return sums(ApplicationTally, agency, consolidated=consolidated, exclude=exclude, where=where)


def monthly(
    agency: Agency, year: int, *, consolidated: bool, exclude: Iterable[int] = ()
) -> list[int]:
    """Cases received in each month of ``year`` that the annual report counts."""
    out = [0] * 12
    where = Q(received_year=year, early=False)
    counts = sums(IntakeTally, agency, consolidated=consolidated, exclude=exclude, where=where)
    for (_, month, _), n in counts.items():
        out[month - 1] += n
    return out


def yearly(agency: Agency, years: list[int], *, consolidated: bool) -> dict[int, dict[str, int]]:
    """``{year: {"new": received, "handled": concluded}}`` for ``years``."""
    out = {y: {"new": 0, "handled": 0} for y in years}
    intake = sums(IntakeTally, agency, consolidated=consolidated, where=Q(received_year__in=years))
    for (y, _, _), n in intake.items():
        out[y]["new"] += n
    handled = sums(
        ApplicationTally, agency, consolidated=consolidated, where=Q(concluded_year__in=years)
    )
    for (_, _, _, y), n in handled.items():
        out[y]["handled"] += n
    return out


def appeal_counts(
    agency: Agency, year: int, *, consolidated: bool, exclude: Iterable[int] = ()
) -> Counter[tuple[str, str]]:
    """(source, result as at 31 December) → reviews and lawsuits brought in ``year`` (two reads:
    reviews, lawsuits)."""
    out: Counter[tuple[str, str]] = Counter()
    exclude = list(exclude)
    reviews = Q(source=REVIEW_SOURCE)
    for where in (reviews, ~reviews):
        counts = sums(
            AppealTally,
            agency,
            consolidated=consolidated,
            exclude=exclude,
            where=where & Q(brought_year=year),
        )
        for (source, _, result, decided), n in counts.items():
            known = decided and decided <= year and result != ReviewResult.PENDING
            out[(source, result if known else ReviewResult.PENDING)] += n
    return out


def unit_figures(
    units: list[tuple[int, bool]], *, year: int, today: dt.date, soon: dt.date
) -> dict[tuple[int, bool], dict[str, Any]]:
    """The dashboard's record figures of each (agency, own only) in ``units``: in flight, due
    soon, overdue now; concluded, with a deadline, on time, received (and per month), decided
    and corrected appeals, published items in ``year``. Six aggregate queries in all."""
    ids = sorted({u for u, _ in units})
    wanted = defaultdict(list)
    for unit in units:
        wanted[unit[0]].append(unit)
    out: dict[tuple[int, bool], dict[str, Any]] = {
        u: defaultdict(int, months=[0] * 12) for u in units
    }

    def add(node: int, own: bool, values: dict[str, Any]) -> None:
        for unit in wanted[node]:
            if own or not unit[1]:
                for key, n in values.items():
                    out[unit][key] += n or 0

    def grouped(model: type[Tally], where: Q, **sums_: Any) -> Iterable[Any]:
        return (
            model.objects.filter(where, node__in=ids)
            .order_by()
            .values("node", "own")
            .annotate(**sums_)
        )

    n = Sum("n")
    for row in grouped(
        OpenTally,
        Q(),
        open=n,
        due_soon=Sum("n", filter=Q(due_on__gte=today, due_on__lte=soon)),
        overdue=Sum("n", filter=Q(due_on__lt=today)),
    ):
        add(row.pop("node"), row.pop("own"), row)
    for row in grouped(
        ClosingTally,
        Q(closed_year=year),
        concluded=n,
        with_due=Sum("n", filter=~Q(timing=0)),
        on_time=Sum("n", filter=Q(timing=1)),
    ):
        add(row.pop("node"), row.pop("own"), row)
    for row in grouped(
        AppealTally,
        Q(decided_year=year),
        decided=Sum("n", filter=~Q(result=ReviewResult.PENDING)),
        corrected=Sum("n", filter=Q(result=ReviewResult.CORRECTED)),
    ):
        add(row.pop("node"), row.pop("own"), row)
    for row in grouped(PublishedTally, Q(published_year=year), published=n):
        add(row.pop("node"), row.pop("own"), row)
    intake = (
        IntakeTally.objects.filter(node__in=ids, received_year=year)
        .order_by()
        .values_list("node", "own", "month")
        .annotate(s=Sum("n"))
    )
    for node, own, month, s in intake:
        for unit in wanted[node]:
            if own or not unit[1]:
                out[unit]["received"] += s
                out[unit]["months"][month - 1] += s
    return out
