"""Load and fault tests against a production-mode instance on PostgreSQL (issue 10, item 4).

Run: ``.venv/bin/python bench/bench_load.py submit|read|counters [options]``. Every run creates a
scratch database ``gongkai_load_<random>`` on the server named by ``DATABASE_URL`` (else the one
``scripts/ensure_postgres.sh`` prints), a scratch var directory (keys, media, search index) and
drops both at the end (``--keep`` keeps them). Servers bind to 127.0.0.1 only; every phase is
bounded in count and time.

- ``submit``: gunicorn (4 workers, DEBUG off, production settings) on a free port; ``--count``
  online applications through ``POST /api/applications`` from ``--clients`` threads at once,
  each with its own ``Idempotency-Key`` and a small PDF identity copy. When half are
  acknowledged the whole gunicorn process group is killed with SIGKILL and started again;
  clients retry connection errors with the same key. Then the database is checked: every
  acknowledged application exists exactly once with its file (bytes on disk, SHA-256 matching)
  and nothing is half-saved (token without case, case without access row or file). Then
  ``gongkai.core.media.sweep_media`` runs (servers stopped, so without a grace period) and
  the orphan upload files left by the kill are counted before and after it.
- ``read``: ``gongkai demo`` + search index, then ``--clients`` threads for ``--duration``
  seconds each on the public catalogue list, on ``/search/?q=…``, on a bare Django view
  (``HttpResponse("ok")`` behind the same middleware, same gunicorn) and on a bare view that
  sends the list page's bytes (captured first: the same body without the product's work, so
  the cost of the bytes — the network, the client reading them — is told apart from the
  stack's) and on the bare view with search's query string (every parameter goes through the
  bad-input check); throughput, p50/p99 latency, errors and the ratios to the first two
  baselines.
- ``coldstart``: ``gongkai demo`` + search index, then gunicorn with one worker started twice,
  without and with the search warm-up (``GONGKAI_WARM_UP``): time until ``/readyz`` answers,
  the first search and the first catalogue list after that, and the median of the next
  ``--warm`` searches (distinct queries, so the page cache never answers).
- ``counters``: ``--clients`` threads in this process (half publishers drafting and publishing
  catalogue items, half registrars registering in-person applications, all for one agency),
  each with its own database connection, ``--count`` operations each; asserts the 索引号 and
  受理编号 serials taken are exactly the consecutive range the counters moved over.

Rate limits are raised through a settings module written into the scratch directory
(``PORTAL_RATE_LIMITS``), which also adds the bare view's URL; nothing in the product changes.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
HOST = "127.0.0.1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SETTINGS_MODULE = """\
from gongkai.settings import *  # noqa: F403

# Bench only: the per-IP and per-identity limits would stop a load test from one address.
PORTAL_RATE_LIMITS = {
    name: (10**9, 3600)
    for name in ("submit_ip", "submit_identity", "lookup_ip", "lookup_number", "action_ip")
}
ROOT_URLCONF = "gongkai_load_urls"
SMS_BACKEND = "gongkai_load_urls.QuietSms"  # no console line per registration
"""
URLS_MODULE = """\
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from gongkai.urls import urlpatterns as product


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


_PAGE = []


def bare_page(request):
    # the catalogue list's bytes (captured by the bench), sent without the product's work
    if not _PAGE:
        _PAGE.append(Path(__file__).with_name("list-page.html").read_bytes())
    return HttpResponse(_PAGE[0], content_type="text/html; charset=utf-8")


class QuietSms:
    def send(self, phone, text):
        pass


