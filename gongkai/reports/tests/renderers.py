"""A small renderer of reports in the official table layout, for tests and the benchmark.

Not the real exporters (those come with the report builder): it lays out tables 二, 三, 四 and
the 2008 statistics table exactly as the formats do (merged header cells included) and writes
them the ways published pages do — HTML with rowspan/colspan, DOCX with merged cells, a text
PDF, ``|`` tables, one cell per line, whitespace-separated rows — with the variations the parser
must cope with (full-width digits, ASCII brackets, empty cells for zero, blank sub-row totals,
labels broken across lines, ``，`` instead of ``、``).
"""

from __future__ import annotations

import html
import io
import random
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import formats
from gongkai.reports.schema import Report, empty_report

TEXT_LAYOUTS = ("rows_ws", "rows_pipe", "cells_per_line", "cells_pipe")
LAYOUTS = (*TEXT_LAYOUTS, "html", "docx", "pdf")
BLANK_CAPABLE = ("rows_pipe", "cells_pipe", "html", "docx")


@dataclass(frozen=True)
class Style:
    """How to write a report."""

    layout: str = "html"
    fullwidth_digits: bool = False
    ascii_brackets: bool = False
    blank_zeros: bool = False  # zero cells left empty (only where empty cells are visible)
    blank_subtotals: bool = False  # 总计 of table-三 sub-rows left empty (R-SH2019 style)
    broken_labels: bool = False  # long labels broken across lines
    comma_in_six: bool = False  # （六）1/2 written with "，" instead of "、"
    extras: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Random valid reports
# --------------------------------------------------------------------------------------------


def random_report(rng: random.Random, fmt: int, table2_fmt: int | None = None) -> Report:
    """Return a report of format ``fmt`` whose figures satisfy H1–H4 (and L1 for 2008)."""
    year = {
        2021: rng.randint(2021, 2025),
        2019: rng.randint(2019, 2020),
        2008: rng.randint(2009, 2018),
    }[fmt]
    report = empty_report(fmt, agency="测试市某某局", year=year, table2_fmt=table2_fmt)
    small = lambda hi=9: rng.choice([0, 0, 0, rng.randint(0, hi), rng.randint(0, 300)])  # noqa: E731
    if fmt == 2008:
        t = report["table2008"]
        for row in formats.TABLE2008_DATA_ROWS:
            t[row.key] = (
                round(rng.uniform(0, 500), rng.choice([0, 2])) if row.decimal else small(50)
            )
            if row.decimal and float(t[row.key]).is_integer():
                t[row.key] = int(t[row.key])
        for total, parts in reversed(formats.TABLE2008_SUMS):
            t[total] = sum(t[p] for p in parts)
        return report
    rows = {r["key"]: r["values"] for r in report["table3"]}
    outcome_keys = formats.TABLE3_OUTCOME_KEYS[fmt]
    for c in range(6):
        for k in outcome_keys:
            rows[k][c] = small()
        rows["r7_total"][c] = sum(rows[k][c] for k in outcome_keys)
        rows["carried_out"][c] = small(5)
        rows["carried_in"][c] = rng.randint(0, rows["r7_total"][c] + rows["carried_out"][c])
        rows["new"][c] = rows["r7_total"][c] + rows["carried_out"][c] - rows["carried_in"][c]
    for values in rows.values():
        values[6] = sum(values[:6])
    for group in formats.TABLE4_GROUPS:
        v = [small(5) for _ in range(4)]
        report["table4"][group] = [*v, sum(v)]
    t2fmt = table2_fmt or fmt
    for block in formats.TABLE2[t2fmt].blocks:
        for t2row in block.rows:
            for col in block.columns:
                if col.decimal:
                    value: int | float = round(rng.uniform(0, 5000), rng.choice([0, 1, 2, 3]))
                    value = int(value) if float(value).is_integer() else value
                elif col.signed:
                    value = rng.randint(-20, 20)
                else:
                    value = small(99)
                report["table2"][t2row.key][col.key] = value
    return report


# --------------------------------------------------------------------------------------------
# Table models: rows of (text, rowspan, colspan); numbers are kept as values until rendering
# --------------------------------------------------------------------------------------------


