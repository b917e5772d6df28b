"""``gongkai report parse`` and ``gongkai report check``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.schema import empty_report


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_parse_prints_json_and_messages_go_to_stderr(seeds: Path) -> None:
    """The JSON on stdout has the schema fields plus provenance, checks and gaps."""
    status, out, err = _run("parse", str(seeds / "004_46a79f360febb970.txt"))
    assert status == 0
    data = json.loads(out)
    for key in (
        "format",
        "agency",
        "year",
        "table2",
        "table3",
        "table4",
        "agency_name",
        "sources",
        "checks",
        "not_found",
        "prose_figures",
    ):
        assert key in data
    assert data["agency_name"] == "汕尾市人民政府" and data["year"] == 2020
    assert {c["code"] for c in data["checks"]} >= {"P1", "P2"}
    assert "未找到：表三" in err


def test_parse_2008_seed_outputs_table2008(seeds: Path) -> None:
    """Seed 001 prints its statistics table."""
    status, out, _ = _run("parse", str(seeds / "001_97ee47eec622cd46.txt"), "--compact")
    data = json.loads(out)
    assert data["format"] == 2008 and data["table2008"]["received"] == 24


def test_check_exit_status(tmp_path: Path) -> None:
    """check exits 0 when the identities hold, 1 on a hard failure, 2 on an invalid file."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(empty_report(2021, year=2023), ensure_ascii=False))
    assert _run("check", str(good))[0] == 0
    bad_report = empty_report(2021, year=2023)
    bad_report["table3"][0]["values"][0] = 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_report, ensure_ascii=False))
    status, out, err = _run("check", str(bad))
    assert status == 1
    assert "H3 第1行（一、本年新收政府信息公开申请数量）：总计=0，各类申请人之和=3" in out
    assert "H1 第1列（自然人）" in out
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"format": 2021, "table3": 5}')
    status, _, err = _run("check", str(invalid))
    assert status == 2 and "table3 必须是数组" in err


def test_check_runs_on_parse_output(seeds: Path, tmp_path: Path) -> None:
    """The output of parse is a valid input of check (nulls allowed)."""
    _, out, _ = _run("parse", str(seeds / "001_97ee47eec622cd46.txt"))
    path = tmp_path / "001.json"
    path.write_text(out)
    status, out, _ = _run("check", str(path))
    assert status == 0 and "L3" in out
    _, out, _ = _run("parse", str(seeds / "004_46a79f360febb970.txt"))
    path.write_text(out)
    status, out, _ = _run("check", str(path))
    assert status == 0 and "P1" in out and "P2" in out


@pytest.mark.parametrize("missing", ["/nonexistent/report.txt"])
def test_parse_unreadable_file(missing: str) -> None:
    """A missing file is reported on stderr with exit status 2."""
    status, _, err = _run("parse", missing)
    assert status == 2 and "无法读取文件" in err