urlpatterns = [path("bench/bare/", bare), path("bench/bare-page/", bare_page), *product]
"""


# --- scratch database and environment --------------------------------------------------------


def _base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = subprocess.run(
            [str(REPO / "scripts" / "ensure_postgres.sh")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"bench_load needs PostgreSQL, got {url!r}")
    return url


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Instance:
    """A scratch database and var directory, with the environment that points at them."""

    url: str
    var: Path
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "gongkai"), *args], env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"gongkai {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout


@contextmanager
def instance(keep: bool = False) -> Iterator[Instance]:
    """Create the scratch database and directory, migrate; drop both afterwards."""
    base = _base_url()
    name = f"gongkai_load_{secrets.token_hex(4)}"
    _admin(base, f'CREATE DATABASE "{name}"')
    var = Path(tempfile.mkdtemp(prefix="gongkai-load-"))
    (var / "gongkai_load_settings.py").write_text(SETTINGS_MODULE)
    (var / "gongkai_load_urls.py").write_text(URLS_MODULE)
    url = _with_db(base, name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GONGKAI_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "gongkai_load_settings",
        "PYTHONPATH": os.pathsep.join([str(var), str(REPO)]),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "FIELD_HASH_KEY": secrets.token_urlsafe(48),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
    }
    inst = Instance(url, var, env)
    print(f"scratch database {name}, var {var}", flush=True)
    try:
        _shared_cache(inst)
        started = time.monotonic()
        inst.run("migrate", "--noinput", "-v", "0")
        inst.run("collectstatic", "--noinput", "-v", "0")  # as deploy/install.sh does
        print(
            f"migrated and collected static files in {time.monotonic() - started:.1f} s", flush=True
        )
        yield inst
    finally:
        for proc in inst.procs:
            _kill_group(proc, signal.SIGTERM)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if keep:
            print(f"kept database {name} and {var}")
        else:
            _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var, ignore_errors=True)


def _shared_cache(inst: Instance) -> None:
    """Production refuses a per-process cache: start a scratch Redis (no persistence) on a free
    port for this instance, stopped with it; without redis-server, the database cache."""
    server = shutil.which("redis-server")
    if server is None:
        inst.env["CACHE_URL"] = "dbcache://gongkai_cache"
        inst.run("createcachetable")
        print("cache: dbcache (no redis-server found)", flush=True)
        return
    port = _free_port()
    proc = subprocess.Popen(
        [server, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    inst.procs.append(proc)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    inst.env["CACHE_URL"] = f"redis://{HOST}:{port}/0"
    print(f"cache: scratch Redis on port {port}", flush=True)


def _django(inst: Instance) -> None:
    """Set this process up with the instance's settings (for checks and the counters)."""
    for key in ("DATABASE_URL", "GONGKAI_VAR_DIR", "DJANGO_SETTINGS_MODULE", "DEBUG", "CACHE_URL"):
        os.environ[key] = inst.env[key]
    for key in ("SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"):
        os.environ[key] = inst.env[key]
    sys.path[:0] = [str(inst.var), str(REPO)]
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the per-case notification lines


