"""Render a report document to HTML, PDF, DOCX, XLSX and JSON, and read an XLSX back.

* HTML — a standalone page (charts as PNG with their text alternatives); the office and the
  portal pages use the same ``reports/_document.html`` with ECharts instead.
* PDF — WeasyPrint from ``reports/pdf/report.html`` with Noto Serif/Sans CJK embedded (subset;
  from faces cut down once to the common characters where built, see :mod:`.pdffonts`).
* DOCX — python-docx: real tables with merged header cells as in the official layout, charts as
  pictures with their alternative text.
* XLSX — openpyxl: one sheet per table in the official layout (merged header cells, frozen
  header rows), and a 说明 sheet; :func:`read_xlsx` reads the figures back by the same layout.
* JSON — the report schema (docs/report-json-schema.md) plus ``narrative``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from gongkai.core.archives import ArchiveError, check_archive
from gongkai.reports import formats
from gongkai.reports.builders import pdffonts
from gongkai.reports.builders.document import ReportDocument
from gongkai.reports.builders.layout import Grid, grids
from gongkai.reports.charts import chart_png
from gongkai.reports.compute import cell_label, set_cell
from gongkai.reports.schema import empty_report, table2_format

FORMATS = ("json", "html", "pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def hand_entered_notes(doc: ReportDocument) -> list[str]:
    """Return one line per hand-entered cell: which cell, who entered it and the source."""
    hand = doc.data.get("hand_entered") or {}
    t2 = table2_format(doc.data) if doc.fmt != 2008 else None
    return [
        f"{cell_label(doc.fmt, cell, t2)}：{entry.get('value')}（{entry.get('by') or '—'}录入，来源：{entry.get('source') or '—'}）"
        for cell, entry in hand.items()
    ]


def _png_charts(doc: ReportDocument) -> dict[str, str]:
    return {c.key: base64.b64encode(chart_png(c)).decode("ascii") for c in doc.charts()}


def render_html(doc: ReportDocument) -> bytes:
    """Return a standalone HTML page of the report (charts embedded as PNG)."""
    html = render_to_string(
        "reports/export.html",
        {
            "doc": doc,
            "pngs": _png_charts(doc),
            "static_charts": True,
            "notes": hand_entered_notes(doc),
        },
    )
    return html.encode("utf-8")


def render_pdf(doc: ReportDocument) -> bytes:
    """Return the report as PDF (A4; CJK fonts embedded by WeasyPrint)."""
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf/report.html",
        {
            "doc": doc,
            "pngs": _png_charts(doc),
            "static_charts": True,
            "notes": hand_entered_notes(doc),
        },
    )
    fonts = pdffonts.stylesheet()
    if fonts is None:  # the pre-subset faces are not built: the system's full fonts
        return HTML(string=html, base_url=None).write_pdf()
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=[fonts.stylesheet], font_config=fonts.config
    )


def render_json(doc: ReportDocument) -> bytes:
    """Return the report as JSON: the schema's tables plus ``narrative`` (and version facts)."""
    data = dict(doc.data)
    data["narrative"] = dict(doc.narrative)
    if doc.version:
        data["version"] = {
            "number": doc.version,
            "published_on": doc.published_on,
            "correction_note": doc.correction_note,
        }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# -- DOCX ------------------------------------------------------------------------------------


def set_east_asian_font(run_or_style: Any, font: str) -> None:
    """Name ``font`` for every script of a DOCX run or style (CJK text included)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def official_docx(body_pt: float) -> Any:
    """A new DOCX on A4 with the 公文 margins (GB/T 9704) and the body font at ``body_pt``."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.size = Pt(body_pt)
    set_east_asian_font(normal, BODY_FONT)
    return document


