"""Catalogue at scale: 1,000,000 items; time the public list with filters and facets, and
table 二 for a 100-agency subtree.

Run: ``.venv/bin/python bench/bench_catalog.py [--items N] [--seed S]`` (SQLite in a throwaway
file under /tmp), and with ``DATABASE_URL=postgres://…/gongkai_bench`` for PostgreSQL (the
database is dropped and recreated by the test runner's machinery: use a throwaway name).

Every figure is the median of several runs, printed with its ratio to a baseline measured in
the same run on the same data: one primary-key lookup of an item (the cheapest indexed read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")


def _setup_database(reuse: bool = False) -> str:
    """Point Django at a fresh throwaway database and migrate it; return a description."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = Path(tempfile.mkdtemp(prefix="gongkai-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and not reuse:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def _agencies(rng: random.Random) -> tuple[list, object]:
    """A root government, 9 district governments each with 110 departments (1,000 agencies)."""
    from gongkai.agencies.choices import AgencyKind, AgencyLevel
    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.agencies.models import Agency

    serial = 10_000
    made = []

    def new(name: str, parent: Agency | None, kind: str, level: str) -> Agency:
        nonlocal serial
        serial += 1
        a = Agency.objects.create(
            name=name, kind=kind, level=level, parent=parent,
            credit_code=make_credit_code("439900", serial),
        )  # fmt: skip
        a.path = f"{parent.path if parent else '/'}{a.pk}/"
        a.depth = a.path.count("/") - 2
        Agency.objects.filter(pk=a.pk).update(path=a.path, depth=a.depth)
        made.append(a)
        return a

    root = new("基准市人民政府", None, AgencyKind.GOVERNMENT, AgencyLevel.CITY)
    subtree_root = None
    for d in range(9):
        gov = new(f"基准市第{d + 1}区人民政府", root, AgencyKind.GOVERNMENT, AgencyLevel.COUNTY)
        if d == 0:
            subtree_root = gov
        for k in range(110 if d else 99):
            new(f"基准市第{d + 1}区第{k + 1}局", gov, AgencyKind.DEPARTMENT, AgencyLevel.COUNTY)
    return made, subtree_root