# --- gunicorn --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _kill_group(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)  # the group of a server this script started
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def start_gunicorn(
    inst: Instance, port: int, workers: int = 4, env: dict[str, str] | None = None
) -> subprocess.Popen:
    log = open(inst.var / "gunicorn.log", "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "gongkai.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        env=env or inst.env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    inst.procs.append(proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited: {(inst.var / 'gunicorn.log').read_text()[-3000:]}")
        try:
            status, _ = request(port, "GET", "/readyz", timeout=5)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not become ready in 60 s")


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# --- submit ----------------------------------------------------------------------------------


def _id_number(n: int) -> str:
    from gongkai.applications.identity import id_check_char

    birth = f"19{60 + n // 1000 % 40:02d}0{1 + n // 100 % 9}1{n // 10 % 10}"
    first17 = f"110101{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def cmd_submit(args: argparse.Namespace) -> int:
    with instance(args.keep) as inst:
        _django(inst)
        inst.run("demo")
        port = _free_port()
        server = start_gunicorn(inst, port)
        status, raw = request(port, "GET", "/api/apply/agencies")
        agencies = json.loads(raw)
        items = agencies if isinstance(agencies, list) else next(iter(agencies.values()))
        agency_id = items[0]["id"]
        count = args.count
        clients = min(args.clients or count, count)
        pdf64 = base64.b64encode(PDF).decode()
        acked: dict[str, str] = {}  # key -> registration number
        ack_times: list[float] = []
        failed: dict[str, str] = {}
        retries = [0]
        reasons: dict[str, int] = {}
        lock = threading.Lock()
        half = threading.Event()
        deadline = time.monotonic() + args.timeout
        todo = list(range(count))

        def submit_one(n: int) -> None:
            key = f"load-{n:05d}-{secrets.token_hex(8)}"
            body = json.dumps(
                {
                    "agency_id": agency_id,
                    "applicant_type": "PERSON",
                    "applicant_name": f"压测{n}",
                    "id_document_type": "ID_CARD",
                    "id_number": _id_number(n),
                    "phone": "13900001111",
                    "description": f"2025年本机关行政处罚决定书目录（{key}）",
                    "requested_form": "ELECTRONIC",
                    "requested_delivery": "EMAIL",
                    "identity_copy": {"filename": f"id-{n}.pdf", "content_base64": pdf64},
                }
            ).encode()
            headers = {"Content-Type": "application/json", "Idempotency-Key": key}
            while time.monotonic() < deadline:
                try:
                    status, raw = request(port, "POST", "/api/applications", body, headers)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        retries[0] += 1
                        why = type(exc).__name__
                        reasons[why] = reasons.get(why, 0) + 1
                    time.sleep(0.2)
                    continue
                if status in (200, 201):
                    with lock:
                        acked[key] = json.loads(raw)["registration_number"]
                        ack_times.append(time.monotonic())
                        if len(acked) >= count // 2:
                            half.set()
                    return
                if status in (429, 502, 503, 504):
                    with lock:
                        retries[0] += 1
                        reasons[f"HTTP {status}"] = reasons.get(f"HTTP {status}", 0) + 1
                    time.sleep(0.5)
                    continue
                with lock:
                    failed[key] = f"{status} {raw[:200]!r}"
                return
            with lock:
                failed[key] = "timed out"

        def client() -> None:
            while True:
                with lock:
                    if not todo:
                        return
                    n = todo.pop()
                submit_one(n)

        started = time.monotonic()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        restart_note = "not killed (finished before half)"
        before_kill = ""
        if half.wait(timeout=args.timeout):
            killed_at = len(acked)
            first = time.monotonic() - started
            before_kill = (
                f", before the kill {killed_at / first:.1f}/s ({killed_at} in {first:.1f} s)"
            )
            t0 = time.monotonic()
            _kill_group(server, signal.SIGKILL)
            time.sleep(args.down)
            server = start_gunicorn(inst, port)
            ready = time.monotonic() - t0
            for t in threads:
                t.join(timeout=max(1.0, deadline - time.monotonic()))
            after = [t - t0 for t in ack_times[killed_at:] if t > t0]
            restart_note = (
                f"SIGKILL at {killed_at} acknowledged; first acknowledgement after the "
                f"restart {min(after, default=float('nan')):.1f} s after the kill, last "
                f"{max(after, default=float('nan')):.1f} s; /readyz answered after {ready:.1f} s "
                "(queued behind the retrying clients)"
            )
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic()))
        elapsed = time.monotonic() - started
        _kill_group(server, signal.SIGTERM)
        check = verify_submissions(acked)
        sweep_line, orphans_left = sweep_after_crash(
            check["orphan upload files on disk (not referenced)"]
        )
        print()
        print(f"submit: {count} applications, {clients} concurrent clients, gunicorn 4 workers")
        print(f"  server: {restart_note}")
        print(
            f"  elapsed {elapsed:.1f} s, throughput {len(acked) / elapsed:.1f} acknowledged/s"
            f" overall (restart included){before_kill}"
        )
        print(
            f"  acknowledged {len(acked)}, failed {len(failed)}, client retries {retries[0]} {reasons}"
        )
        for key, why in list(failed.items())[:5]:
            print(f"    failed {key}: {why}")
        for name, value in check.items():
            print(f"  {name}: {value}")
        print(f"  media sweep: {sweep_line}")
        ok = (
            orphans_left == 0
            and len(acked) == count
            and not failed
            and check["duplicates"] == 0
            and check["half-saved"] == 0
            and check["acknowledged missing"] == 0
        )
        print("submit: OK" if ok else "submit: FAILED")
        return 0 if ok else 1


