"""Search benchmark: every backend on a reproducible synthetic catalogue (issue 7).

    .venv/bin/python bench/bench_search.py --docs 1000000            # the full measurement
    .venv/bin/python bench/bench_search.py --docs 20000 --queries 50  # a quick run

Generates ``--docs`` realistic Chinese catalogue items from a seed (titles, 文号 and bodies built
from the real catalogue samples (Policy-Transparency-China-2024) and the seed reports, agency
names from a generated province), segments them in Python exactly as the application does, and builds:

* the embedded tantivy index (single machine and production: the production setup adds the
  per-search outbox check against PostgreSQL that every server runs before searching);
* the PostgreSQL full-text table (GIN + ts_rank_cd), the "PostgreSQL only" production option;
* a plain PostgreSQL table for the legacy ``LIKE '%…%'`` scan with a total count.

It then runs a fixed mix of ``--queries`` queries (one to four words; a third with facet
filters; top 20 with the exact hit count) and prints one table: p50/p95 of the search call
(with facet counts, as the page asks, and without), of the bare engine query on the same index,
their ratio, the LIKE scan, index size and build time. PostgreSQL: ``--pg-url`` (a database that
may be dropped and recreated; default postgres://postgres@127.0.0.1:5432/gongkai_bench).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

CITIES = "茂名 湛江 阳江 云浮 肇庆 江门 佛山 中山 珠海 东莞 惠州 汕尾 汕头 揭阳 潮州 梅州 河源 韶关 清远 钦州 北海 防城港 玉林 贵港 楚雄 大理 曲靖 玉溪".split()
DISTRICTS = "城区 新区 东区 西区 南区 北区 开发区 高新区".split()
DEPARTMENTS = (
    "人民政府 人民政府办公室 发展和改革局 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 "
    "财政局 人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水务局 "
    "农业农村局 商务局 文化广电旅游体育局 卫生健康局 退役军人事务局 应急管理局 审计局 "
    "市场监督管理局 统计局 医疗保障局 林业局 城市管理和综合执法局 信访局 政务服务数据管理局"
).split()
GENRES = [
    ("通知", "NOTICE"),
    ("意见", "OPINION"),
    ("办法", "MEASURES"),
    ("规定", "PROVISIONS"),
    ("实施细则", "RULES"),
    ("决定", "DECISION"),
    ("公告", "ANNOUNCEMENT"),
    ("通告", "PUBLIC_NOTICE"),
    ("通报", "CIRCULAR"),
    ("规划", "PLAN"),
    ("实施方案", "SCHEME"),
    ("工作计划", "WORK_PLAN"),
    ("报告", "REPORT"),
    ("批复", "REPLY"),
    ("函", "LETTER"),
]
VALIDITY = ["IN_FORCE"] * 8 + ["AMENDED", "REPEALED", "EXPIRED"]
VERBS = "关于印发 关于做好 关于开展 关于进一步加强 关于调整 关于公布 关于下达 关于组织 关于推进 关于规范".split()


# --- corpus --------------------------------------------------------------------------------
def _sentences() -> list[str]:
    """Sentences of real government text: seed reports and the 50 sample documents."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("0*.txt"))]
    sample = SHARED / "data/catalog/policy-transparency-china_sample50_documents.csv"
    with sample.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[2:]
    texts.extend(r[10] for r in rows)
    out: list[str] = []
    for text in texts:
        for s in re.split(r"[。！？\n]", text):
            s = re.sub(r"\s+", "", s)
            if 12 <= len(s) <= 120:
                out.append(s + "。")
    return out


def _topics() -> list[str]:
    """Title topics: the real titles with their issuer and genre cut off."""
    titles: list[str] = []
    with (SHARED / "data/catalog/titles-dates_sichuan.csv").open(encoding="utf-8") as fh:
        titles.extend(r[1] for r in list(csv.reader(fh))[2:] if len(r) > 1)
    topics = []
    for t in titles:
        t = re.sub(r"^.*?(关于印发|关于)", "", t)
        t = re.sub(r"(的)?(通知|意见|办法|规定|决定|公告|通告|批复|方案|规划|细则)$", "", t)
        t = t.strip("《》")
        if 4 <= len(t) <= 30:
            topics.append(t)
    return topics


