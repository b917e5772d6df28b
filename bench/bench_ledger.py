"""Ledger import benchmark (issue 4, item 11): 100,000 realistic ledger rows as XLSX, then
reading, validation and import, against a bare ``executemany`` / ``COPY`` of the same rows.

    .venv/bin/python bench/bench_ledger.py                    # SQLite, 100,000 rows
    .venv/bin/python bench/bench_ledger.py --rows 10000       # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_ledger \\
        .venv/bin/python bench/bench_ledger.py                # PostgreSQL (the database is flushed)

The rows are generated from a fixed seed: receipt dates over 2021–2025, the six channels, a
realistic applicant mix (mostly 自然人 with valid 居民身份证 numbers), every table 三 result,
about 2 % still open, 10 % extended, 5 % with a 补正日期, 30 % with a legacy 受理编号.

The import runs in a fresh child process, as the background worker runs it
(``read_ledger`` + ``ledger_import_rows``: a streamed read that checks every row, then one
transaction writing applications, items, timeline entries, the search outbox and one audit
entry); the child reports its phases and its peak RSS. The parent then times the two XLSX
readers on the same file (calamine streaming, used by the import, and openpyxl read-only, the
reader before) and the baseline: the same rows of the three tables, values prepared beforehand,
written by a bare ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) in one transaction — the
floor any import must stand on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩"
ORGS = ("有限公司", "研究院", "基金会", "律师事务所", "协会")
PLACES = ("东湖村", "西山街道", "南城社区", "北关镇", "高新区", "老城区", "滨江新区", "开发区")
SUBJECTS = (
    "集体土地征收补偿安置方案",
    "房屋征收决定及补偿标准",
    "行政处罚决定书",
    "建设项目环境影响评价批复",
    "城市道路维修工程招标文件",
    "最低生活保障资金发放名单",
    "财政预算执行情况",
    "建设工程规划许可证",
    "拆迁安置房分配方案",
    "食品安全抽检结果",
    "河道整治工程验收报告",
    "学校新建项目可行性研究报告",
)
CHANNELS = (("网络", 45), ("信函", 30), ("当面", 15), ("电子邮件", 6), ("传真", 2), ("其他", 2))
TYPES = (
    ("自然人", 80),
    ("商业企业", 8),
    ("科研机构", 2),
    ("社会公益组织", 2),
    ("法律服务机构", 5),
    ("其他", 3),
)
RESULTS = (
    ("予以公开", 35),
    ("部分公开", 12),
    ("（三）1.属于国家秘密", 1),
    ("其他法律行政法规禁止公开", 1),
    ("危及“三安全一稳定”", 1),
    ("保护第三方合法权益", 3),
    ("属于三类内部事务信息", 1),
    ("属于四类过程性信息", 3),
    ("属于行政执法案卷", 2),
    ("属于行政查询事项", 2),
    ("本机关不掌握相关政府信息", 18),
    ("没有现成信息需要另行制作", 4),
    ("补正后申请内容仍不明确", 2),
    ("信访举报投诉类申请", 5),
    ("重复申请", 3),
    ("要求提供公开出版物", 1),
    ("无正当理由大量反复申请", 1),
    ("要求行政机关确认或重新出具已获取信息", 1),
    ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1),
    ("其他", 1),
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate_rows(count: int, seed: int) -> list[list[Any]]:
    """Return ``count`` ledger rows in template column order (reproducible for a seed)."""
    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.applications.identity import id_check_char

    rng = random.Random(seed)
    start = dt.date(2021, 1, 4)
    span = (dt.date(2025, 12, 31) - start).days
    rows: list[list[Any]] = []
    per_year: dict[int, int] = {}
    for _ in range(count):
        received = start + dt.timedelta(days=rng.randrange(span))
        kind = _pick(rng, TYPES)
        if kind == "自然人":
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
            first17 = f"{rng.choice(('110101', '320102', '440304', '510104'))}{birth:%Y%m%d}{rng.randrange(1000):03d}"
            identity = first17 + id_check_char(first17)
        else:
            name = rng.choice(PLACES) + rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(ORGS)
            identity = (
                make_credit_code("440300", rng.randrange(10**6), registry="91")
                if rng.random() < 0.7
                else ""
            )
        year = received.year
        description = (
            f"请公开{rng.choice((year - 1, year))}年{rng.choice(PLACES)}{rng.choice(SUBJECTS)}"
            + rng.choice(("", "及相关附件", "（含批复文件）", "，以纸质形式邮寄"))
        )
        open_case = received >= dt.date(2025, 12, 1) and rng.random() < 0.6
        result = "" if open_case else _pick(rng, RESULTS)
        replied = None if open_case else received + dt.timedelta(days=rng.randint(3, 38))
        if replied and replied > dt.date(2025, 12, 31):
            replied = dt.date(2025, 12, 31)
        corrected = None
        if replied and rng.random() < 0.05:
            corrected = received + dt.timedelta(days=rng.randint(0, (replied - received).days))
        number = ""
        if rng.random() < 0.3:
            per_year[year] = per_year.get(year, 0) + 1
            number = f"依申请〔{year}〕{per_year[year]}号"
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else ""
        rows.append(
            [
                number,
                received,
                _pick(rng, CHANNELS),
                kind,
                name,
                description,
                result,
                replied,
                identity,
                phone,
                "是" if rng.random() < 0.1 else "否",
                corrected,
            ]
        )
    return rows


def _setup_database() -> str:
    """Point Django at a fresh throwaway database and migrate it; return a description."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="gongkai-bench-ledger-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def _rss_mb() -> float:
    """This process's current resident set size in MB (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _child_import(path: str, agency_pk: int, today: str) -> None:
    """Run the import as the worker does and print its figures as one JSON line."""
    import json

    import django

    django.setup()
    from gongkai.agencies.models import Agency
    from gongkai.core.actors import SYSTEM
    from gongkai.ledger import services

    agency = Agency.objects.get(pk=agency_pk)
    services.Table  # noqa: B018 - imported like the worker has it
    rss_before = _rss_mb()

    class Timing(services.Progress):
        def __init__(self) -> None:
            self.marks: dict[str, float] = {}

        def validating(self, total: int) -> None:
            self.marks["validating"] = time.perf_counter()

        def importing(self) -> None:
            self.marks["importing"] = time.perf_counter()

    timing = Timing()
    t0 = time.perf_counter()
    table = services.read_ledger(path)
    outcome = services.ledger_import_rows(
        by=SYSTEM,
        agency=agency,
        table=table,
        today=dt.date.fromisoformat(today),
        progress=timing,
    )
    end = time.perf_counter()
    if not outcome.ok:
        for error in outcome.validation.errors[:20]:
            print(error, file=sys.stderr)
        raise SystemExit("generated ledger did not validate")
    # the high-water mark of this process's own memory (ru_maxrss would include the parent's
    # pages shared before exec)
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
    print(
        json.dumps(
            {
                "count": timing.marks["validating"] - t0,
                "check": timing.marks["importing"] - timing.marks["validating"],
                "insert": end - timing.marks["importing"],
                "total": end - t0,
                "rows": outcome.imported,
                "rss_before": rss_before,
                "rss_peak": peak,
            }
        )
    )


def _baseline(objects: list[Any], agency: Any, today: dt.date) -> tuple[float, int]:
    """Bare executemany / COPY of the three tables' rows (values prepared untimed)."""
    from django.db import connection, transaction

    from gongkai.applications.models import Application, ApplicationEvent, RequestedItem
    from gongkai.core.bulkinsert import _columns, _values
    from gongkai.ledger.services import build_events

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Application._meta.db_table}")  # noqa: S608
        base = cursor.fetchone()[0] + 1_000_000
    apps, items, events = [], [], []
    for i, (app, row) in enumerate(objects):
        app.pk = base + i
        apps.append(app)
        items.append(
            RequestedItem(application=app, position=1, description=row.description, decision="")
        )
        events.extend(build_events(app, row, None))
    tables = []
    for model, objs, with_pk in (
        (Application, apps, True),
        (RequestedItem, items, False),
        (ApplicationEvent, events, False),
    ):
        fields, pk = _columns(model)
        values = _values(objs, fields, connection)
        columns = [f.column for f in fields]
        if with_pk:
            values = [(o.pk, *v) for o, v in zip(objs, values, strict=True)]
            columns = [pk.column, *columns]
        tables.append((model._meta.db_table, columns, values))
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, values in tables:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for v in values:
                        copy.write_row(v)
            else:
                marks = ", ".join(["?"] * len(columns))
                cursor.cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - own tables
                    values,
                )
    elapsed = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Application._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
    return elapsed, len(events)