def verify_submissions(acked: dict[str, str]) -> dict[str, int]:
    import hashlib

    from gongkai.applications.models import Application
    from gongkai.portal.models import ApplicantFile, CaseAccess, SubmissionToken

    tokens = {t.key: t for t in SubmissionToken.objects.filter(key__startswith="api:load-")}
    apps = list(Application.objects.filter(description__contains="load-"))
    per_key: dict[str, int] = {}
    for app in apps:
        key = app.description.split("（", 1)[-1].split("）", 1)[0]
        per_key[key] = per_key.get(key, 0) + 1
    duplicates = sum(n - 1 for n in per_key.values() if n > 1)
    missing = 0
    wrong_number = 0
    for key, number in acked.items():
        token = tokens.get(f"api:{key}")
        if token is None or token.application_id is None or per_key.get(key) != 1:
            missing += 1
        elif token.application.registration_number != number:
            wrong_number += 1
    access = set(CaseAccess.objects.values_list("application_id", flat=True))
    files: dict[int, list[ApplicantFile]] = {}
    for row in ApplicantFile.objects.filter(application__in=apps):
        files.setdefault(row.application_id, []).append(row)
    bad_files = 0
    half_saved = sum(1 for t in tokens.values() if t.application_id is None)
    token_apps = {t.application_id for t in tokens.values()}
    for app in apps:
        rows = files.get(app.pk, [])
        if app.pk not in access or app.pk not in token_apps or len(rows) != 1:
            half_saved += 1
            continue
        row = rows[0]
        try:
            with row.file.open("rb") as fh:
                good = hashlib.sha256(fh.read()).hexdigest() == row.sha256
        except OSError:
            good = False
        if not good:
            bad_files += 1
            half_saved += 1
    on_disk, orphans = upload_files_on_disk()
    return {
        "applications in database": len(apps),
        "acknowledged missing": missing,
        "acknowledged with another number": wrong_number,
        "duplicates": duplicates,
        "half-saved": half_saved,
        "files unreadable or wrong checksum": bad_files,
        "upload files on disk": on_disk,
        "orphan upload files on disk (not referenced)": orphans,
    }


def upload_files_on_disk() -> tuple[int, int]:
    """Files under MEDIA_ROOT/portal/ and how many of them no row references."""
    from django.conf import settings

    from gongkai.portal.models import ApplicantFile, StagedUpload

    stored = {row.file.name for row in ApplicantFile.objects.all()}
    stored |= {row.file.name for row in StagedUpload.objects.all()}
    media = Path(settings.MEDIA_ROOT)
    on_disk = [p for p in (media / "portal").rglob("*") if p.is_file()]
    return len(on_disk), sum(1 for p in on_disk if str(p.relative_to(media)) not in stored)


def sweep_after_crash(before: int) -> tuple[str, int]:
    """Run the media sweep (the servers are stopped: no grace period needed); report it."""
    import datetime as dt

    from gongkai.core.media import sweep_media

    report = sweep_media(grace=dt.timedelta(0))
    _, after = upload_files_on_disk()
    line = (
        f"orphans after crash: {before}, after sweep: {after} (quarantined {report.removed}, "
        f"{report.removed_bytes} bytes; {report.files_scanned} files scanned, "
        f"{report.referenced} referenced)"
    )
    return line, after


# --- read ------------------------------------------------------------------------------------


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0