def _docx_table(document: Any, grid: Grid) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    table = document.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(7.5 if grid.columns > 10 else 9)
    # every grid position's cell, taken once: ``table.cell(r, c)`` walks the whole table on
    # each call. Spans never overlap, so a merge leaves the other positions' cells intact.
    cells = table._cells
    for r, c, cell in grid.positions():
        target = cells[r * grid.columns + c]
        if cell.rowspan > 1 or cell.colspan > 1:
            end = cells[(r + cell.rowspan - 1) * grid.columns + c + cell.colspan - 1]
            target = target.merge(end)
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.text)
        run.font.size = size
        run.bold = cell.header
        if cell.is_number or cell.header:
            paragraph.alignment = 1  # centre
    for row_index in range(grid.header_rows):
        _repeat_header(table.rows[row_index])


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def render_docx(doc: ReportDocument) -> bytes:
    """Return the report as DOCX with real tables and merged header cells."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = official_docx(14)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.font.size = Pt(22)
    set_east_asian_font(run, TITLE_FONT)
    if doc.correction_note:
        document.add_paragraph(f"更正说明：{doc.correction_note}")
    pngs = _png_charts(doc)
    for sec in doc.sections:
        heading = document.add_paragraph()
        hrun = heading.add_run(sec.heading)
        hrun.bold = True
        hrun.font.size = Pt(16)
        set_east_asian_font(hrun, HEADING_FONT)
        for p in sec.paragraphs:
            para = document.add_paragraph()
            prun = para.add_run(p.text)
            if p.subheading:
                prun.bold = True
            else:
                para.paragraph_format.first_line_indent = Pt(28)
        if sec.grid is not None:
            _docx_table(document, sec.grid)
            if sec.number == "四" or doc.fmt == 2008:
                for note in hand_entered_notes(doc):
                    document.add_paragraph(f"手工填报：{note}")
        for chart in sec.charts:
            document.add_picture(io.BytesIO(base64.b64decode(pngs[chart.key])), width=Cm(15))
            shape = document.inline_shapes[-1]
            shape._inline.docPr.set("descr", chart.alt)
            caption = document.add_paragraph(chart.alt)
            caption.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- XLSX ------------------------------------------------------------------------------------

SHEETS = {"二": "表二", "三": "表三", "四": "表四", "统计表": "统计表"}
INFO_SHEET = "说明"
GRID_FIRST_ROW = 3  # row 1: title; row 2: blank; grid from row 3


def render_xlsx(doc: ReportDocument) -> bytes:
    """Return the tables as XLSX in the official layout (merged headers, frozen header rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows = [
        ("项目", "内容"),
        ("标题", doc.title),
        ("机关", doc.agency),
        ("统一社会信用代码", (doc.data.get("agency") or {}).get("code") or ""),
        ("年度", doc.year),
        ("统计范围", doc.scope),
        ("报告格式", doc.fmt),
        ("表二格式", table2_format(doc.data) if doc.fmt != 2008 else ""),
    ]
    rows += [("手工填报", note) for note in hand_entered_notes(doc)]
    for info_row in rows:
        info.append(list(info_row))
    info["A1"].font = info["B1"].font = Font(bold=True)
    info.freeze_panes = "A2"
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 80
    for key, grid in grids(doc.data).items():
        ws = wb.create_sheet(SHEETS[key])
        ws.cell(row=1, column=1, value=grid.title).font = Font(bold=True, size=13)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
        for r, c, cell in grid.positions():
            row, col = GRID_FIRST_ROW + r, 1 + c
            target = ws.cell(row=row, column=col, value=cell.value if cell.is_number else cell.text)
            target.alignment = Alignment(
                wrap_text=True,
                vertical="center",
                horizontal="center" if (cell.header or cell.is_number) else "left",
            )
            target.border = border
            if cell.header:
                target.font = Font(bold=True)
            if cell.manual:
                target.fill = PatternFill("solid", fgColor="FFF2CC")
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + cell.rowspan - 1,
                    end_column=col + cell.colspan - 1,
                )
        header_end = GRID_FIRST_ROW + grid.header_rows
        ws.freeze_panes = ws.cell(row=max(header_end, 2), column=1)
        for col in range(1, grid.columns + 1):
            ws.column_dimensions[get_column_letter(col)].width = 14 if grid.columns <= 4 else 11
        if key == "三":
            ws.column_dimensions["A"].width = 18
            ws.column_dimensions["B"].width = 22
            ws.column_dimensions["C"].width = 34
        if key == "统计表":
            ws.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class XlsxReadError(ValueError):
    """The workbook is not a report table in the platform's layout; ``errors`` says why."""

    def __init__(self, errors: list[str]) -> None:
        """Keep the Chinese messages."""
        super().__init__("；".join(errors))
        self.errors = errors


