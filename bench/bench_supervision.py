"""Supervision dashboard benchmark (issue 20 item 6): the province of bench_reports.py (2,000
agencies, applications over 2021–2025 with reviews and lawsuits, catalogue items), then the
dashboard of the root (rows for every child, rolled up over subtrees) and of one unit, and the
scorecard of every unit.

    .venv/bin/python bench/bench_supervision.py --scale 0.02          # SQLite, 2 % of the data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_supervision \\
        .venv/bin/python bench/bench_supervision.py --scale 0.02      # PostgreSQL (flushed)

Full scale is ``--scale 1`` (1,000,000 applications, 5,000,000 items). Targets from the issue:
the city view ≤ 300 ms p95, one unit ≤ 100 ms p95. The dashboard reads applications, appeals and
catalogue items from the maintained aggregates (decision 2006; rebuilt once after the raw load);
``bench/bench_stats.py`` measures it beside the direct counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import (  # noqa: E402
    load_agencies,
    load_applications,
    load_catalogue,
    setup_database,
)

TODAY = dt.date(2025, 12, 15)


def _p95(fn: Any, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]


def columns(model: Any) -> None:
    """Give half the loaded items a statutory column (第二十条 items 1–15, by id), mark one in
    17 published late (第二十六条) and write one in 7 of the budget items 40 days before its
    publication (late under the event-tied default rule)."""
    from django.db.models import (
        BooleanField,
        Case,
        DateField,
        ExpressionWrapper,
        F,
        QuerySet,
        Value,
        When,
    )
    from django.db.models.functions import Mod

    items = model.objects.alias(m=Mod(F("id"), 30))
    QuerySet.update(items.filter(m__lt=15), statutory_item=Mod(F("id"), 30) + 1)
    late = Case(When(m=0, then=Value(True)), default=Value(False), output_field=BooleanField())
    QuerySet.update(model.objects.alias(m=Mod(F("id"), 17)), is_late=late)
    early = ExpressionWrapper(F("published_on") - dt.timedelta(days=40), output_field=DateField())
    budget = model.objects.alias(m=Mod(F("id"), 7)).filter(m=0, statutory_item=7)
    QuerySet.update(budget, written_on=early)


def load_reports(agency_ids: list[int]) -> None:
    """A published 本机关 report of 2023 and of 2024 for every agency (all figures 0), without
    a stored 年报体检 verdict (``fill_verdicts`` stores them)."""
    from gongkai.reports.choices import ReportStatus, Scope, Source
    from gongkai.reports.formats import format_for_year
    from gongkai.reports.models import AnnualReport, ReportVersion
    from gongkai.reports.schema import empty_report

    for year in (2023, 2024):
        fmt = format_for_year(year)
        reports = AnnualReport.objects.bulk_create(
            AnnualReport(agency_id=a, year=year, scope=Scope.OWN, format=fmt,
                         source=Source.IMPORTED, status=ReportStatus.PUBLISHED,
                         data=empty_report(fmt, year=year))
            for a in agency_ids
        )  # fmt: skip
        versions = ReportVersion.objects.bulk_create(
            ReportVersion(report=r, number=1, data=r.data, published_on=dt.date(year + 1, 1, 20))
            for r in reports
        )
        for r, v in zip(reports, versions, strict=True):
            r.published_version = v
        AnnualReport.objects.bulk_update(reports, ["published_version"], batch_size=500)


def fill_verdicts() -> None:
    """Store each version's verdict as publishing does (2024's against 2023's)."""
    from gongkai.reports import verdict
    from gongkai.reports.models import ReportVersion, VersionVerdict

    versions = list(ReportVersion.objects.select_related("report"))
    by_key = {(v.report.agency_id, v.report.year): v for v in versions}
    rows = []
    for v in versions:
        before = by_key.get((v.report.agency_id, v.report.year - 1))
        rows.append(VersionVerdict(version=v, checks=verdict.run(v.data, before.data if before else None),
                                   checked_against=before.pk if before else None))  # fmt: skip
    VersionVerdict.objects.bulk_create(rows, batch_size=500)


