"""Annual-report benchmark (issue 8): province-scale data, the consolidated report for the root,
a hand-written aggregate query over the same tables, and a single agency's report.

    .venv/bin/python bench/bench_reports.py                 # full scale on SQLite (slow to load)
    .venv/bin/python bench/bench_reports.py --scale 0.05    # 5 % of the data, a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_reports \\
        .venv/bin/python bench/bench_reports.py --scale 1   # PostgreSQL (the database is flushed)

Full scale: 2,000 agencies (a province government, 100 departments, 19 city governments each
with ~99 departments), 1,000,000 applications over five years (2021–2025) with results,
reviews and lawsuits and paid fees, 5,000,000 catalogue items (a tenth of them of the kinds
table 二 counts). Rows are bulk inserted (COPY on PostgreSQL), around the write hooks, so the
maintained aggregates (decision 2006) are rebuilt once after the load. ``--scale`` multiplies the
applications and catalogue items (the tree stays at 2,000 agencies).

Targets: the root's consolidated report ≤ 3 s and ≤ 2× the hand-written query; a single
agency's report ≤ 100 ms. Figures are printed and, with ``--record``, appended to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics as stats
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

YEARS = (2021, 2022, 2023, 2024, 2025)
YEAR = 2025


def _setup_database() -> str:
    """Point Django at a fresh throwaway database and migrate it; return a description."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="gongkai-bench-reports-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=OFF")
            c.execute("PRAGMA cache_size=-1000000")
            c.execute("PRAGMA temp_store=MEMORY")
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