def _doc_prefixes() -> list[str]:
    prefixes: set[str] = set()
    for name in ("guangdong", "henan", "shanghai", "chongqing"):
        with (SHARED / f"data/catalog/doc-numbers_{name}.csv").open(encoding="utf-8") as fh:
            for row in list(csv.reader(fh))[2:]:
                m = re.search(r"([\u4e00-\u9fff]{2,8})〔\d{4}〕", row[-1])
                if m:
                    prefixes.add(m.group(1))
    return sorted(prefixes)


def agencies() -> list[str]:
    """The generated province: every city and district with every department."""
    names = []
    for city in CITIES:
        for dept in DEPARTMENTS:
            names.append(f"{city}市{dept}")
        for d in DISTRICTS[:3]:
            names.append(f"{city}市{d}人民政府")
    return names


def generate(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """``n`` catalogue items, the same for the same seed."""
    rng = random.Random(seed)
    sentences, topics, prefixes, names = _sentences(), _topics(), _doc_prefixes(), agencies()
    for pk in range(1, n + 1):
        agency = rng.randrange(len(names))
        genre, genre_code = rng.choice(GENRES)
        topic = rng.choice(topics)
        year = rng.randint(2008, 2025)
        title = f"{names[agency]}{rng.choice(VERBS)}{topic}的{genre}"
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(3, 9)))
        body = f"{topic}。{body}"
        yield {
            "pk": pk,
            "title": title,
            "keywords": topic[:12],
            "summary": body[:60],
            "body": body,
            "doc_number": f"{rng.choice(prefixes)}〔{year}〕{rng.randint(1, 300)}号",
            "index_number": f"{10000000 + agency:09d}/{year}-{pk:07d}",
            "agency": agency,
            "agency_name": names[agency],
            "year": year,
            "genre": genre_code,
            "validity": rng.choice(VALIDITY),
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }


def queries(n: int, seed: int, docs: list[dict[str, Any]], seg: Any) -> list[dict[str, Any]]:
    """A fixed mix: 1–4 words from titles and bodies; a third with a facet filter."""
    rng = random.Random(seed + 1)
    out = []
    for i in range(n):
        doc = rng.choice(docs)
        words = [w for w in seg.query_words(doc["title"] + doc["body"][:80]) if len(w) >= 2]
        k = [1, 1, 2, 2, 2, 3, 3, 4][i % 8]
        chosen = rng.sample(words, min(k, len(words)))
        filters: dict[str, list[str]] = {}
        if i % 3 == 0:
            facet = rng.choice(["year", "genre", "agency", "validity"])
            filters[facet] = [str(doc[facet])]
        out.append({"text": " ".join(chosen), "filters": filters})
    return out


# --- setup ---------------------------------------------------------------------------------
def setup_django(pg_url: str) -> None:
    """Django with the bench database (PostgreSQL backend and LIKE scans run there)."""
    os.environ["DATABASE_URL"] = pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")
    os.environ["GONGKAI_VAR_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-var-")
    import psycopg

    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def make_segmenter() -> Any:
    """The application's segmenter with the bench agencies and shipped synonyms, no DB reads."""
    from gongkai.search import segment

    migration = REPO / "gongkai/search/migrations/0002_shipped_synonyms.py"
    groups = re.findall(r'\("([^"]+)", "', migration.read_text(encoding="utf-8"))
    words = set(segment._govterms()) | set(agencies())
    synonyms: dict[str, set[str]] = {}
    for g in groups:
        terms = segment.split_terms(g)
        words.update(terms)
        for t in terms:
            synonyms.setdefault(t, set()).update(x for x in terms if x != t)
    seg = segment.Segmenter(
        segment.Dictionary(frozenset(words), {k: frozenset(v) for k, v in synonyms.items()})
    )
    # the search service asks get_segmenter(); serve ours without the database
    segment._state.update(segmenter=seg, checked=time.monotonic() + 1e9, version="bench")
    return seg


