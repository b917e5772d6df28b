"""Portal reads, CPU time per request in one process: the catalogue list and search pages
beside the bare Django view, from the page cache, on a cache miss, and for a signed-in officer.

Run: ``.venv/bin/python bench/bench_portal_cpu.py [--requests N] [--profile]`` (PostgreSQL from
``DATABASE_URL`` or ``scripts/ensure_postgres.sh``; like ``bench_load.py read`` it creates a
scratch database with ``gongkai demo`` and the search index, in production mode, and drops it).

Wall-clock throughput of a server on a shared 2-core machine is noise; the CPU time that this
process spends per request (``time.process_time``) is not, and the ratio to the bare view
(``HttpResponse("ok")`` behind the same middleware stack) measured in the same run is what the
throughput target is about. Requests go through Django's WSGI handler (the whole middleware
stack, as under gunicorn), not through the network. ``--profile`` prints the top functions
(cProfile, cumulative) of each target.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import HOST, _django, instance  # noqa: E402


def _environ(path: str, cookies: dict[str, str]) -> dict[str, Any]:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": urllib.parse.unquote(path),
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "HTTP_HOST": HOST,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per cached target")
    parser.add_argument("--misses", type=int, default=100, help="requests per uncached target")
    parser.add_argument("--query", default="公开")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="order of the profile lines")
    parser.add_argument("--queries", action="store_true", help="print each target's SQL")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with instance(args.keep) as inst:
        inst.run("demo")
        inst.run("search", "rebuild")
        _django(inst)
        return _measure(args)


def _measure(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client

    app = WSGIHandler()
    officer, _ = get_user_model().objects.get_or_create(username="bench-officer")
    client = Client()
    client.force_login(officer)
    session = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    query = urllib.parse.quote(args.query)
    pages = {"list": "/disclosure/documents/", "search": f"/search/?q={query}"}

    serial = iter(range(10**9))

    def call(path: str, cookies: dict[str, str], expect: str | None) -> None:
        seen: list[str] = []
        if path.endswith(("?", "&")):
            path += f"bench={next(serial)}"

        def start(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
            seen.append(status)
            if expect is not None:
                assert (
                    "X-Page-Cache",
                    expect,
                ) in headers, f"{path}: {[h for h in headers if h[0] == 'X-Page-Cache']}"

        body = b"".join(app(_environ(path, cookies), start))
        assert seen[0].startswith("200"), (path, seen)
        assert body

    targets: list[tuple[str, str, dict[str, str], str | None, int, Callable[[], None]]] = []
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    for n in (args.requests,):
        targets.append(("bare view, anonymous", "/bench/bare/", {}, None, n, nothing))
        targets.append(("list, cached", pages["list"], {}, "hit", n, nothing))
        targets.append(("search, cached", pages["search"], {}, "hit", n, nothing))
    for n in (args.misses,):
        # a miss: an unused parameter makes a new page key; the list's count stays cached, as
        # when a page expires (every 15 s in each worker) without a change of content
        targets.append(
            ("list, cache miss (anonymous)", pages["list"] + "?", {}, "miss", n, nothing)
        )
        targets.append(
            ("search, cache miss (anonymous)", pages["search"] + "&", {}, "miss", n, nothing)
        )
        targets.append(("bare view, officer", "/bench/bare/", session, None, n, nothing))
        targets.append(("list, officer (count cached)", pages["list"], session, None, n, nothing))
        targets.append(("search, officer", pages["search"], session, None, n, nothing))

    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}")
    print(f"{'target':<34} {'CPU ms/req':>10} {'wall p50 ms':>11} {'queries':>8} {'× bare':>7}")
    bare: dict[bool, float] = {}
    for label, path, cookies, expect, n, before in targets:
        before()
        call(path, cookies, None)  # warm (fills the page cache / the count)
        if expect == "hit":
            call(path, cookies, "hit")
        queries: list[str] = []

        def count(
            execute: Any, sql: str, params: Any, many: bool, context: Any, seen: list = queries
        ) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        before()
        with connection.execute_wrapper(count):
            call(path, cookies, expect)
        walls: list[float] = []
        cpu = 0.0
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(n):
            before()
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            call(path, cookies, expect)
            if profiler:
                profiler.disable()
            cpu += time.process_time() - c0
            walls.append(time.perf_counter() - w0)
        per = cpu / n * 1000
        if path == "/bench/bare/":
            bare[bool(cookies)] = per
        ratio = per / bare[bool(cookies)]
        print(
            f"{label:<34} {per:10.3f} {statistics.median(walls) * 1000:11.2f} "
            f"{len(queries):8d} {ratio:7.2f}",
            flush=True,
        )
        if args.queries:
            print("".join(f"    {sql[:160]}\n" for sql in queries))
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(35)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