def hammer(port: int, path: str, clients: int, duration: float) -> Figures:
    figures = Figures()
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client() -> None:
        mine: list[float] = []
        errors = 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = request(port, "GET", path, timeout=30)
                if status != 200:
                    errors += 1
                    continue
            except (OSError, http.client.HTTPException):
                errors += 1
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            figures.latencies.extend(mine)
            figures.errors += errors

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 60)
    figures.elapsed = time.monotonic() - started
    return figures


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def cmd_read(args: argparse.Namespace) -> int:
    with instance(args.keep) as inst:
        t0 = time.monotonic()
        inst.run("demo")
        inst.run("search", "rebuild")
        print(f"demo data and search index in {time.monotonic() - t0:.1f} s", flush=True)
        port = _free_port()
        start_gunicorn(inst, port)
        query = urllib.parse.quote(args.query)
        targets = [
            ("catalogue list /disclosure/documents/", "/disclosure/documents/"),
            (f"search /search/?q={args.query}", f"/search/?q={query}"),
            ("bare Django view (same stack)", "/bench/bare/"),
            ("bare view sending the list's bytes", "/bench/bare-page/"),
            ("bare view with search's query string", f"/bench/bare/?q={query}"),
        ]
        status, page = request(port, "GET", "/disclosure/documents/")
        (inst.var / "list-page.html").write_bytes(page)
        for _, path in targets:  # warm every worker, check the pages answer
            for _ in range(8):
                status, body = request(port, "GET", path)
                if status != 200:
                    log = (inst.var / "gunicorn.log").read_text(errors="replace")[-3000:]
                    sys.exit(f"{path} answered {status}:\n{log}")
        rows = []
        for label, path in targets:
            fig = hammer(port, path, args.clients, args.duration)
            rows.append((label, fig))
            print(f"  {label}: {len(fig.latencies)} ok, {fig.errors} errors", flush=True)
        print()
        print(
            f"read: {args.clients} concurrent clients, {args.duration:g} s per target, "
            "gunicorn 4 sync workers"
        )
        print(f"  list page: {len(page):,} bytes; load average {os.getloadavg()[0]:.2f}")
        print(
            f"  {'target':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
            f" {'÷ bare':>7} {'p99 ÷':>6} {'÷ same bytes':>13} {'p99 ÷':>6}"
        )
        bare_fig, bytes_fig = rows[2][1], rows[3][1]
        for label, fig in rows:
            rate = len(fig.latencies) / fig.elapsed
            ratios = [
                (
                    rate / (len(base.latencies) / base.elapsed),
                    _pct(fig.latencies, 0.99) / _pct(base.latencies, 0.99),
                )
                for base in (bare_fig, bytes_fig)
            ]
            print(
                f"  {label:<44} {rate:8.1f} "
                f"{_pct(fig.latencies, 0.50):8.1f} {_pct(fig.latencies, 0.99):8.1f} "
                f"{fig.errors:7d} {ratios[0][0]:7.2f} {ratios[0][1]:6.2f}"
                f" {ratios[1][0]:13.2f} {ratios[1][1]:6.2f}"
            )
        return 0 if all(fig.errors == 0 for _, fig in rows) else 1


# --- cold start ------------------------------------------------------------------------------
COLD_QUERIES = "公开 住房 教育 财政 预算 环境 交通 医疗 社会保障 规划 农业 税收 审计 统计 应急 水利 文化 体育 民政 卫生 就业 养老".split()


def _timed(port: int, path: str) -> float:
    t0 = time.perf_counter()
    status, _ = request(port, "GET", path, timeout=120)
    if status != 200:
        sys.exit(f"{path} answered {status}")
    return (time.perf_counter() - t0) * 1000


