"""Maintained aggregates benchmark (decision 2006; issue 20 item 6, issue 22): the province of
bench_reports.py, the aggregates rebuilt from the records once, then the root's consolidated
annual report and the supervision dashboard reading the aggregates, each beside the same
figures counted from the records (the baseline, ``recount=True``) in the same run.

    .venv/bin/python bench/bench_stats.py --scale 0.1                 # SQLite, 10 % of the data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_stats_bench \\
        .venv/bin/python bench/bench_stats.py --scale 0.1             # PostgreSQL (flushed)

Full scale is ``--scale 1`` (1,000,000 applications, 5,000,000 catalogue items). Targets: the
root's report ≤ 3 s; the province dashboard ≤ 300 ms p95, one unit ≤ 100 ms p95. Also printed:
the time of ``rebuild`` and ``verify`` and the cost of one case's save with the hooks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics as st
import sys
import time
from collections.abc import Callable
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
YEAR = 2025


def _times(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return st.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    """Load, rebuild the aggregates, measure reads from them and from the records."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    engine = setup_database()
    rng = random.Random(args.seed)
    n_apps, n_items = int(1_000_000 * args.scale), int(5_000_000 * args.scale)
    print(f"engine: {engine}; applications {n_apps:,}; catalogue items {n_items:,}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    t0 = time.perf_counter()
    root, agency_ids = load_agencies()
    load_applications(rng, agency_ids, n_apps)
    load_catalogue(rng, agency_ids, n_items)
    from django.db import connection
    from django.db.models import DateField, ExpressionWrapper, F

    from gongkai.applications.models import Application
    from gongkai.stats.maintenance import rebuild, verify

    due = ExpressionWrapper(F("received_on") + dt.timedelta(days=28), output_field=DateField())
    from django.db.models import QuerySet

    # Like the raw load, the deadlines bypass the hooks (the rebuild below counts everything).
    QuerySet.update(Application.objects.all(), reply_due_on=due, due_on=due)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    t1 = time.perf_counter()
    rows = rebuild()
    print(f"rebuild: {rows:,} aggregate rows in {time.perf_counter() - t1:.1f} s", flush=True)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    t1 = time.perf_counter()
    drift = verify()
    print(f"verify: {len(drift)} differences in {time.perf_counter() - t1:.1f} s", flush=True)

    from gongkai.agencies.models import Agency
    from gongkai.reports import statistics
    from gongkai.reports.compute import compute_report
    from gongkai.supervision import dashboard
    from gongkai.supervision.freshness import DEFAULT_RULES

    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    report_s = _times(lambda: compute_report(root, YEAR, consolidated=True), 3)[0]

    def figures(recount: bool) -> None:
        statistics.application_figures(root, YEAR, consolidated=True, recount=recount)
        statistics.table4(root, YEAR, consolidated=True, recount=recount)
        statistics.yearly_counts(root, range(YEAR - 4, YEAR), consolidated=True, recount=recount)

    fig_agg = _times(lambda: figures(False), args.runs)[0]
    fig_rec = _times(lambda: figures(True), 3)[0]
    a = statistics.application_figures(root, YEAR, consolidated=True)
    b = statistics.application_figures(root, YEAR, consolidated=True, recount=True)
    assert (a.table3, a.monthly) == (b.table3, b.monthly)
    print(f"root 汇总 report (compute_report, aggregates): {report_s:.2f} s (target 3 s)")
    print(
        f"root tables 三/四 + monthly + five-year counts: aggregates {fig_agg * 1000:.1f} ms, "
        f"recount {fig_rec * 1000:.0f} ms ({fig_rec / fig_agg:.0f}×)"
    )
    unit = Agency.objects.filter(kind="DEPARTMENT", depth=2).order_by("pk")[len(agency_ids) // 3]
    for rules in (list(DEFAULT_RULES), None):  # the whole dashboard; without column freshness
        for label, agency in (("province", root), ("one unit", unit)):
            label += ", with column freshness" if rules else ", without column freshness"

            def read(a: Any = agency, r: Any = rules, recount: bool = False) -> None:
                dashboard.build(a, year=YEAR, today=TODAY, rules=r, recount=recount)

            agg = _times(read, args.runs)
            rec = _times(lambda read=read: read(recount=True), max(3, args.runs // 3))
            print(
                f"dashboard, {label}: aggregates median {agg[0] * 1000:.0f} ms "
                f"p95 {agg[1] * 1000:.0f} ms; recount median {rec[0] * 1000:.0f} ms "
                f"p95 {rec[1] * 1000:.0f} ms",
                flush=True,
            )
    app = Application.objects.filter(result__isnull=True).order_by("pk").first()
    if app is not None:
        from django.db import transaction
        from django.db.models.signals import post_save, pre_save

        from gongkai.stats import hooks

        def save() -> None:
            app.save()

        with transaction.atomic():
            hooked = _times(save, 50)[0]
        uid = f"stats.{Application._meta.label}"
        pre_save.disconnect(sender=Application, dispatch_uid=f"{uid}.pre_save")
        post_save.disconnect(sender=Application, dispatch_uid=f"{uid}.post_save")
        with transaction.atomic():
            bare = _times(save, 50)[0]
        hooks.connect()
        print(f"one case save: {hooked * 1000:.1f} ms with the hooks, {bare * 1000:.1f} ms without")
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
