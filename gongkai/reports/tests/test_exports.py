"""Every export is read back and its numbers compared with the computed tables."""

from __future__ import annotations

import io
import json
import re

import pytest

from gongkai.reports import formats
from gongkai.reports.builders import exports
from gongkai.reports.builders.document import build_document
from gongkai.reports.builders.layout import grids
from gongkai.reports.compute import compute_report
from gongkai.reports.narrative import draft
from gongkai.reports.schema import load_report, table3_by_key
from gongkai.reports.tests.ledger import standard_ledger

YEAR = 2025


@pytest.fixture
def report(tree):
    standard_ledger(tree.dept_a, YEAR)
    data = compute_report(tree.dept_a, YEAR, consolidated=False)
    data["hand_entered"] = {
        "table2.penalties.decisions": {"value": 0, "by": "张三", "source": "执法系统", "at": ""}
    }
    return data


def _figures(data):
    """Every figure cell of the report in layout order, as numbers."""
    return [
        (cell.cell, float(cell.value or 0))
        for grid in grids(data).values()
        for _, _, cell in grid.positions()
        if cell.is_number
    ]


def test_json_export_is_the_schema_with_the_same_figures(report):
    """The JSON validates against the schema and carries the computed tables."""
    doc = build_document(report, draft(report))
    loaded = load_report(exports.render_json(doc))
    assert table3_by_key(loaded) == table3_by_key(report)
    assert loaded["table4"] == report["table4"]
    assert loaded["table2"] == report["table2"]
    assert set(loaded["narrative"]) == {"一", "五", "六"}


def test_xlsx_export_reads_back_identically(report):
    """The workbook has the official layout (frozen header, merged cells) and reads back."""
    from openpyxl import load_workbook

    data = exports.render_xlsx(build_document(report, {}))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["表三"]
    assert ws.freeze_panes == "A6"
    assert ws.cell(row=3, column=1).value == formats.TABLE3_NOTE
    assert "A3:C5" in {str(r) for r in ws.merged_cells.ranges}
    back = exports.read_xlsx(data)
    assert table3_by_key(back) == table3_by_key(report)
    assert back["table4"] == report["table4"]
    assert back["table2"] == report["table2"]


def test_docx_export_has_real_tables_with_the_figures(report):
    """The DOCX holds the three tables; their figure cells equal the computed ones."""
    import docx

    doc = build_document(report, draft(report))
    document = docx.Document(io.BytesIO(exports.render_docx(doc)))
    assert len(document.tables) == 3
    text = "\n".join(p.text for p in document.paragraphs)
    for section in formats.SECTIONS:
        assert section.heading in text
    for table, grid in zip(document.tables, grids(report).values(), strict=True):
        for r, c, cell in grid.positions():
            got = table.cell(r, c).text
            assert got == cell.text, (grid.title, r, c)
    # the merged header of table 三 spans three rows and three columns
    t3 = document.tables[1]
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert len(document.inline_shapes) == 4


def test_pdf_export_embeds_cjk_fonts_and_reads_back(report):
    """The PDF text contains every heading and the figures of table 三 in order."""
    from pypdf import PdfReader

    doc = build_document(report, draft(report))
    reader = PdfReader(io.BytesIO(exports.render_pdf(doc)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for section in formats.SECTIONS:
        assert section.heading in text.replace(" ", "")
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("CJK" in f for f in fonts), fonts
    total = next(r for r in report["table3"] if r["key"] == "r7_total")["values"]
    assert " ".join(str(v) for v in total) in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_parser_reads_every_export_back_to_identical_figures(report, fmt):
    """Round trip: ``gongkai report parse`` recovers the tables of a built report."""
    from gongkai.reports.parsing import parse_report

    doc = build_document(report, draft(report))
    result = parse_report(exports.render(doc, fmt), f"report.{fmt}")
    parsed = result.report()
    assert parsed["format"] == 2021
    assert table3_by_key(parsed) == table3_by_key(report)
    assert parsed["table4"] == report["table4"]
    assert json.loads(json.dumps(parsed["table2"])) == report["table2"]


def test_exports_and_charts_are_rendered_once_per_content(report):
    """A second export of the same report version is the cached bytes; any change to what
    it shows (here the prose) is a new key, so a cached export is never stale."""
    from django.core.cache import cache

    from gongkai.reports.charts import chart_png

    doc = build_document(report, draft(report))
    first = exports.render(doc, "docx")
    assert cache.get(exports.export_key(doc, "docx")) == first
    assert exports.render(doc, "docx") == first
    changed = build_document(report, {**draft(report), "一": "本年度另写的总体情况。"})
    assert exports.export_key(changed, "docx") != exports.export_key(doc, "docx")
    assert "本年度另写的总体情况" in _docx_text(exports.render(changed, "docx"))
    chart = doc.charts()[0]
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG") and chart_png(chart) == png


def _docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
