"""Search index rebuild at scale: ``gongkai search rebuild`` of the catalogue from the database,
with searches answering from another process throughout, beside the bare engine.

    .venv/bin/python bench/bench_rebuild.py --docs 1000000          # the full measurement
    .venv/bin/python bench/bench_rebuild.py --docs 20000            # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_rebuild \\
        .venv/bin/python bench/bench_rebuild.py                     # on PostgreSQL (flushed)

The catalogue is the search bench's generated corpus (``bench_search.generate``: titles, 文号 and
bodies from real government text, 868 agencies of a generated province), written into a
throwaway database as published items. Then:

1. a rebuild with ``--workers`` segmenting processes (the command's default: one per core);
2. the same rebuild again while a second process searches every 50 ms (a fixed mix of
   queries, each checked to return hits) and reports its latencies and the generations it
   read — the index is rebuilt into a new generation and switched, so no search fails;
3. optionally (``--serial``) the rebuild with one process, as before parallel segmentation;
4. the baseline, measured in the same run: the bare engine with the same segmenter — the
   same texts (generated again, no database) segmented by ``--workers`` processes with the
   application's segmenter and added to a tantivy index of one text field.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

QUERIES = ["公开", "财政预算", "教育局 通知", "人力资源和社会保障局", "环境保护", "政府信息公开"]


def _setup(var_dir: str) -> str:
    os.environ["GONGKAI_VAR_DIR"] = var_dir
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="gongkai-bench-rebuild-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.conf import settings

    settings.VAR_DIR = Path(var_dir)
    from django.db import connection

    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def _corpus(n: int, seed: int) -> None:
    """Write ``n`` published catalogue items (and the agencies) into the database."""
    import datetime as dt

    from bench_search import agencies, generate
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.agencies.choices import AgencyKind, AgencyLevel
    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.agencies.services import agency_create
    from gongkai.catalog.choices import DisclosureAttribute, ItemStatus
    from gongkai.catalog.models import CatalogItem
    from gongkai.core.actors import SYSTEM
    from gongkai.core.bulkinsert import insert_objects

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    ids = []
    for i, name in enumerate(agencies()):
        a = agency_create(
            by=SYSTEM,
            parent=None,
            name=name,
            kind=AgencyKind.DEPARTMENT,
            level=AgencyLevel.CITY,
            credit_code=make_credit_code("439900", 20_000 + i),
        )
        ids.append(a.pk)
    tz = dt.timezone(dt.timedelta(hours=8))
    batch: list[Any] = []
    t0 = time.perf_counter()
    with transaction.atomic():
        for d in generate(n, seed):
            day = dt.date.fromisoformat(d["date"])
            batch.append(
                CatalogItem(
                    agency_id=ids[d["agency"]],
                    title=d["title"],
                    keywords=d["keywords"],
                    summary=d["summary"],
                    body=d["body"],
                    doc_number=d["doc_number"],
                    index_number=d["index_number"],
                    written_on=day,
                    published_on=day,
                    published_year=day.year,
                    published_at=dt.datetime.combine(day, dt.time(9), tzinfo=tz),
                    genre=d["genre"],
                    validity=d["validity"],
                    status=ItemStatus.PUBLISHED,
                    disclosure_attribute=DisclosureAttribute.PROACTIVE,
                    statutory_item=1,
                    channels=["WEBSITE"],
                )
            )
            if len(batch) == 5000:
                insert_objects(batch)
                batch = []
                if d["pk"] % 100_000 == 0:
                    print(f"  {d['pk']:,} items ({time.perf_counter() - t0:.0f} s)", flush=True)
        insert_objects(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


class _Stop(Exception):
    """Ends a rebuild early (``--search-docs``): the half-built generation is dropped."""


def _rebuild(workers: int, stop_after: int = 0) -> tuple[float, int, float]:
    """One rebuild of the catalogue index; (seconds, documents, CPU seconds of this process)."""
    from gongkai.search.backends import get_backend
    from gongkai.search.registry import get_index
    from gongkai.search.services import rebuild_index

    index = get_index("catalog")
    backend = get_backend(index)
    last = [0.0]
    t0 = time.perf_counter()
    c0 = time.process_time()

    def progress(done: int, total: int) -> None:
        if stop_after and done >= stop_after and done < total:
            raise _Stop(done)
        now = time.perf_counter()
        if now - last[0] > 10 or done == total:
            last[0] = now
            rate = done / max(now - t0, 1e-6)
            print(f"    {done:,}/{total:,} ({rate:,.0f} documents/s)", flush=True)

    try:
        n = rebuild_index(index, backend, progress=progress, workers=workers)
    except _Stop as stop:
        n = stop.args[0]
    return time.perf_counter() - t0, n, time.process_time() - c0


def _searcher(var_dir: str, stop: str, out: str) -> None:
    """Child process: search every 50 ms until ``stop`` exists; write the figures to ``out``."""
    _setup(var_dir)
    from gongkai.search.backends import get_backend
    from gongkai.search.registry import get_index
    from gongkai.search.selectors import SearchQuery, search

    index = get_index("catalog")
    backend = get_backend(index)
    latencies: list[float] = []
    failures: list[str] = []
    empty = 0
    generations: list[str] = []
    i = 0
    while not os.path.exists(stop):
        q = QUERIES[i % len(QUERIES)]
        i += 1
        t0 = time.perf_counter()
        try:
            result = search("catalog", SearchQuery(text=q, facets=False))
            latencies.append((time.perf_counter() - t0) * 1000)
            empty += int(result.total == 0)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            failures.append(repr(exc)[:200])
        gen = getattr(backend, "generation", "")
        if not generations or generations[-1] != gen:
            generations.append(gen)
        time.sleep(0.05)
    Path(out).write_text(
        json.dumps(
            {
                "searches": len(latencies) + len(failures),
                "failures": failures[:5],
                "failed": len(failures),
                "empty": empty,
                "p50": statistics.median(latencies) if latencies else None,
                "p95": sorted(latencies)[int(0.95 * (len(latencies) - 1))] if latencies else None,
                "max": max(latencies) if latencies else None,
                "generations": generations,
            }
        )
    )


_seg: Any = None


def _bare_segment(texts: list[str]) -> list[str]:
    return [_seg.index_text(t) for t in texts]


def _baseline(n: int, seed: int, workers: int, path: Path) -> float:
    """The bare engine with the same segmenter: generated texts → segmenter → tantivy."""
    import itertools

    import tantivy
    from bench_search import generate

    from gongkai.search.segment import get_segmenter

    global _seg
    _seg = get_segmenter()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=False, tokenizer_name="whitespace", index_option="freq")
    schema = sb.build()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    t0 = time.perf_counter()
    writer = index.writer(400_000_000, 0)
    texts = (
        " ".join([d["title"], d["keywords"], d["doc_number"], d["agency_name"], d["body"]])
        for d in generate(n, seed)
    )
    chunks = iter(lambda: list(itertools.islice(texts, 500)), [])
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for tokens in pool.imap(_bare_segment, chunks):
            for t in tokens:
                writer.add_document(tantivy.Document(text=t))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--serial", action="store_true", help="also time a one-process rebuild")
    ap.add_argument(
        "--reuse", action="store_true", help="keep a corpus of --docs items already there"
    )
    ap.add_argument(
        "--search-docs",
        type=int,
        default=0,
        help="stop the rebuild searched during after this many documents (its generation is "
        "dropped: searches must keep answering from the current one; default: run to the end)",
    )
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _searcher(*args.child)
        return
    var_dir = tempfile.mkdtemp(prefix="gongkai-bench-rebuild-var-")
    load = [os.getloadavg()[0]]
    database = _setup(var_dir)
    from gongkai.catalog.models import CatalogItem

    t0 = time.perf_counter()
    if not (args.reuse and CatalogItem.objects.count() == args.docs):
        _corpus(args.docs, args.seed)
    corpus_s = time.perf_counter() - t0
    print(f"corpus: {args.docs:,} items in {corpus_s:.0f} s", flush=True)

    print(f"rebuild 1 ({args.workers} segmenting processes):", flush=True)
    load.append(os.getloadavg()[0])
    first, n, cpu1 = _rebuild(args.workers)

    print("rebuild 2, searching from another process:", flush=True)
    stop = Path(var_dir) / "stop"
    out = Path(var_dir) / "searcher.json"
    child = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, __file__, "--child", var_dir, str(stop), str(out)], env=dict(os.environ)
    )
    time.sleep(3)  # the searcher opens the index and answers before the rebuild starts
    load.append(os.getloadavg()[0])
    second, searched_docs, _ = _rebuild(args.workers, args.search_docs)
    time.sleep(2)  # and keeps answering after the switch
    stop.touch()
    child.wait(timeout=120)
    searcher = json.loads(out.read_text())

    serial = None
    if args.serial:
        print("rebuild, one process:", flush=True)
        serial, _, _ = _rebuild(1)

    from gongkai.search.backends import get_backend
    from gongkai.search.registry import get_index

    stats = get_backend(get_index("catalog")).stats()
    print("baseline (bare engine, same segmenter):", flush=True)
    load.append(os.getloadavg()[0])
    bare = _baseline(args.docs, args.seed, args.workers, Path(var_dir) / "bare")
    load.append(os.getloadavg()[0])

    print()
    print(f"database: {database}; load average during the run: {min(load):.1f}–{max(load):.1f}")
    print(f"documents: {n:,}; index {stats['bytes'] / 1e6:,.0f} MB")
    print(
        f"rebuild ({args.workers} processes):        {first:7.1f} s  {n / first:9,.0f} docs/s"
        f"  (main process CPU {cpu1:.0f} s)"
    )
    print(
        f"rebuild while searching:         {second:7.1f} s  {searched_docs / second:9,.0f} docs/s"
        + (f"  (stopped after {searched_docs:,}, dropped)" if searched_docs < n else "")
    )
    if serial:
        print(f"rebuild (one process):           {serial:7.1f} s  {n / serial:9,.0f} docs/s")
    print(f"bare engine + same segmenter:    {bare:7.1f} s  {n / bare:9,.0f} docs/s")
    print(f"ratio rebuild / bare:            {first / bare:.2f}x")
    print(
        f"searches during rebuild 2: {searcher['searches']} answered, {searcher['failed']} failed, "
        f"{searcher['empty']} without hits; p50 {searcher['p50']:.1f} ms, p95 "
        f"{searcher['p95']:.1f} ms, max {searcher['max']:.1f} ms; generations read: "
        f"{len(searcher['generations'])}"
    )
    if searcher["failures"]:
        print("  failures:", searcher["failures"])


if __name__ == "__main__":
    main()