@dataclass
class C:
    """A cell of the layout: label text or a figure, with its spans."""

    text: str | None = None
    value: Any = None
    rowspan: int = 1
    colspan: int = 1
    is_value: bool = False
    subtotal: bool = False


def _v(value: Any, subtotal: bool = False, colspan: int = 1) -> C:
    return C(value=value, is_value=True, subtotal=subtotal, colspan=colspan)


def _label(text: str, style: Style) -> str:
    if style.ascii_brackets:
        text = text.replace("（", "(").replace("）", ")")
    if style.comma_in_six:
        text = text.replace("、行政机关不再处理", "，行政机关不再处理")
    return text


def table2_model(report: Report, style: Style) -> list[list[C]]:
    """Lay out table 二 in the report's table-二 format."""
    t2fmt = int(report.get("table2_format") or report["format"])
    rows: list[list[C]] = []
    for block in formats.TABLE2[t2fmt].blocks:
        rows.append([C(_label(block.caption, style), colspan=4)])
        header = [C(block.first_header)]
        if t2fmt == 2021 and len(block.columns) == 1:
            header.append(C(_label(block.columns[0].label, style), colspan=3))
        else:
            header += [C(col.label) for col in block.columns]
            header += [C("")] * (3 - len(block.columns))
        rows.append(header)
        for row in block.rows:
            cells = [C(row.label)]
            values = report["table2"][row.key]
            if t2fmt == 2021 and len(block.columns) == 1:
                cells.append(_v(values[block.columns[0].key], colspan=3))
            else:
                cells += [_v(values[col.key]) for col in block.columns]
                cells += [C("")] * (3 - len(block.columns))
            rows.append(cells)
    return rows


def table3_model(report: Report, style: Style) -> list[list[C]]:
    """Lay out table 三 with its three header rows and merged label cells."""
    fmt = int(report["format"])
    rows: list[list[C]] = [
        [C(formats.TABLE3_NOTE, rowspan=3, colspan=3), C(formats.TABLE3_APPLICANTS, colspan=7)],
        [
            C("自然人", rowspan=2),
            C(formats.TABLE3_LEGAL_PERSONS, colspan=5),
            C("总计", rowspan=2),
        ],
        [C(x) for x in formats.TABLE3_COLUMNS[1:6]],
    ]
    spec_rows = formats.TABLE3_ROWS[fmt]
    level2_spans: dict[str, int] = {}
    for r in spec_rows:
        if r.level3:
            level2_spans[r.level2] = level2_spans.get(r.level2, 0) + 1
    result_rows = sum(1 for r in spec_rows if r.level1 == "三、本年度办理结果")
    seen_l1: set[str] = set()
    seen_l2: set[str] = set()
    values = {r["key"]: r["values"] for r in report["table3"]}
    for r in spec_rows:
        cells: list[C] = []
        if not r.level2:
            cells.append(C(_label(r.level1, style), colspan=3))
        else:
            if r.level1 not in seen_l1:
                seen_l1.add(r.level1)
                cells.append(C(_label(r.level1, style), rowspan=result_rows))
            if not r.level3:
                cells.append(C(_label(r.level2, style), colspan=2))
            else:
                if r.level2 not in seen_l2:
                    seen_l2.add(r.level2)
                    cells.append(C(_label(r.level2, style), rowspan=level2_spans[r.level2]))
                cells.append(C(_label(r.level3, style)))
        sub = bool(r.level3)
        cells += [_v(v, subtotal=sub and i == 6) for i, v in enumerate(values[r.key])]
        rows.append(cells)
    return rows


def table4_model(report: Report, style: Style) -> list[list[C]]:
    """Lay out table 四: three header rows and one row of 15 figures."""
    cols = formats.TABLE4_COLUMNS
    return [
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [
            *(C(x, rowspan=2) for x in cols),
            C("未经复议直接起诉", colspan=5),
            C("复议后起诉", colspan=5),
        ],
        [C(x) for x in cols * 2],
        [_v(v) for g in formats.TABLE4_GROUPS for v in report["table4"][g]],
    ]