class _IndexesDropped:
    """Drop a table's secondary indexes for a bulk load and recreate them afterwards (much faster
    than maintaining 15 B-trees row by row)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.definitions: list[tuple[str, str]] = []

    def __enter__(self) -> _IndexesDropped:
        from django.db import connection

        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE %s",
                    [self.table, "%UNIQUE%"],
                )
            else:
                c.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [self.table],
                )
            self.definitions = list(c.fetchall())
            for name, _ in self.definitions:
                c.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        with connection.cursor() as c:
            for _, sql in self.definitions:
                c.execute(sql)


def _insert(
    model: Any,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    fixed: dict[str, Any] | None = None,
) -> int:
    """Bulk insert ``rows`` (values for ``columns``) plus ``fixed`` column values into ``model``.

    Every other NOT NULL column gets its field default. PostgreSQL uses COPY; SQLite executemany.
    """
    from django.db import connection

    fixed = dict(fixed or {})
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in columns or field.column in fixed:
            continue
        if field.null:
            continue
        if field.has_default():
            fixed[field.column] = field.get_db_prep_save(field.get_default(), connection)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.column] = dt.datetime.now(dt.UTC)
        else:
            fixed[field.column] = field.get_db_prep_save(
                "" if field.empty_strings_allowed else 0, connection
            )
    all_columns = list(columns) + list(fixed)
    tail = tuple(fixed.values())
    table = model._meta.db_table
    n = 0
    with _IndexesDropped(table), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(all_columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    n += 1
        else:
            sql = f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES ({', '.join(['%s'] * len(all_columns))})"  # noqa: S608 - table and column names come from the models
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append((*row, *tail))
                if len(batch) >= 20_000:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
    return n


def _agencies() -> tuple[Any, list[int]]:
    """2,000 agencies: the province, 100 departments, 19 governments with ~99 departments each."""
    from gongkai.agencies.choices import AgencyKind, AgencyLevel
    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.agencies.models import Agency

    rows = []
    next_id = 1

    def add(name: str, parent: tuple[int, str] | None, kind: str, level: str) -> tuple[int, str]:
        nonlocal next_id
        pk = next_id
        next_id += 1
        path = (parent[1] if parent else "/") + f"{pk}/"
        rows.append(
            Agency(
                pk=pk,
                name=name,
                kind=kind,
                level=level,
                parent_id=parent[0] if parent else None,
                path=path,
                depth=path.count("/") - 2,
                credit_code=make_credit_code("449900", 70_000 + pk),
            )
        )
        return pk, path

    root = add("测试省人民政府", None, AgencyKind.GOVERNMENT, AgencyLevel.CITY)
    for i in range(100):
        add(f"测试省第{i + 1}厅", root, AgencyKind.DEPARTMENT, AgencyLevel.CITY)
    for g in range(19):
        gov = add(f"测试省第{g + 1}市人民政府", root, AgencyKind.GOVERNMENT, AgencyLevel.CITY)
        for d in range(99 if g < 18 else 98):
            add(f"测试省第{g + 1}市第{d + 1}局", gov, AgencyKind.DEPARTMENT, AgencyLevel.COUNTY)
    Agency.objects.bulk_create(rows, batch_size=500)
    return Agency.objects.get(pk=root[0]), [a.pk for a in rows]


RESULTS = [
    ("r1_open", 30), ("r2_partial", 10), ("r3_1", 1), ("r3_2", 1), ("r3_3", 1), ("r3_4", 2),
    ("r3_5", 2), ("r3_6", 2), ("r3_7", 1), ("r3_8", 2), ("r4_1", 20), ("r4_2", 5), ("r4_3", 2),
    ("r5_1", 5), ("r5_2", 3), ("r5_3", 1), ("r5_4", 1), ("r5_5", 1), ("r6_1", 3), ("r6_2", 1),
    ("r6_3", 5),
]  # fmt: skip
APPLICANTS = [
    ("PERSON", 80),
    ("BUSINESS", 10),
    ("RESEARCH", 1),
    ("PUBLIC_INTEREST", 2),
    ("LEGAL_SERVICE", 4),
    ("OTHER_ORG", 3),
]


def _applications(rng: random.Random, agency_ids: list[int], n: int) -> None:
    from gongkai.applications.models import Application, FeeNotice, Lawsuit, Review

    weights = [rng.paretovariate(1.2) for _ in agency_ids]
    results, rweights = zip(*RESULTS, strict=True)
    kinds, kweights = zip(*APPLICANTS, strict=True)
    start = dt.date(YEARS[0], 1, 1)
    span = (dt.date(YEARS[-1], 12, 31) - start).days + 1

    def rows() -> Iterable[tuple[Any, ...]]:
        chosen = rng.choices(agency_ids, weights=weights, k=n)
        for i, agency_id in enumerate(chosen):
            received = start + dt.timedelta(days=rng.randrange(span))
            closed = received + dt.timedelta(days=rng.randrange(45))
            is_open = closed > dt.date(YEARS[-1], 12, 31) or rng.random() < 0.02
            result = None if is_open else rng.choices(results, weights=rweights)[0]
            yield (
                agency_id, received.year, f"B{i:09d}", "ONLINE", received, received,
                rng.choices(kinds, weights=kweights)[0], "申请人", "测试申请内容",
                "HANDLING" if is_open else "CLOSED", result, None if is_open else closed, f"k{i}",
            )  # fmt: skip

    columns = (
        "agency_id", "registration_year", "registration_number", "channel", "arrived_on",
        "received_on", "applicant_type", "applicant_name", "description", "status", "result",
        "closed_on", "applicant_key",
    )  # fmt: skip
    _insert(Application, columns, rows())
    ids = list(Application.objects.order_by().values_list("pk", "received_on"))
    sample = rng.sample(ids, max(1, len(ids) // 100))
    _insert(
        Review,
        ("application_id", "body", "applied_on", "decided_on", "result", "case_number", "note"),
        (
            (
                pk,
                "测试省人民政府",
                on + dt.timedelta(days=40),
                on + dt.timedelta(days=100),
                rng.choice(["UPHELD", "CORRECTED", "OTHER", "PENDING"]),
                "",
                "",
            )
            for pk, on in sample
        ),
    )
    _insert(
        Lawsuit,
        ("application_id", "kind", "court", "filed_on", "result", "case_number", "note"),
        (
            (
                pk,
                rng.choice(["DIRECT", "AFTER_REVIEW"]),
                "测试法院",
                on + dt.timedelta(days=60),
                rng.choice(["UPHELD", "OTHER", "PENDING"]),
                "",
                "",
            )
            for pk, on in sample[: len(sample) // 3]
        ),
    )
    _insert(
        FeeNotice,
        ("application_id", "basis", "quantity", "amount", "sent_on", "received_on", "paid_on"),
        (
            (pk, "PER_APPLICATION", 11, "100.00", on, on, on + dt.timedelta(days=5))
            for pk, on in sample[:2000]
        ),
    )


KINDS = [
    ("", 90),
    ("REGULATION", 0.5),
    ("NORMATIVE", 3),
    ("LICENSING", 3),
    ("PENALTY", 2),
    ("ENFORCEMENT", 1),
    ("FEE", 0.5),
]


def _catalogue(rng: random.Random, agency_ids: list[int], n: int) -> None:
    from gongkai.catalog.models import CatalogItem

    kinds, weights = zip(*KINDS, strict=True)
    start = dt.date(YEARS[0] - 3, 1, 1)
    span = (dt.date(YEARS[-1], 12, 31) - start).days + 1

    def rows() -> Iterable[tuple[Any, ...]]:
        for i in range(n):
            published = start + dt.timedelta(days=rng.randrange(span))
            kind = rng.choices(kinds, weights=weights)[0]
            repealed = kind in ("REGULATION", "NORMATIVE") and rng.random() < 0.1
            yield (
                rng.choice(agency_ids), "测试文件", f"BI{i:010d}", published - dt.timedelta(days=5),
                published, published.year, "PUBLISHED", kind, "REPEALED" if repealed else "IN_FORCE",
                published + dt.timedelta(days=200) if repealed else None,
                "120.00" if kind == "FEE" else None,
            )  # fmt: skip

    _insert(
        CatalogItem,
        (
            "agency_id",
            "title",
            "index_number",
            "written_on",
            "published_on",
            "published_year",
            "status",
            "structured_kind",
            "validity",
            "abolished_on",
            "fee_amount",
        ),  # fmt: skip
        rows(),
    )


HAND_SQL = """
SELECT a.applicant_type, a.result,
       SUM(CASE WHEN a.received_on >= %(start)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.received_on < %(start)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.result IS NOT NULL AND a.closed_on >= %(start)s AND a.closed_on <= %(end)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.result IS NULL OR a.closed_on IS NULL OR a.closed_on > %(end)s THEN 1 ELSE 0 END)
  FROM applications_application a JOIN agencies_agency g ON g.id = a.agency_id
 WHERE g.path LIKE %(prefix)s AND a.received_on <= %(end)s
   AND (a.result IS NULL OR a.closed_on IS NULL OR a.closed_on >= %(start)s)
 GROUP BY a.applicant_type, a.result