def cmd_coldstart(args: argparse.Namespace) -> int:
    with instance(args.keep) as inst:
        inst.run("demo")
        inst.run("search", "rebuild")
        rows = []
        for warm in ("0", "1"):
            port = _free_port()
            t0 = time.perf_counter()
            server = start_gunicorn(
                inst, port, workers=1, env={**inst.env, "GONGKAI_WARM_UP": warm}
            )
            ready = time.perf_counter() - t0
            q = [urllib.parse.quote(w) for w in COLD_QUERIES]
            first = _timed(port, f"/search/?q={q[0]}")
            first_list = _timed(port, "/disclosure/documents/?page=1")
            later = [_timed(port, f"/search/?q={w}") for w in q[1 : args.warm + 1]]
            _kill_group(server, signal.SIGTERM)
            rows.append((warm, ready, first, first_list, statistics.median(later)))
        print()
        print(f"coldstart: gunicorn 1 sync worker, load average {os.getloadavg()[0]:.2f}")
        print(
            f"  {'warm-up':<8} {'ready s':>8} {'1st search ms':>14} {'1st list ms':>12} "
            f"{'warm search p50 ms':>19} {'1st ÷ warm':>11}"
        )
        for warm, ready, first, first_list, median in rows:
            print(
                f"  {'on' if warm == '1' else 'off':<8} {ready:8.1f} {first:14.1f} "
                f"{first_list:12.1f} {median:19.1f} {first / median:11.2f}"
            )
        return 0


# --- counters --------------------------------------------------------------------------------