def table2008_model(report: Report, style: Style) -> list[list[C]]:
    """Lay out the 2008 statistics table: 统计指标 | 单位 | 统计数."""
    rows = [[C("统计指标"), C("单位"), C("统计数")]]
    for row in formats.TABLE2008_ROWS:
        if row.is_heading:
            rows.append([C(_label(row.label, style)), C("——"), C("")])
        else:
            rows.append(
                [C(_label(row.label, style)), C(row.unit), _v(report["table2008"][row.key])]
            )
    return rows


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------

_FW = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def _num(value: Any, style: Style, cell: C) -> str:
    if style.blank_zeros and style.layout in BLANK_CAPABLE and value == 0:
        return ""
    if style.blank_subtotals and style.layout in BLANK_CAPABLE and cell.subtotal:
        return ""
    text = str(value)
    return text.translate(_FW) if style.fullwidth_digits else text


def _cell_text(cell: C, style: Style) -> str:
    return _num(cell.value, style, cell) if cell.is_value else (cell.text or "")


def _break(text: str, style: Style, sep: str) -> str:
    if style.broken_labels and len(text) > 12:
        cut = len(text) // 2 + 1
        return text[:cut] + sep + text[cut:]
    return text


def _tables(report: Report, style: Style) -> list[tuple[str, list[list[C]]]]:
    if report["format"] == 2008:
        return [("2008", table2008_model(report, style))]
    return [
        ("二", table2_model(report, style)),
        ("三", table3_model(report, style)),
        ("四", table4_model(report, style)),
    ]


def _title(report: Report) -> str:
    return f"{report['agency']['name']}{report['year']}年政府信息公开工作年度报告"


_SECTION_HEADINGS = {s.number: s.heading for s in formats.SECTIONS}


def _blocks(report: Report) -> list[tuple[str, Any]]:
    """The document as a list of ("p", text) and ("table", model) blocks."""
    title = _title(report)
    intro = (
        f"根据《中华人民共和国政府信息公开条例》，现公布{report['agency']['name']}"
        f"{report['year']}年政府信息公开工作年度报告。本报告数据统计期限为{report['year']}年1月1日至12月31日。"
    )
    blocks: list[tuple[str, Any]] = [("p", title), ("p", intro)]
    if report["format"] == 2008:
        blocks += [
            ("p", "一、概述"),
            ("p", "本年度政府信息公开工作稳步推进。"),
            ("p", "附件"),
            ("p", formats.TABLE2008_TITLE),
            ("p", f"（{report['year']}年度）"),
        ]
        return [*blocks, ("table", _tables(report, Style())[0][1])]
    blocks += [("p", _SECTION_HEADINGS["一"]), ("p", "本年度认真贯彻落实条例，各项工作有序开展。")]
    for number, (name, _) in zip(("二", "三", "四"), _tables(report, Style()), strict=True):
        blocks.append(("p", _SECTION_HEADINGS[number]))
        blocks.append(("table", name))
    blocks += [
        ("p", _SECTION_HEADINGS["五"]),
        ("p", "一是公开质量有待提升；二是解读回应有待加强。"),
        ("p", _SECTION_HEADINGS["六"]),
        ("p", "本年度未收取信息处理费。"),
    ]
    return blocks


def _models(report: Report, style: Style) -> dict[str, list[list[C]]]:
    return dict(_tables(report, style))


def render(report: Report, style: Style) -> bytes | str:
    """Render ``report`` in ``style`` (bytes for DOCX and PDF, text otherwise)."""
    if style.layout == "html":
        return render_html(report, style)
    if style.layout == "docx":
        return render_docx(report, style)
    if style.layout == "pdf":
        return render_pdf(report, style)
    return render_text(report, style)


def _iter_blocks(report: Report, style: Style) -> list[tuple[str, Any]]:
    models = _models(report, style)
    out = []
    for kind, content in _blocks(report):
        if kind == "table":
            content = models["2008"] if report["format"] == 2008 else models[content]
        out.append((kind, content))
    return out