def main() -> None:
    """Generate, write, import (child process), compare readers and the baseline; print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--skip-openpyxl", action="store_true", help="do not time openpyxl")
    args = parser.parse_args()
    if args.child:
        _child_import(args.child[0], int(args.child[1]), args.child[2])
        return
    import json
    import subprocess

    load_before = os.getloadavg()
    database = _setup_database()

    from gongkai.agencies.choices import AgencyKind, AgencyLevel
    from gongkai.agencies.credit_code import make_credit_code
    from gongkai.agencies.services import agency_create
    from gongkai.applications import deadlines
    from gongkai.applications.models import ApplicationEvent
    from gongkai.core.actors import SYSTEM
    from gongkai.core.tabular import Table, cell_text
    from gongkai.ledger import exports
    from gongkai.ledger.services import build_application
    from gongkai.ledger.validation import validate_rows

    def agency(n: int, name: str) -> Any:
        return agency_create(
            by=SYSTEM,
            parent=None,
            name=name,
            kind=AgencyKind.DEPARTMENT,
            level=AgencyLevel.CITY,
            credit_code=make_credit_code("440300", 900_000 + n),
        )

    target = agency(1, "基准测试局")
    baseline_agency = agency(2, "基准对照局")
    today = dt.date(2026, 1, 15)

    t0 = time.perf_counter()
    rows = generate_rows(args.rows, args.seed)
    generated = time.perf_counter() - t0
    path = Path(tempfile.mkdtemp(prefix="gongkai-ledger-")) / "ledger.xlsx"
    t0 = time.perf_counter()
    exports.write_ledger_xlsx(str(path), iter(rows))
    written = time.perf_counter() - t0
    size = path.stat().st_size
    del rows

    # 1. the import, end to end, in a fresh process (as the worker runs it)
    env = dict(os.environ)
    child = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--child", str(path), str(target.pk), today.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode:
        sys.stderr.write(child.stderr)
        raise SystemExit("import failed")
    imp = json.loads(child.stdout.strip().splitlines()[-1])
    n = imp["rows"]

    # 2. the two readers on the same file
    t0 = time.perf_counter()
    calamine_rows = sum(1 for _ in Table(path))
    calamine = time.perf_counter() - t0
    openpyxl_s = float("nan")
    if not args.skip_openpyxl:
        from openpyxl import load_workbook

        t0 = time.perf_counter()
        wb = load_workbook(path, read_only=True, data_only=True)
        for r in wb.worksheets[0].iter_rows(values_only=True):
            [cell_text(v) for v in r]
        wb.close()
        openpyxl_s = time.perf_counter() - t0

    # 3. the baseline: the same validated rows, bare executemany / COPY
    valid = validate_rows(Table(path), today=today).rows
    calendar = deadlines.get_calendar()
    objects = []
    for r in valid:  # fresh numbers for the other agency (unique per agency and year)
        r.registration_number = f"B{r.row}"
        r.registration_serial = None
        objects.append((build_application(r, baseline_agency, None, today, calendar), r))
    del valid
    baseline, baseline_events = _baseline(objects, baseline_agency, today)
    load_after = os.getloadavg()

    events = ApplicationEvent.objects.filter(application__agency=target).count()
    print(f"database: {database}")
    print(f"load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    print(f"rows: {n:,} (seed {args.seed}); generated in {generated:.1f} s")
    print(f"XLSX written in {written:.1f} s ({size / 1e6:.1f} MB, {n / written:,.0f} rows/s)")
    print(f"read, calamine stream:   {calamine:7.1f} s  {calamine_rows / calamine:9,.0f} rows/s")
    print(
        f"read, openpyxl:          {openpyxl_s:7.1f} s  {calamine_rows / openpyxl_s:9,.0f} rows/s"
    )
    print(f"import: count rows       {imp['count']:7.1f} s")
    print(f"import: read + check     {imp['check']:7.1f} s  {n / imp['check']:9,.0f} rows/s")
    print(
        f"import: insert ({events:,} events) {imp['insert']:5.1f} s  {n / imp['insert']:9,.0f} rows/s"
    )
    print(
        f"import end to end:       {imp['total']:7.1f} s  {n / imp['total']:9,.0f} rows/s"
        f"  ({n / imp['total'] * 60:,.0f} rows a minute)"
    )
    print(
        f"import process RSS: {imp['rss_before']:.0f} MB after start, peak {imp['rss_peak']:.0f} MB"
    )
    print(
        f"baseline bare {'COPY' if 'postgresql' in database else 'executemany'} "
        f"({baseline_events:,} events): {baseline:.1f} s  {n / baseline:,.0f} rows/s"
    )
    print(f"ratio insert / baseline:  {imp['insert'] / baseline:.1f}x")
    print(f"ratio end to end / baseline: {imp['total'] / baseline:.1f}x")


if __name__ == "__main__":
    main()
