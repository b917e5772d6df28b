"""Read a published annual report (plain text, HTML, DOCX or text PDF) into figures.

``parse_report(source, filename)`` returns a :class:`ParseResult`: the report in the JSON shape
of :mod:`gongkai.reports.schema` (tables 二, 三, 四 — or the 2008 statistics table), the agency
and year found in the text, where every cell came from, the failed checks, the figures stated
in the prose, and a list of what could not be found. Nothing is guessed: a cell that cannot be
read unambiguously stays null and is named in ``not_found``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import formats
from ..checks import CheckFailure, check_prose_against_tables, run_checks
from .merge import (
    apply_table3,
    apply_table4,
    prefer_tolerant,
    record_table3_cells,
    record_table4_cells,
    table3_complete,
)
from .meta import find_agency, find_year
from .normalize import to_json_number
from .prose import ProseFigure, check_figures, extract_figures
from .sources import Document, read_document
from .tables import (
    CellValue,
    TableResult,
    build_runs,
    read_table,
    read_table2,
    read_table3,
    read_table4,
    table2008_specs,
)
from .tolerant import read_tables

__all__ = ["ParseResult", "parse_report", "parse_document"]


@dataclass
class ParseResult:
    """Everything read from one report; :meth:`to_json` gives the CLI's output."""

    input_kind: str
    format: int | None = None
    format_basis: str | None = None
    table2_format: int | None = None
    table3_format: int | None = None
    agency_name: str | None = None
    agency_candidates: list[str] = field(default_factory=list)
    year: int | None = None
    table2: dict[str, dict[str, int | float | None]] | None = None
    table3: list[dict[str, Any]] | None = None
    table4: dict[str, list[int | float | None]] | None = None
    table2008: dict[str, int | float | None] | None = None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    prose_figures: list[ProseFigure] = field(default_factory=list)
    checks: list[CheckFailure] = field(default_factory=list)
    #: Every table cell: value, status (read/blank/derived/ambiguous/missing), how, source.
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    table3_method: str | None = None

    def report(self) -> dict[str, Any]:
        """Return the report part (the schema of :mod:`gongkai.reports.schema`)."""
        out: dict[str, Any] = {
            "format": self.format,
            "agency": {"name": self.agency_name, "code": None},
            "year": self.year,
        }
        if self.format == 2008:
            out["table2008"] = self.table2008
            return out
        if self.table2_format is not None and self.table2_format != self.format:
            out["table2_format"] = self.table2_format
        out["table2"] = self.table2
        out["table3"] = self.table3
        out["table4"] = self.table4
        return out

    def to_json(self) -> dict[str, Any]:
        """Return the full parse output: the report plus provenance, checks and gaps."""
        out = self.report()
        if self.format != 2008 and self.table2008 is not None:
            out["table2008"] = self.table2008
        out.update(
            {
                "input_kind": self.input_kind,
                "format_basis": self.format_basis,
                "table3_format": self.table3_format,
                "agency_name": self.agency_name,
                "agency_candidates": self.agency_candidates,
                "sources": self.sources,
                "checks": [c.to_dict() for c in self.checks],
                "cells": self.cells,
                "table3_method": self.table3_method,
                "not_found": self.not_found,
                "notes": self.notes,
                "prose_figures": [f.to_dict() for f in self.prose_figures],
            }
        )
        return out

    @property
    def hard_failures(self) -> list[CheckFailure]:
        """Return the failed hard identities."""
        return [c for c in self.checks if c.is_hard]


def parse_report(source: bytes | str, filename: str | None = None) -> ParseResult:
    """Parse a published report given as bytes (any supported kind) or text."""
    return parse_document(read_document(source, filename))


def _src(cell: CellValue) -> dict[str, Any]:
    src = dict(cell.source)
    if cell.blank:
        src["blank"] = True
    if cell.derived:
        src["derived"] = "sum"
    return src


def _problem_text(problem: str | None, what: str, n: int) -> str:
    if problem == "label" or problem is None:
        return f"{what}：未找到该行"
    _, count, figures = problem.split(":", 2)
    return f"{what}：找到{count}个单元格（应为{n}个），无法确定各数字所属的列：{figures}"