def render_text(report: Report, style: Style) -> str:
    """Write the report as plain text in one of :data:`TEXT_LAYOUTS`."""
    lines: list[str] = []
    for kind, content in _iter_blocks(report, style):
        if kind == "p":
            lines.append(content)
            continue
        for row in content:
            texts = [_break(_cell_text(c, style), style, "\n") for c in row]
            if style.layout == "rows_ws":
                lines.append(" ".join(t for t in texts if t))
            elif style.layout == "rows_pipe":
                lines.append("| " + " | ".join(texts) + " |")
            elif style.layout == "cells_per_line":
                lines += [t for t in texts if t]
            elif style.layout == "cells_pipe":
                lines.append("|")
                lines += [f"{t} |" for t in texts]
        if style.layout == "cells_pipe":
            lines.append("|")
    return "\n".join(lines) + "\n"


def render_html(report: Report, style: Style) -> str:
    """Write the report as an HTML page with real tables (rowspan/colspan)."""
    parts = [
        f"<html><head><meta charset='utf-8'><title>{html.escape(_title(report))}</title></head><body>"
    ]
    for kind, content in _iter_blocks(report, style):
        if kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
            continue
        parts.append("<table border='1'>")
        for row in content:
            parts.append("<tr>")
            for c in row:
                attrs = (f" rowspan='{c.rowspan}'" if c.rowspan > 1 else "") + (
                    f" colspan='{c.colspan}'" if c.colspan > 1 else ""
                )
                text = _break(html.escape(_cell_text(c, style)), style, "<br/>")
                parts.append(f"<td{attrs}><p>{text}</p></td>")
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_docx(report: Report, style: Style) -> bytes:
    """Write the report as DOCX with real tables and merged cells (python-docx)."""
    import docx

    document = docx.Document()
    for kind, content in _iter_blocks(report, style):
        if kind == "p":
            document.add_paragraph(content)
            continue
        width = sum(c.colspan for c in content[0])
        table = document.add_table(rows=len(content), cols=width)
        occupied: set[tuple[int, int]] = set()
        for r, row in enumerate(content):
            col = 0
            for c in row:
                while (r, col) in occupied:
                    col += 1
                target = table.cell(r, col)
                if c.rowspan > 1 or c.colspan > 1:
                    target = target.merge(table.cell(r + c.rowspan - 1, col + c.colspan - 1))
                text = _cell_text(c, style)
                if style.broken_labels and len(text) > 12:
                    cut = len(text) // 2 + 1
                    target.paragraphs[0].text = text[:cut]
                    target.add_paragraph(text[cut:])
                else:
                    target.paragraphs[0].text = text
                for dr in range(c.rowspan):
                    for dc in range(c.colspan):
                        occupied.add((r + dr, col + dc))
                col += c.colspan
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_pdf(report: Report, style: Style) -> bytes:
    """Write the report as a text PDF, one table row per line (reportlab, built-in CJK font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text = render_text(report, Style(**{**style.__dict__, "layout": "rows_ws"}))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    y = 800
    for line in text.splitlines():
        if y < 40:
            pdf.showPage()
            y = 800
        pdf.setFont("STSong-Light", 7)
        pdf.drawString(20, y, line)
        y -= 10
    pdf.save()
    return out.getvalue()


def random_style(rng: random.Random, layout: str | None = None) -> Style:
    """Return a random style (layout and variations)."""
    layout = layout or rng.choice(LAYOUTS)
    return Style(
        layout=layout,
        fullwidth_digits=rng.random() < 0.3,
        ascii_brackets=rng.random() < 0.3,
        blank_zeros=layout in BLANK_CAPABLE and rng.random() < 0.4,
        blank_subtotals=layout in BLANK_CAPABLE and rng.random() < 0.3,
        broken_labels=rng.random() < 0.3,
        comma_in_six=rng.random() < 0.5,
    )


def figures(report: Report) -> dict[str, Any]:
    """Return only the figures of a report (for comparing a parse with its source)."""
    if report["format"] == 2008:
        return {"table2008": report["table2008"]}
    return {
        "table2": report["table2"],
        "table3": {r["key"]: r["values"] for r in report["table3"]},
        "table4": report["table4"],
    }