def cmd_counters(args: argparse.Namespace) -> int:
    with instance(args.keep) as inst:
        inst.run("demo")
        _django(inst)
        import datetime as dt

        from django.db import connection
        from django.utils import timezone

        from gongkai.accounts.models import User
        from gongkai.applications.choices import ApplicantType, Channel, IdDocumentType
        from gongkai.applications.models import Application
        from gongkai.applications.numbering import REGISTRATION
        from gongkai.applications.services import ApplicantData, application_register
        from gongkai.catalog import services as catalog
        from gongkai.catalog.index_numbers import INDEX_NUMBERS
        from gongkai.catalog.models import CatalogItem, Category
        from gongkai.core.counters import current_value

        handler = User.objects.get(username="bgs_handler")
        agency = handler.memberships.select_related("agency").first().agency
        category = Category.objects.filter(scheme__code="govcn", parent=None).first()
        year = timezone.localdate().year
        index_before = current_value(INDEX_NUMBERS, agency=agency, year=year)
        reg_before = current_value(REGISTRATION, agency=agency, year=year)
        clients = args.clients
        publishers = clients // 2
        registrars = clients - publishers
        errors: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(clients)
        seq = iter(range(10**6))

        def publisher(i: int) -> None:
            for j in range(args.count):
                item = catalog.item_create(
                    by=None,
                    agency=agency,
                    title=f"并发发布压测{i}-{j}",
                    summary="并发发布压测。",
                    body="<p>并发发布压测。</p>",
                    genre="NOTICE",
                    written_on=dt.date(2026, 3, 2),
                    category=category,
                )
                catalog.item_submit(by=None, item=item)
                catalog.item_review(
                    by=None, item=item, basis="《保密法》及本机关保密事项范围", result="PASS"
                )
                catalog.item_approve(by=None, item=item)

        def registrar(i: int) -> None:
            from gongkai.applications.identity import id_check_char

            for _ in range(args.count):
                with lock:
                    n = next(seq)
                first17 = (
                    f"110101198{n // 1000 % 10}0{1 + n // 100 % 9}1{n // 10 % 10}{n % 1000:03d}"
                )
                application_register(
                    by=handler,
                    agency=agency,
                    channel=Channel.IN_PERSON,
                    arrived_on=timezone.localdate(),
                    applicant=ApplicantData(
                        applicant_type=ApplicantType.PERSON,
                        name=f"并发登记{i}",
                        id_document_type=IdDocumentType.ID_CARD,
                        id_number=first17 + id_check_char(first17),
                        phone="13812345678",
                        address="临江市人民路1号",
                    ),
                    description="并发登记压测：2025年本机关行政处罚决定书",
                )

        def run(work: Callable[[int], None], i: int) -> None:
            try:
                barrier.wait(timeout=60)
                work(i)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                with lock:
                    errors.append(f"{work.__name__} {i}: {exc!r}")
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(publisher, i)) for i in range(publishers)]
        threads += [threading.Thread(target=run, args=(registrar, i)) for i in range(registrars)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.timeout)
        elapsed = time.monotonic() - started
        index_after = current_value(INDEX_NUMBERS, agency=agency, year=year)
        reg_after = current_value(REGISTRATION, agency=agency, year=year)
        numbers = list(
            CatalogItem.objects.filter(title__startswith="并发发布压测").values_list(
                "index_number", "status"
            )
        )
        index_serials = sorted(int(n.rsplit("-", 1)[1]) for n, _ in numbers)
        regs = list(
            Application.objects.filter(description__startswith="并发登记压测").values_list(
                "registration_serial", "registration_number"
            )
        )
        reg_serials = sorted(s for s, _ in regs)
        statuses: dict[str, int] = {}
        for _, status in numbers:
            statuses[status] = statuses.get(status, 0) + 1
        checks = {
            "索引号 duplicates": len(numbers) - len({n for n, _ in numbers}),
            "索引号 skipped": len(
                set(range(index_before + 1, index_after + 1)) - set(index_serials)
            ),
            "受理编号 duplicates": len(regs) - len({n for _, n in regs}),
            "受理编号 skipped": len(set(range(reg_before + 1, reg_after + 1)) - set(reg_serials)),
        }
        print()
        print(
            f"counters: {publishers} publishers + {registrars} registrars, {args.count} each, "
            f"one agency ({agency.name}), {elapsed:.1f} s"
        )
        print(
            f"  catalogue items {len(numbers)} (statuses {statuses}), 索引号 serials "
            f"{index_before + 1}..{index_after}"
        )
        print(f"  registrations {len(regs)}, 受理编号 serials {reg_before + 1}..{reg_after}")
        print(
            f"  throughput: {len(numbers) / elapsed:.1f} items published/s, "
            f"{len(regs) / elapsed:.1f} registrations/s"
        )
        for name, value in checks.items():
            print(f"  {name}: {value}")
        print(f"  thread errors: {len(errors)}")
        for line in errors[:5]:
            print(f"    {line}")
        ok = (
            not errors
            and not any(checks.values())
            and len(numbers) == publishers * args.count
            and len(regs) == registrars * args.count
            and index_serials == list(range(index_before + 1, index_after + 1))
            and reg_serials == list(range(reg_before + 1, reg_after + 1))
        )
        print("counters: OK" if ok else "counters: FAILED")
        return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("submit", help="500 applications, server SIGKILLed and restarted")
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--clients", type=int, default=0, help="concurrent clients (default: count)")
    p.add_argument("--down", type=float, default=1.0, help="seconds the server stays down")
    p.add_argument("--timeout", type=float, default=600, help="overall limit in seconds")
    p = sub.add_parser("read", help="catalogue, search and a bare view under load")
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--duration", type=float, default=60, help="seconds per target")
    p.add_argument("--query", default="公开")
    p = sub.add_parser("coldstart", help="first search after start, with and without warm-up")
    p.add_argument("--warm", type=int, default=20, help="later searches for the warm median")
    p = sub.add_parser("counters", help="concurrent 索引号 and 受理编号 allocation")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--count", type=int, default=10, help="operations per thread")
    p.add_argument("--timeout", type=float, default=600)
    for p in sub.choices.values():
        p.add_argument("--keep", action="store_true", help="keep the scratch database and var")
    args = parser.parse_args()
    command = {
        "submit": cmd_submit,
        "read": cmd_read,
        "coldstart": cmd_coldstart,
        "counters": cmd_counters,
    }[args.command]
    return command(args)


if __name__ == "__main__":
    sys.exit(main())