UNION ALL
SELECT c.structured_kind, NULL,
       SUM(CASE WHEN c.written_on >= %(start)s AND c.written_on <= %(end)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.published_on <= %(end)s THEN 1 ELSE 0 END), 0, 0
  FROM catalog_catalogitem c JOIN agencies_agency g ON g.id = c.agency_id
 WHERE g.path LIKE %(prefix)s AND c.status = 'PUBLISHED' AND c.structured_kind <> ''
 GROUP BY c.structured_kind
UNION ALL
SELECT r.result, 'review', COUNT(*), 0, 0, 0
  FROM applications_review r JOIN applications_application a ON a.id = r.application_id
  JOIN agencies_agency g ON g.id = a.agency_id
 WHERE g.path LIKE %(prefix)s AND r.applied_on >= %(start)s AND r.applied_on <= %(end)s
 GROUP BY r.result
UNION ALL
SELECT l.kind, l.result, COUNT(*), 0, 0, 0
  FROM applications_lawsuit l JOIN applications_application a ON a.id = l.application_id
  JOIN agencies_agency g ON g.id = a.agency_id
 WHERE g.path LIKE %(prefix)s AND l.filed_on >= %(start)s AND l.filed_on <= %(end)s
 GROUP BY l.kind, l.result
"""


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return stats.median(times), result


def main() -> None:
    """Load the data, measure, print and optionally record."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 1M applications / 5M items"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--record", action="store_true", help="append the figures to docs/performance.md"
    )
    args = parser.parse_args()
    engine = _setup_database()
    rng = random.Random(args.seed)
    n_apps, n_items = int(1_000_000 * args.scale), int(5_000_000 * args.scale)
    print(f"engine: {engine}; applications {n_apps:,}; catalogue items {n_items:,}", flush=True)
    t0 = time.perf_counter()
    root, agency_ids = _agencies()
    _applications(rng, agency_ids, n_apps)
    print(f"applications loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    t1 = time.perf_counter()
    _catalogue(rng, agency_ids, n_items)
    print(f"catalogue loaded in {time.perf_counter() - t1:.1f} s", flush=True)
    from django.db import connection

    from gongkai.stats.maintenance import rebuild

    t2 = time.perf_counter()
    rows = rebuild()  # the raw load went around the write hooks (decision 2006)
    print(f"aggregates rebuilt ({rows:,} rows) in {time.perf_counter() - t2:.1f} s", flush=True)
    with connection.cursor() as c:
        c.execute("ANALYZE")

    from gongkai.agencies.models import Agency
    from gongkai.reports.checks import run_checks
    from gongkai.reports.compute import compute_report

    def hand() -> list[Any]:
        with connection.cursor() as c:
            c.execute(
                HAND_SQL,
                {
                    "start": dt.date(YEAR, 1, 1),
                    "end": dt.date(YEAR, 12, 31),
                    "prefix": root.path + "%",
                },
            )
            return c.fetchall()

    hand_s, _ = _time(hand, args.repeat)
    root_s, report = _time(lambda: compute_report(root, YEAR, consolidated=True), args.repeat)
    assert not [f for f in run_checks(report) if f.is_hard]
    busiest = Agency.objects.filter(kind="DEPARTMENT").order_by("pk")[len(agency_ids) // 3]
    one_s, _ = _time(lambda: compute_report(busiest, YEAR, consolidated=False), max(args.repeat, 5))
    city = Agency.objects.filter(kind="GOVERNMENT", depth=1).first()
    city_s, _ = _time(lambda: compute_report(city, YEAR, consolidated=True), args.repeat)
    new_total = next(r for r in report["table3"] if r["key"] == "new")["values"][6]
    # The steady state: earlier years' 汇总 reports are published, so the five-year trend reads
    # them instead of counting the records again.
    from gongkai.reports.choices import Scope
    from gongkai.reports.services import report_import

    for y in YEARS[:-1]:
        report_import(
            by=None,
            agency=root,
            year=y,
            data=compute_report(root, y, consolidated=True),
            scope=Scope.CONSOLIDATED,
        )
    steady_s, _ = _time(lambda: compute_report(root, YEAR, consolidated=True), args.repeat)
    hand2_s, _ = _time(hand, args.repeat)
    hand_s = min(hand_s, hand2_s)
    lines = [
        f"| {connection.vendor} | {args.scale:g} | {n_apps:,} | {n_items:,} | {root_s:.2f} s | "
        f"{steady_s:.2f} s | {hand_s:.2f} s | {root_s / hand_s:.2f}× / {steady_s / hand_s:.2f}× | "
        f"{city_s * 1000:.0f} ms | {one_s * 1000:.0f} ms | {new_total:,} |"
    ]
    header = (
        "| engine | scale | applications | catalogue items | root 汇总 report (first year) | "
        "root 汇总 (earlier years published) | hand-written query | ratio | "
        "city 汇总 (~100 agencies) | one agency | new applications 2025 (root) |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    print(header)
    print("\n".join(lines))
    ok = steady_s <= 3 and steady_s <= 2 * hand_s and one_s <= 0.1
    print(
        "targets met"
        if ok
        else "TARGETS NOT MET (root ≤ 3 s, ≤ 2× hand-written, one agency ≤ 100 ms)"
    )
    if args.record:
        doc = REPO / "docs" / "performance.md"
        with doc.open("a", encoding="utf-8") as fh:
            fh.write(f"\n<!-- bench_reports {dt.date.today().isoformat()} -->\n{lines[0]}\n")  # noqa: DTZ011


if __name__ == "__main__":
    main()


# Public names of the loaders for the other benches built on the same province (bench_supervision).
setup_database = _setup_database
load_agencies = _agencies
load_applications = _applications
load_catalogue = _catalogue