def read_xlsx(data: bytes) -> dict[str, Any]:
    """Read the figures of a report workbook (the layout of :func:`render_xlsx`) into a report.

    The 说明 sheet gives the format, year and agency; every figure is read at its place in the
    official layout, so a workbook filled in by hand from the platform's template reads back.
    """
    from openpyxl import load_workbook

    try:
        check_archive(data)  # the bounded reader's limits before openpyxl unpacks anything
    except ArchiveError as exc:
        raise XlsxReadError([exc.message]) from exc
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same error for people
        raise XlsxReadError([f"无法读取 Excel 文件：{exc}"]) from exc
    if INFO_SHEET not in wb.sheetnames:
        raise XlsxReadError([f"缺少“{INFO_SHEET}”工作表（请使用平台提供的模板）"])
    meta = {str(r[0]): r[1] for r in wb[INFO_SHEET].iter_rows(min_row=2, values_only=True) if r[0]}
    try:
        fmt = int(meta.get("报告格式") or 0)
        year = int(meta.get("年度") or 0)
        t2fmt = int(meta.get("表二格式") or fmt) if fmt != 2008 else None
    except (TypeError, ValueError, OverflowError):
        fmt, year, t2fmt = 0, 0, None
    if fmt not in formats.FORMATS:
        raise XlsxReadError(["“说明”工作表中的报告格式应为 2021、2019 或 2008"])
    report = empty_report(
        fmt,
        agency=meta.get("机关"),
        code=meta.get("统一社会信用代码") or None,
        year=year or None,
        table2_fmt=t2fmt,
    )
    errors: list[str] = []
    for key, grid in grids(report).items():
        name = SHEETS[key]
        if name not in wb.sheetnames:
            errors.append(f"缺少“{name}”工作表")
            continue
        ws = wb[name]
        for r, c, cell in grid.positions():
            if not cell.is_number:
                continue
            raw = ws.cell(row=GRID_FIRST_ROW + r, column=1 + c).value
            value: Any
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                value = 0
            elif isinstance(raw, int | float) and not isinstance(raw, bool):
                value = raw
            else:
                try:
                    value = float(str(raw).replace(",", "").strip())
                except ValueError:
                    errors.append(f"{name}第{GRID_FIRST_ROW + r}行第{1 + c}列不是数字：{raw!r}")
                    continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            _set(report, cell.cell or "", value)
    if errors:
        raise XlsxReadError(errors)
    return report


def _set(report: dict[str, Any], cell: str, value: Any) -> None:
    parts = cell.split(".")
    if parts[0] == "table2008":
        report["table2008"][parts[1]] = value
        return

    set_cell(report, cell, value)


#: Seconds a rendered export stays in the cache (keyed by everything it shows).
EXPORT_CACHE_SECONDS = 24 * 3600
#: Formats whose rendering is worth keeping (JSON and XLSX take milliseconds).
CACHED_FORMATS = frozenset({"html", "pdf", "docx"})


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """A hash of the renderers and report templates: a deploy that changes how exports look
    changes every cache key."""
    roots = [Path(__file__).parent, Path(settings.BASE_DIR) / "templates" / "reports"]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css"}:
                digest.update(path.read_bytes())
    digest.update(Path(chart_png.__code__.co_filename).read_bytes())
    return digest.hexdigest()[:16]


def export_key(doc: ReportDocument, fmt: str) -> str:
    raw = json.dumps(
        [
            fmt,
            doc.data,
            doc.narrative,
            doc.version,
            doc.published_on,
            doc.correction_note,
            _code_stamp(),
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return f"reportexport:{fmt}:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def render(doc: ReportDocument, fmt: str) -> bytes:
    """Render ``doc`` in one of :data:`FORMATS`.

    HTML, PDF and DOCX are rendered once per content: the bytes are kept in the cache under a
    hash of everything the export shows (figures, prose, version facts, the renderers' code),
    so repeated downloads of a report version cost a cache read.
    """
    renderer = {
        "json": render_json,
        "html": render_html,
        "pdf": render_pdf,
        "docx": render_docx,
        "xlsx": render_xlsx,
    }[fmt]
    if fmt not in CACHED_FORMATS:
        return renderer(doc)
    key = export_key(doc, fmt)
    data = cache.get(key)
    if data is None:
        data = renderer(doc)
        cache.set(key, data, EXPORT_CACHE_SECONDS)
    return bytes(data)


def filename(doc: ReportDocument, fmt: str) -> str:
    """Return a download file name, e.g. ``测试市甲局2025年政府信息公开工作年度报告.pdf``."""
    return f"{doc.title}.{fmt}"


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Return ``value`` if it is a mapping, else an empty one (for templates)."""
    return value if isinstance(value, Mapping) else {}
