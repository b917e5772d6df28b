"""The synthetic corpus: every cell of every fixture, in all three formats and many layouts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.reports.parsing import parse_report
from gongkai.reports.tests.renderers import figures

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if not p.name.endswith(".json"))
EXPECTED = [p for p in CASES if (CORPUS / f"{p}.expected.json").exists()]


@pytest.mark.parametrize("name", EXPECTED)
def test_corpus_fixture_parses_to_its_figures(name: str) -> None:
    """Each fixture parses to exactly its figures, with the agency, year and format."""
    expected: dict[str, Any] = json.loads((CORPUS / f"{name}.expected.json").read_text())
    result = parse_report((CORPUS / name).read_bytes(), name)
    out = result.to_json()
    assert out["format"] == expected["format"]
    assert out["year"] == expected["year"]
    assert out["agency_name"] == expected["agency_name"]
    assert out.get("table2_format", out["format"]) == expected.get(
        "table2_format", expected["format"]
    )
    got = figures(out)
    for table in ("table2", "table3", "table4", "table2008"):
        if table in expected:
            assert got[table] == expected[table], table
    assert result.not_found == []
    assert not result.hard_failures
    # Every figure has a source.
    for table in ("table3", "table2008"):
        if table in expected:
            cells = expected[table]
            n = sum(len(v) for v in cells.values()) if table == "table3" else len(cells)
            assert sum(1 for k in result.sources if k.startswith(table + ".")) == n


def test_mixed_formats_are_detected_per_table() -> None:
    """A 2023 report with the 2019 table 二 and the 2021 table 三."""
    result = parse_report((CORPUS / "2023_mixed_table2_2019.html").read_bytes())
    assert (result.table2_format, result.table3_format) == (2019, 2021)
    assert any("表二使用2019年格式" in n for n in result.notes)


def test_blank_totals_are_the_row_sums() -> None:
    """2019 blank sub-row totals (R-SH2019 style) are derived and marked (S5)."""
    result = parse_report((CORPUS / "2019_blank_totals.html").read_bytes())
    assert result.sources["table3.r3_1.6"]["derived"] == "sum"
    assert "blank" not in result.sources["table3.new.6"]
    assert any(c.code == "S5" and "总计栏空白" in c.message for c in result.checks)


def test_html_sources_name_table_row_and_column() -> None:
    """An HTML cell's source is its table, row and column (1-based) and its line."""
    result = parse_report((CORPUS / "2021_cms_layout.html").read_bytes())
    src = result.sources["table3.new.0"]
    assert src["table"] == 2 and src["row"] == 4 and src["col"] == 4
    assert "line" in src


def test_handwritten_inconsistent_report() -> None:
    """A hand-typed report: tabs, ASCII brackets, broken labels, and wrong sums reported."""
    result = parse_report((CORPUS / "2022_handwritten_inconsistent.txt").read_bytes())
    assert result.format == 2021 and result.year == 2022
    assert result.agency_name == "云岭县自然资源局"
    assert result.not_found == []
    t3 = {r["key"]: r["values"] for r in result.table3 or []}
    assert t3["r4_1"] == [8, 1, 0, 0, 0, 0, 10]
    assert t3["r5_5"] == [0] * 7
    assert t3["r6_3"] == [2, 1, 0, 0, 1, 0, 4]
    assert result.table2 == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
        "licensing": {"decisions": 356}, "penalties": {"decisions": 21},
        "coercion": {"decisions": 0}, "fees": {"amount": 12.5},
    }  # fmt: skip
    assert result.table4 == {
        "行政复议": [1, 0, 0, 1, 2],
        "未经复议直接起诉": [0, 1, 0, 0, 1],
        "复议后起诉": [0, 0, 0, 0, 1],
    }
    messages = [c.message for c in result.hard_failures]
    assert "H1 第3列（科研机构）：一+二=2，三（七）+四=1" in messages
    assert "H3 第13行（1.本机关不掌握相关政府信息）：总计=10，各类申请人之和=9" in messages
    assert "H2 第7列（总计）：（七）总计=45，（一）至（六）各项之和=46" in messages
    assert "H4 复议后起诉：总计=1，结果维持+结果纠正+其他结果+尚未审结=0" in messages
    s6 = next(c for c in result.checks if c.code == "S6")
    assert s6.figures["正文"] == [50] and s6.figures["表格"] == 48
    # The (six) label written with "，" was recognised.
    assert result.sources["table3.r6_1.0"]["line"] > 0


def test_ambiguous_row_is_reported_not_guessed() -> None:
    """A whitespace row with a missing figure: the row is null and named in not_found."""
    text = (CORPUS / "2022_handwritten_inconsistent.txt").read_text()
    text = text.replace("2.重复申请\t1\t0\t0\t0\t0\t0\t1", "2.重复申请\t1\t0\t0\t0\t1")
    result = parse_report(text)
    t3 = {r["key"]: r["values"] for r in result.table3 or []}
    assert t3["r5_2"] == [None] * 7
    assert any("2.重复申请" in n and "找到5个" in n for n in result.not_found)