def _generate(n: int, seed: int) -> tuple[object, int]:
    from django.db import transaction

    from gongkai.catalog.choices import (
        DisclosureAttribute,
        Genre,
        ItemStatus,
        StructuredKind,
        Validity,
    )  # fmt: skip
    from gongkai.catalog.models import CatalogItem, Category

    rng = random.Random(seed)
    agencies, subtree_root = _agencies(rng)
    cats = list(Category.objects.filter(scheme__is_subject=True).values_list("pk", flat=True))
    genres = Genre.values
    kinds = ["", "", "", "", "", StructuredKind.NORMATIVE, StructuredKind.REGULATION,
             StructuredKind.LICENSING, StructuredKind.PENALTY, StructuredKind.ENFORCEMENT,
             StructuredKind.FEE]  # fmt: skip
    validities = [Validity.IN_FORCE] * 8 + [Validity.REPEALED, Validity.EXPIRED, Validity.AMENDED]
    statuses = [ItemStatus.PUBLISHED] * 18 + [ItemStatus.DRAFT, ItemStatus.WITHDRAWN]
    start = dt.date(2015, 1, 1)
    tz = dt.timezone(dt.timedelta(hours=8))
    batch: list[CatalogItem] = []
    made = 0
    t0 = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            agency = agencies[rng.randrange(len(agencies))]
            written = start + dt.timedelta(days=rng.randrange(0, 11 * 365))
            published = written + dt.timedelta(days=rng.randrange(0, 40))
            kind = rng.choice(kinds)
            validity = rng.choice(validities)
            batch.append(CatalogItem(
                agency_id=agency.pk, title=f"基准文件{i}：关于做好第{i % 977}项工作的通知",
                index_number=f"{agency.organisation_code}/{published.year}-{i:07d}",
                doc_number=f"基发〔{written.year}〕{i % 500}号", written_on=written,
                published_on=published, published_year=published.year,
                published_at=dt.datetime.combine(published, dt.time(9), tzinfo=tz),
                category_id=rng.choice(cats), genre=rng.choice(genres), status=rng.choice(statuses),
                disclosure_attribute=DisclosureAttribute.PROACTIVE, validity=validity,
                abolished_on=published + dt.timedelta(days=400) if validity in (Validity.REPEALED, Validity.EXPIRED) else None,
                structured_kind=kind, fee_amount=rng.randrange(100, 100000) if kind == StructuredKind.FEE else None,
                statutory_item=rng.randrange(1, 16), channels=["WEBSITE"],
            ))  # fmt: skip
            if len(batch) == 5000:
                CatalogItem.objects.bulk_create(batch)
                made += len(batch)
                batch.clear()
                if made % 100_000 == 0:
                    print(f"  {made:,} items ({time.perf_counter() - t0:.0f} s)", flush=True)
        if batch:
            CatalogItem.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return subtree_root, len(agencies)


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _officer_pages(runs: int = 30) -> None:
    """The whole list page (middleware, session, queries, template) for a signed-in officer,
    who never gets a cached page, against a bare view through the same stack and session."""
    import types

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    from gongkai.catalog.models import CatalogItem
    from gongkai.urls import urlpatterns

    module = types.ModuleType("bench_catalog_urls")
    module.urlpatterns = [path("bench/bare/", lambda r: HttpResponse("ok")), *urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 15  # production's default (the test settings turn it off)
    clear_url_caches()
    officer, _ = get_user_model().objects.get_or_create(username="bench-officer")
    client = Client()
    client.force_login(officer)
    total = CatalogItem.objects.public().count()
    page = "/disclosure/documents/"

    def timed(url: str) -> float:
        t0 = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "skip"
        return (time.perf_counter() - t0) * 1000

    load = os.getloadavg()[0]
    first = timed(page)  # counts the list once for this content generation
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        timed(page)
    lists = [timed(page) for _ in range(runs)]
    bare = [timed("/bench/bare/") for _ in range(runs)]
    other = [timed(f"{page}?page={n}") for n in range(2, 2 + runs)]
    print(f"database: {connection.vendor}; {total:,} public items; load average {load:.2f}")
    print(f"signed-in officer, whole page (no page cache), {runs} requests each:")
    print(f"  list page 1, first request (counts):  {first:8.1f} ms")
    print(
        f"  list page 1:                          p50 {statistics.median(lists):6.1f} ms"
        f"  ({len(queries)} queries)"
    )
    print(f"  list pages 2–{runs + 1}:                     p50 {statistics.median(other):6.1f} ms")
    print(f"  bare view, same officer:              p50 {statistics.median(bare):6.1f} ms")


def main() -> None:
    """Generate (or reuse) the corpus and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the corpus already in DATABASE_URL (no generation)",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="only time the public list page for a signed-in officer (no page cache) on the "
        "corpus already in DATABASE_URL, beside a bare view for the same officer",
    )
    args = parser.parse_args()
    if args.pages:
        _setup_database(reuse=True)
        _officer_pages()
        return
    where = _setup_database(reuse=args.reuse)
    print(f"database: {where}")
    t0 = time.perf_counter()
    if args.reuse:
        from django.db import connection

        from gongkai.agencies.models import Agency

        subtree_root = Agency.objects.filter(depth=1).order_by("pk").first()
        n_agencies = Agency.objects.count()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # a migration may have rebuilt the table (SQLite)
    else:
        subtree_root, n_agencies = _generate(args.items, args.seed)
    print(
        f"generated {args.items:,} items for {n_agencies} agencies in {time.perf_counter() - t0:.0f} s"
    )

    from django.core.paginator import Paginator
    from django.db.models import Q

    from gongkai.agencies.models import Agency
    from gongkai.catalog.models import CatalogItem, Category
    from gongkai.catalog.selectors import PublicFilters, public_facets, public_items
    from gongkai.catalog.table_two import table_two

    ids = list(CatalogItem.objects.values_list("pk", flat=True)[:: max(1, args.items // 1000)])
    rng = random.Random(1)
    baseline = _median(
        lambda: list(CatalogItem.objects.filter(pk=rng.choice(ids)).values("title")), 50
    )

    def list_page(filters: PublicFilters, page: int = 1) -> None:
        p = Paginator(public_items(filters).select_related("agency").only(
            "id", "title", "index_number", "doc_number", "published_on", "genre", "validity",
            "agency__name", "agency_id"), 20).get_page(page)  # fmt: skip
        list(p.object_list)
        _ = p.paginator.count

    category = Category.objects.filter(scheme__is_subject=True, parent=None).first()
    agency = Agency.objects.filter(depth=2).first()
    subtree = Agency.objects.filter(path__startswith=subtree_root.path).count()
    cases = [
        ("list, no filter, page 1 (+count)", lambda: list_page(PublicFilters())),
        ("list, no filter, page 500", lambda: list_page(PublicFilters(), 500)),
        ("list, agency", lambda: list_page(PublicFilters(agency=agency.pk))),
        ("list, category (with sub-classes)", lambda: list_page(PublicFilters(category=category.pk))),
        ("list, year", lambda: list_page(PublicFilters(year=2020))),
        ("list, genre + validity", lambda: list_page(PublicFilters(genre="NOTICE", validity="IN_FORCE"))),
        ("list, agency + year + genre", lambda: list_page(PublicFilters(agency=agency.pk, year=2020, genre="NOTICE"))),
        ("list, title search 'q'", lambda: list_page(PublicFilters(q="第977项"))),
        ("facets, no filter (3 group-bys)", lambda: public_facets(PublicFilters())),
        ("facets, agency filter", lambda: public_facets(PublicFilters(agency=agency.pk))),
        (f"table 二 2021, {subtree}-agency subtree", lambda: table_two(agency=subtree_root, year=2020)),
        (f"table 二 2019, {subtree}-agency subtree", lambda: table_two(agency=subtree_root, year=2020, layout="2019")),
        ("table 二 2021, whole platform", lambda: table_two(agency=Agency.objects.get(depth=0), year=2020)),
    ]  # fmt: skip
    print(f"baseline (primary-key lookup): {baseline * 1000:.3f} ms")
    print(f"{'operation':<44} {'median ms':>10} {'× baseline':>11}")
    for name, fn in cases:
        fn()  # warm
        t = _median(fn)
        print(f"{name:<44} {t * 1000:>10.1f} {t / baseline:>11.0f}")
    total = CatalogItem.objects.filter(~Q(status="")).count()
    print(f"items in table: {total:,}")


if __name__ == "__main__":
    main()