def parse_document(doc: Document) -> ParseResult:
    """Recognise tables, metadata and prose figures in a read document."""
    result = ParseResult(doc.kind)
    tokens = doc.tokens
    runs = build_runs(tokens)
    blanks: list[str] = []
    derived: list[str] = []

    year = find_year(doc.lines)
    if year is not None:
        result.year = int(year.value)
        result.sources["year"] = {**year.source, "method": year.method, "text": year.text}
    else:
        result.not_found.append("报告年度：未在正文中找到")
    agency, candidates = find_agency(doc.lines)
    if agency is not None:
        result.agency_name = str(agency.value)
        result.sources["agency"] = {**agency.source, "method": agency.method, "text": agency.text}
    else:
        result.agency_candidates = candidates
        hint = f"（正文中最常出现的地名：{'、'.join(candidates)}，仅供参考）" if candidates else ""
        result.not_found.append(f"机关名称：未在正文中找到{hint}")

    # Table 三 first: it is the most distinctive and bounds tables 二 and 四.
    t3fmt, t3 = read_table3(tokens, runs)
    if t3fmt is not None:
        result.table3_format = t3fmt
        result.table3 = []
        for i, row in enumerate(formats.TABLE3_ROWS[t3fmt], start=1):
            rr = t3.rows[row.key]
            what = f"表三第{i}行（{row.label}）"
            values: list[int | float | None]
            if rr.cells is None:
                values = [None] * len(formats.TABLE3_COLUMNS)
                result.not_found.append(_problem_text(rr.problem, what, 7))
            else:
                values = [to_json_number(c.value) for c in rr.cells]
                for c, cell in enumerate(rr.cells):
                    path = f"table3.{row.key}.{c}"
                    result.sources[path] = _src(cell)
                    if cell.derived:
                        derived.append(f"{what}总计")
                    elif cell.blank:
                        blanks.append(f"{what}{formats.TABLE3_COLUMNS[c]}")
                if rr.note:
                    result.notes.append(f"{what}：{rr.note}")
            result.table3.append({"key": row.key, "label": row.label, "values": values})
    else:
        missing_tables = ["表三（收到和处理政府信息公开申请情况）：未找到"]

    if t3fmt is not None:
        missing_tables = []
    # The tolerant reading (decision 1901) replaces table 三 where it knows more.
    tol3, tol4 = (None, None) if table3_complete(result) else read_tables(tokens)
    if tol3 is not None and tol3.fmt is not None and prefer_tolerant(result, tol3):
        if t3fmt is None:
            missing_tables = []
        t3fmt = tol3.fmt
        apply_table3(result, tol3, blanks, derived)
    elif result.table3 is not None:
        record_table3_cells(result)
    # Table 二: before table 三.
    t2fmt, t2 = read_table2(tokens, runs, t3.first_token if t3fmt else None)
    if t2fmt is not None:
        result.table2_format = t2fmt
        result.table2 = {}
        for block in formats.TABLE2[t2fmt].blocks:
            for row2 in block.rows:
                rr = t2.rows[row2.key]
                what = f"表二{block.caption}“{row2.label}”"
                if rr.cells is None:
                    result.table2[row2.key] = {c.key: None for c in block.columns}
                    result.not_found.append(_problem_text(rr.problem, what, len(block.columns)))
                    continue
                result.table2[row2.key] = {}
                for col, cell in zip(block.columns, rr.cells, strict=True):
                    result.table2[row2.key][col.key] = to_json_number(cell.value)
                    result.sources[f"table2.{row2.key}.{col.key}"] = _src(cell)
                    if cell.blank:
                        blanks.append(f"{what}{col.label}")
    else:
        missing_tables.insert(0, "表二（主动公开政府信息情况）：未找到")

    # Table 四: after table 三.
    lo = t3.last_token or 0 if t3fmt else 0
    cells4, header4, problem4 = read_table4(tokens, lo)
    if cells4 is not None:
        result.table4 = {}
        for g, group in enumerate(formats.TABLE4_GROUPS):
            group_cells = [t for t in cells4[g * 5 : g * 5 + 5] if t is not None]
            vals: list[Decimal | None] = []
            for c, tok in enumerate(group_cells):
                src = dict(tok.source)
                if tok.kind != "num":
                    src["blank"] = True
                    blanks.append(f"表四{group}{formats.TABLE4_COLUMNS[c]}")
                vals.append(tok.value if tok.kind == "num" else None)
                result.sources[f"table4.{group}.{c}"] = src
            if vals[4] is None and any(v is not None for v in vals[:4]):
                vals[4] = sum((v or Decimal(0) for v in vals[:4]), Decimal(0))
                result.sources[f"table4.{group}.4"]["derived"] = "sum"
            result.table4[group] = [
                to_json_number(v if v is not None else Decimal(0)) for v in vals
            ]
    elif tol3 is None and (tol4 := read_tables(tokens)[1]) is not None:
        apply_table4(result, tol4, blanks)
    elif tol4 is not None:
        apply_table4(result, tol4, blanks)
    elif t3fmt is not None or header4 is not None:
        result.not_found.append(
            "表四（政府信息公开行政复议、行政诉讼情况）："
            + (
                "未找到"
                if problem4 == "label"
                else _problem_text(problem4, "数据行", 15).split("：", 1)[1]
            )
        )

    record_table4_cells(result)

    # The 2008 statistics table.
    t2008 = read_table(tokens, runs, table2008_specs())
    data_rows = [r for r in formats.TABLE2008_DATA_ROWS if t2008.rows[r.key].cells]
    if len(data_rows) >= 8 and t3fmt is None:
        result.table2008 = {}
        for row8 in formats.TABLE2008_DATA_ROWS:
            rr = t2008.rows[row8.key]
            if not rr.cells:
                result.table2008[row8.key] = None
                result.not_found.append(_problem_text(rr.problem, f"统计表“{row8.label}”", 1))
                continue
            cell = rr.cells[0]
            result.table2008[row8.key] = to_json_number(cell.value)
            result.sources[f"table2008.{row8.key}"] = _src(cell)
            if cell.blank:
                blanks.append(f"统计表“{row8.label}”")

    # Format: from the tables, else from the year (and say so).
    if t3fmt is not None:
        result.format, result.format_basis = t3fmt, "table3"
    elif result.table2008 is not None:
        result.format, result.format_basis = 2008, "table2008"
    elif t2fmt is not None:
        result.format, result.format_basis = t2fmt, "table2"
    elif result.year is not None:
        result.format, result.format_basis = formats.format_for_year(result.year), "year"
        result.notes.append(
            f"未找到统计表格，格式按报告年度{result.year}推定为{result.format}年格式"
        )
    else:
        result.not_found.append("报告格式：未找到表格，也未找到年度，无法判断")
    if result.format != 2008:
        result.not_found += missing_tables
    if result.format in (2021, 2019) and result.table2008 is None:
        if t2fmt is not None and t3fmt is not None and t2fmt != t3fmt:
            result.notes.append(f"表二使用{t2fmt}年格式，表三使用{t3fmt}年格式")
        if (
            result.year is not None
            and t3fmt is not None
            and formats.format_for_year(result.year) != t3fmt
        ):
            result.notes.append(
                f"{result.year}年度报告按规定应使用{formats.format_for_year(result.year)}年格式，表三实际为{t3fmt}年格式"
            )

    # Checks: tables, blanks (S5), prose.
    report = result.report()
    if result.format is not None:
        result.checks = run_checks(report)
    if blanks:
        result.checks.append(
            CheckFailure(
                "S5",
                "soft",
                f"S5 {len(blanks)}个空白单元格按0计："
                + "、".join(blanks[:12])
                + ("等" if len(blanks) > 12 else ""),
                [],
                {"blank": blanks},
            )
        )
    if derived:
        result.checks.append(
            CheckFailure(
                "S5",
                "soft",
                "S5 总计栏空白，按该行各列之和计："
                + "、".join(derived[:12])
                + ("等" if len(derived) > 12 else ""),
                [],
                {"derived": derived},
            )
        )
    result.prose_figures = extract_figures(doc.lines)
    result.checks += check_figures(result.prose_figures)
    if result.format is not None:
        result.checks += check_prose_against_tables(
            [f.to_dict() for f in result.prose_figures], report
        )
    return result


__all__ += ["TableResult"]
