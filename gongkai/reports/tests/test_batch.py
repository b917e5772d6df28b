"""年报评查: a folder or ZIP of reports reviewed, one row per report, XLSX export."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports import batch
from gongkai.reports.tests.damage import damaged_text
from gongkai.reports.tests.renderers import random_report

REAL = Path(__file__).parent / "fixtures" / "real"


def _real_items() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(REAL.glob("*.txt"))]


def _report_text(year: int, carried_in: int, carried_out: int, published: str) -> bytes:
    """A consistent report of 某某县某某局 whose 上年结转/结转下年 totals are as given."""
    rng = random.Random(year)
    report = random_report(rng, 2021)
    rows = {r["key"]: r["values"] for r in report["table3"]}
    # Set the totals through the 自然人 column, keeping every identity.
    for values in rows.values():
        values[0] = 0
    rows["carried_in"][0] = carried_in
    rows["carried_out"][0] = carried_out
    rows["r1_open"][0] = 5
    rows["r7_total"][0] = 5
    rows["new"][0] = 5 + carried_out - carried_in
    for values in rows.values():
        values[6] = sum(values[:6])
    report["agency"]["name"] = "某某县某某局"
    report["year"] = year
    text, _ = damaged_text(report, rng, "pipe")
    return f"发布日期：{published}\n{text}".encode()


def test_real_reports_are_reviewed_row_by_row() -> None:
    rows = batch.review_files(_real_items(), workers=1)
    by_name = {r.name: r for r in rows}
    assert len(rows) == 4 and all(r.found for r in rows)
    pingtan22 = by_name["2022_fujian-pingtan-zone_1.txt"]
    assert pingtan22.agency == "平潭综合实验区"
    assert any("75" in c for c in pingtan22.contradictions)
    assert pingtan22.published == "2023-02-20" and pingtan22.deadline == "2023-03-31"
    assert pingtan22.late is False
    assert by_name["2023_jiangsu-suqian-shuyang-drc_1.txt"].deadline == "2024-01-31"


def test_cross_year_break_and_late_publication_are_flagged() -> None:
    items = [
        ("a/2023.txt", _report_text(2023, 0, 3, "2024-01-20")),
        ("a/2024.txt", _report_text(2024, 2, 0, "2025-02-10")),
    ]
    rows = batch.review_files(items, workers=1)
    assert [r.year for r in rows] == [2023, 2024]
    assert all(r.cross_year for r in rows)
    assert "结转下年度继续办理”为3" in rows[0].cross_year[0]
    assert rows[0].late is False and rows[1].late is True
    only = batch.review_files(items, year=2024, workers=1)
    assert len(only) == 1 and only[0].cross_year  # the neighbour year still counts


def test_no_tables_is_a_problem_not_a_pass() -> None:
    rows = batch.review_files([("x.txt", "某某局2024年政府信息公开工作年度报告\n正文。".encode())])
    assert rows[0].found is False and rows[0].problems >= 1


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_zip_is_read_with_limits() -> None:
    items = batch.read_zip(_zip({"r/a.txt": b"abc", "r/b.png": b"x", "__MACOSX/r/._a.txt": b""}))
    assert items == [("r/a.txt", b"abc")]
    with pytest.raises(batch.BatchError, match="压缩比"):
        batch.read_zip(_zip({"bomb.txt": b"0" * (4 * 1024 * 1024)}))
    with pytest.raises(batch.BatchError, match="ZIP"):
        batch.read_zip(b"not a zip")


def test_xlsx_export_reads_back() -> None:
    from openpyxl import load_workbook

    rows = batch.review_files(_real_items(), workers=1)
    wb = load_workbook(io.BytesIO(batch.to_xlsx(rows)))
    ws = wb.active
    values = list(ws.values)
    assert list(values[0]) == batch.XLSX_HEADER
    assert len(values) == 5
    assert any("平潭综合实验区" in str(v) for row in values for v in row)


def test_cli_check_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, data in _real_items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(SystemExit) as exc:
        call_command("report", "check-batch", str(tmp_path), "--year", "2022", "--workers", "1")
    assert exc.value.code == 1  # the 2022 report has a contradiction
    out = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in out] == [2022]