def bench_index() -> Any:
    """The catalogue's field and facet layout, fed from generated documents."""
    from gongkai.search.registry import Field, SearchIndex

    class BenchIndex(SearchIndex):
        name = "bench"
        model = "search.Synonym"
        fields = (
            Field("title", 8.0),
            Field("keywords", 4.0),
            Field("summary", 2.0),
            Field("body", 1.0),
            Field("attachments", 0.5),
        )
        facets = ("agency", "category", "year", "genre", "validity")

    return BenchIndex()


def to_document(d: dict[str, Any]) -> Any:
    import datetime as dt

    from gongkai.search.documents import SearchDocument
    from gongkai.search.identifiers import document_keys

    return SearchDocument(
        pk=d["pk"],
        fields={
            "title": d["title"],
            "keywords": f"{d['keywords']} {d['doc_number']} {d['agency_name']}",
            "summary": d["summary"],
            "body": d["body"],
            "attachments": "",
        },
        facets={
            "agency": [str(d["agency"])],
            "year": [str(d["year"])],
            "genre": [d["genre"]],
            "validity": [d["validity"]],
        },
        identifiers=document_keys(doc_number=d["doc_number"], index_number=d["index_number"]),
        date=dt.date.fromisoformat(d["date"]),
        title=d["title"],
        text=d["body"],
        meta={"agency": d["agency_name"], "doc_number": d["doc_number"]},
        stamp=1,
    )


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- main ----------------------------------------------------------------------------------
def main() -> None:  # noqa: C901 - one linear script
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--like-queries", type=int, default=20, help="LIKE scans are slow: a subset")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--backends", default="tantivy,postgres")
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/gongkai_bench")
    ap.add_argument("--workdir", default=str(REPO / "var" / "bench-search"))
    ap.add_argument("--json", default="", help="also write the results to this file")
    ap.add_argument(
        "--reuse-prepared", action="store_true", help="reuse the segmented documents of a last run"
    )
    ap.add_argument("--skip-like", action="store_true", help="do not measure the LIKE scan")
    ap.add_argument(
        "--reuse-index",
        action="store_true",
        help="measure indexes a last run built with the same --docs (no rebuild)",
    )
    args = ap.parse_args()
    backends = [b for b in args.backends.split(",") if b]

    setup_django(args.pg_url)
    from django.db import connection

    from gongkai.search.backends.postgres import PostgresBackend
    from gongkai.search.backends.tantivy_backend import TantivyBackend
    from gongkai.search.documents import BackendQuery
    from gongkai.search.highlight import highlight, snippet
    from gongkai.search.selectors import SearchQuery, parse_query, run_backend_query
    from gongkai.search.services import prepare_document

    log = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: E731
    seg = make_segmenter()
    index = bench_index()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    # 1. generate + segment once (the same prepared documents feed every backend)
    t0 = time.perf_counter()
    docs_for_queries: list[dict[str, Any]] = []
    prepared_path = workdir / f"prepared-{args.docs}-{args.seed}.jsonl"
    like_rows: list[tuple[int, str, str]] = []
    reuse = args.reuse_prepared and prepared_path.exists()
    with prepared_path.open("a" if reuse else "w", encoding="utf-8") as out:
        for d in generate(args.docs, args.seed):
            if d["pk"] % max(1, args.docs // 2000) == 0:
                docs_for_queries.append(d)
            if not reuse:
                p = prepare_document(index, to_document(d), seg)
                out.write(json.dumps(p.__dict__, ensure_ascii=False) + "\n")
            if not args.skip_like:
                like_rows.append((d["pk"], d["title"], d["body"]))
    segment_s = time.perf_counter() - t0
    log(f"generated and segmented {args.docs} documents in {segment_s:.0f} s")

    def prepared() -> Iterator[Any]:
        from gongkai.search.documents import PreparedDocument

        with prepared_path.open(encoding="utf-8") as fh:
            for line in fh:
                yield PreparedDocument(**json.loads(line))

    mix = queries(args.queries, args.seed, docs_for_queries, seg)
    parsed = [parse_query(q["text"]) for q in mix]
    rows: list[dict[str, Any]] = []

    def measure(
        label: str, backend: Any, bare: Callable[[Any], Any], outbox: Callable[[], Any] | None
    ) -> None:
        for q, (_, groups, idents) in zip(mix[:10], parsed[:10], strict=True):  # warm up
            run_backend_query(
                backend, SearchQuery(text=q["text"], filters=q["filters"]), groups, idents
            )
        with_facets, without, bare_ms = [], [], []
        for q in mix:
            sq = SearchQuery(text=q["text"], filters=q["filters"], facets=True)

            def call(sq: SearchQuery = sq) -> None:
                if outbox:
                    outbox()
                _, groups, idents = parse_query(sq.text)
                raw, _ = run_backend_query(backend, sq, groups, idents)
                terms = seg.highlight_terms(groups)
                for h in raw.hits:
                    highlight(h.stored["title"], terms)
                    snippet(h.stored["text"], terms)

            with_facets.append(timed(call))
            sq2 = SearchQuery(text=q["text"], filters=q["filters"], facets=False)
            without.append(timed(lambda sq2=sq2: call(sq2)))
        for q, (_, groups, idents) in zip(mix, parsed, strict=True):
            bq = BackendQuery(groups, idents, q["filters"], None, 20, 0, False)
            bare_ms.append(timed(lambda bq=bq: bare(bq)))
        row = {
            "setup": label,
            "p50": pct(with_facets, 50),
            "p95": pct(with_facets, 95),
            "p50_nofacets": pct(without, 50),
            "p95_nofacets": pct(without, 95),
            "bare_p50": pct(bare_ms, 50),
            "bare_p95": pct(bare_ms, 95),
        }
        rows.append(row)
        log(f"{label}: {row}")

    builds: dict[str, tuple[float, int]] = {}
    if "tantivy" in backends:
        path = workdir / "tantivy"
        backend = TantivyBackend(index, path)
        reuse_t = args.reuse_index and backend.stats()["documents"] == args.docs
        if not reuse_t:
            backend.reset()
        t0 = time.perf_counter()
        backend.begin_bulk()
        batch = []
        for p in [] if reuse_t else prepared():
            batch.append(p)
            if len(batch) == 5000:
                backend.add_new(batch)
                batch = []
        backend.add_new(batch)
        backend.end_bulk()
        backend.save_state({"token": "bench"})  # records the layout signature
        builds["tantivy"] = (
            float("nan") if reuse_t else time.perf_counter() - t0,
            dir_size(path),
        )
        log(f"tantivy built in {builds['tantivy'][0]:.0f} s, {builds['tantivy'][1] / 1e6:.0f} MB")

        def bare_tantivy(bq: Any) -> Any:
            return backend.bare_search(backend.build_query(bq), 20)

        measure("tantivy, single machine", backend, bare_tantivy, None)
        # production: before each search a server checks the outbox in PostgreSQL
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_outbox")
            cur.execute(
                "CREATE TABLE bench_outbox (id bigserial PRIMARY KEY, idx text, object_id bigint)"
            )
            cur.execute("CREATE INDEX ON bench_outbox (idx, id)")
            cur.execute(
                "INSERT INTO bench_outbox (idx, object_id) SELECT 'catalog', g FROM generate_series(1, 50000) g"
            )

        def outbox_check() -> None:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*), max(id) FROM bench_outbox WHERE idx = %s AND id > %s",
                    ["catalog", 49000],
                )
                cur.fetchone()

        measure("tantivy + outbox, production (PostgreSQL)", backend, bare_tantivy, outbox_check)

    if "postgres" in backends:
        backend = PostgresBackend(index)
        reuse_pg = args.reuse_index and backend.stats()["documents"] == args.docs
    if "postgres" in backends and reuse_pg:
        builds["postgres"] = (float("nan"), backend.stats()["bytes"])
    elif "postgres" in backends:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {backend.table}")
            cur.execute("DROP TABLE IF EXISTS search_pg_state")
        backend._ready = False
        backend.ensure_schema()
        with connection.cursor() as cur:  # bulk load: drop the GIN indexes, recreate after
            for suffix in ("tsv", "ident", "facets"):
                cur.execute(f"DROP INDEX IF EXISTS {backend.table}_{suffix}")
        t0 = time.perf_counter()
        batch = []
        for p in prepared():
            batch.append(p)
            if len(batch) == 2000:
                backend.upsert(batch)
                batch = []
        backend.upsert(batch)
        backend._ready = False
        backend.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {backend.table}")
        builds["postgres"] = (time.perf_counter() - t0, backend.stats()["bytes"])
        log(
            f"postgres built in {builds['postgres'][0]:.0f} s, {builds['postgres'][1] / 1e6:.0f} MB"
        )
    if "postgres" in backends:

        def bare_pg(bq: Any) -> Any:
            where, params, tsq = backend._where(bq)
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT pk FROM {backend.table} WHERE {where} ORDER BY "  # noqa: S608
                    f"ts_rank_cd('{backend.rank_weights}', tsv, to_tsquery('simple', %s)) DESC LIMIT 20",
                    [*params, tsq or "''"],
                )
                cur.fetchall()
                cur.execute(f"SELECT count(*) FROM {backend.table} WHERE {where}", params)  # noqa: S608

        measure("PostgreSQL FTS (GIN + ts_rank_cd), production", backend, bare_pg, None)

    # LIKE scan with a total count, on a plain table
    like_ms: list[float] = []
    if not args.skip_like:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_like")
            cur.execute("CREATE TABLE bench_like (pk bigint PRIMARY KEY, title text, body text)")
            for i in range(0, len(like_rows), 5000):
                cur.executemany(
                    "INSERT INTO bench_like VALUES (%s, %s, %s)", like_rows[i : i + 5000]
                )
            cur.execute("VACUUM ANALYZE bench_like")
        for q in mix[: args.like_queries]:
            words = q["text"].split()
            cond = " AND ".join(["(title LIKE %s OR body LIKE %s)"] * len(words))
            params = [x for w in words for x in (f"%{w}%", f"%{w}%")]

            def like(cond: str = cond, params: list[str] = params) -> None:
                with connection.cursor() as cur:
                    cur.execute(f"SELECT count(*) FROM bench_like WHERE {cond}", params)  # noqa: S608
                    cur.execute(
                        f"SELECT pk FROM bench_like WHERE {cond} ORDER BY pk DESC LIMIT 20",  # noqa: S608
                        params,
                    )

            like_ms.append(timed(like))
    like_p50 = pct(like_ms, 50)
    log(f"LIKE p50 {like_p50:.0f} ms over {len(like_ms)} queries")

    # the table
    print()
    print(
        f"Search benchmark: {args.docs:,} documents, {len(mix)} queries (seed {args.seed}); "
        f"segmentation {segment_s:.0f} s; LIKE scan p50 {like_p50:,.0f} ms ({len(like_ms)} queries)"
    )
    print()
    print(
        "| setup | p50 ms | p95 ms | p50 / p95 ms without facet counts | bare engine p50 / p95 ms | "
        "p95 ÷ bare p95 | LIKE p50 ÷ p50 | index size | build time |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        kind = "postgres" if r["setup"].startswith("PostgreSQL") else "tantivy"
        build_s, size = builds.get(kind, (0.0, 0))
        ratio = r["p95_nofacets"] / r["bare_p95"] if r["bare_p95"] else float("nan")
        print(
            f"| {r['setup']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50_nofacets']:.1f} / "
            f"{r['p95_nofacets']:.1f} | {r['bare_p50']:.1f} / {r['bare_p95']:.1f} | {ratio:.2f} | "
            f"{like_p50 / r['p50']:.0f}× | {size / 1e6:,.0f} MB | {build_s:,.0f} s |"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "docs": args.docs,
                    "rows": rows,
                    "builds": builds,
                    "like_p50": like_p50,
                    "segment_s": segment_s,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