def main() -> None:
    """Load, give the cases deadlines, measure the dashboard and the scorecard."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="profile one scorecard run")
    args = parser.parse_args()
    engine = setup_database()
    rng = random.Random(args.seed)
    n_apps, n_items = int(1_000_000 * args.scale), int(5_000_000 * args.scale)
    print(f"engine: {engine}; applications {n_apps:,}; catalogue items {n_items:,}", flush=True)
    t0 = time.perf_counter()
    root, agency_ids = load_agencies()
    load_applications(rng, agency_ids, n_apps)
    load_catalogue(rng, agency_ids, n_items)
    load_reports(agency_ids)
    from django.db import connection
    from django.db.models import DateField, ExpressionWrapper, F, QuerySet

    from gongkai.applications.models import Application
    from gongkai.catalog.models import CatalogItem
    from gongkai.stats.maintenance import rebuild

    due = ExpressionWrapper(F("received_on") + dt.timedelta(days=28), output_field=DateField())
    QuerySet.update(Application.objects.all(), reply_due_on=due, due_on=due)
    columns(CatalogItem)
    rebuild()  # the raw load and this update went around the write hooks (decision 2006)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - t0:.1f} s", flush=True)

    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.agencies.models import Agency
    from gongkai.supervision import dashboard, scorecard
    from gongkai.supervision.freshness import DEFAULT_RULES

    top = max(Agency.objects.values_list("pk", flat=True))  # the raw load set the ids (no sequence)
    office = Agency.objects.create(
        pk=top + 1, name="基准省政府办公厅", kind="DEPARTMENT", level=root.level, parent=root,
        credit_code=make_credit_code("110000", 999_999), is_disclosure_office=True,
        path=f"{root.path}999999/", depth=root.depth + 1,
    )  # fmt: skip
    unit = Agency.objects.filter(kind="DEPARTMENT", depth=2).order_by("pk")[len(agency_ids) // 3]
    rules = list(DEFAULT_RULES)
    city = lambda: dashboard.build(root, year=2025, today=TODAY, rules=rules)  # noqa: E731
    one = lambda: dashboard.build(unit, year=2025, today=TODAY, rules=rules)  # noqa: E731
    town = Agency.objects.filter(kind="GOVERNMENT", depth=1).order_by("pk").first()
    sub = lambda: dashboard.build(town, year=2025, today=TODAY, rules=rules)  # noqa: E731
    bare = lambda: dashboard.build(root, year=2025, today=TODAY)  # noqa: E731
    bare()
    bare_med, bare_p95 = _p95(bare, args.runs)
    city()
    city_med, city_p95 = _p95(city, args.runs)
    one_med, one_p95 = _p95(one, args.runs)
    sub_med, sub_p95 = _p95(sub, args.runs)
    card = lambda: scorecard.compute(office, 2025, today=TODAY)  # noqa: E731
    rerun_med, rerun_p95 = _p95(card, 3)  # no stored verdict: the checks run per unit
    fill_verdicts()
    card_med, card_p95 = _p95(card, 5)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(scorecard.compute, office, 2025, today=TODAY)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35).print_callees(
            "verdicts|published_ids"
        )
    t0 = time.perf_counter()
    direct = dashboard.freshness_counts(dashboard.Rollup(root), rules, 2025, TODAY, recount=True)
    recount_s = time.perf_counter() - t0
    built = city()
    rows = built["rows"]
    assert built["stale"] == direct, "freshness from the aggregates differs from the records"
    print(f"city dashboard without freshness (baseline): median {bare_med * 1000:.0f} ms, "
          f"p95 {bare_p95 * 1000:.0f} ms")  # fmt: skip
    print(f"city dashboard ({len(rows)} rows, {len(direct)} stale columns): median "
          f"{city_med * 1000:.0f} ms, p95 {city_p95 * 1000:.0f} ms (target 300 ms; "
          f"{city_p95 / bare_p95:.2f}x the baseline)")  # fmt: skip
    print(f"freshness counted from the records (once): {recount_s:.2f} s")
    print(f"one unit: median {one_med * 1000:.0f} ms, p95 {one_p95 * 1000:.0f} ms (target 100 ms)")
    print(f"one city government and its ~100 units: median {sub_med * 1000:.0f} ms, "
          f"p95 {sub_p95 * 1000:.0f} ms")  # fmt: skip
    print(f"scorecard of {len(agency_ids)} units, checks re-run per unit (baseline): median "
          f"{rerun_med:.2f} s, p95 {rerun_p95:.2f} s")  # fmt: skip
    print(f"scorecard of {len(agency_ids)} units, stored verdicts: median {card_med:.2f} s, "
          f"p95 {card_p95:.2f} s (target 1 s; {card_p95 / rerun_p95:.2f}x the baseline)")  # fmt: skip


if __name__ == "__main__":
    main()
