"""The official table layouts as grids of cells with merged ranges — one layout for the HTML
page, the PDF, the DOCX and the XLSX, built only from :mod:`gongkai.reports.formats`.

A :class:`Grid` is a list of rows; each :class:`GridCell` has its text, its row and column
span, whether it is a header, and (for figures) the cell name used by the checks and the
hand-entered marks (``table3.r3_1.0``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import formats
from gongkai.reports.schema import table2_format, table3_by_key


@dataclass
class GridCell:
    """One (possibly merged) cell of a table."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    cell: str | None = None
    value: Any = None
    manual: bool = False

    @property
    def is_number(self) -> bool:
        """True for a figure cell."""
        return self.cell is not None


@dataclass
class Grid:
    """A table: its number of columns, rows of cells, and how many leading rows are headers."""

    title: str
    columns: int
    rows: list[list[GridCell]] = field(default_factory=list)
    header_rows: int = 0

    def positions(self) -> list[tuple[int, int, GridCell]]:
        """Return ``(row, column, cell)`` for every cell, resolving the merged ranges."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out


def fmt_value(value: Any) -> str:
    """Format a figure for a table (empty for missing, integers without decimals)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _num(
    cell: str, value: Any, manual: Mapping[str, Any], rowspan: int = 1, colspan: int = 1
) -> GridCell:
    return GridCell(
        fmt_value(value),
        rowspan=rowspan,
        colspan=colspan,
        cell=cell,
        value=value,
        manual=cell in manual,
    )


def table2_grid(report: Mapping[str, Any]) -> Grid:
    """Return table 二 (4 columns; a caption row per block; merged value columns)."""
    spec = formats.TABLE2[table2_format(report)]
    t2 = report.get("table2") or {}
    manual = report.get("hand_entered") or {}
    grid = Grid("二、主动公开政府信息情况", 4)
    for block in spec.blocks:
        grid.rows.append([GridCell(block.caption, colspan=4, header=True)])
        head = [GridCell(block.first_header, header=True)]
        n = len(block.columns)
        for i, col in enumerate(block.columns):
            head.append(GridCell(col.label, header=True, colspan=3 if n == 1 else 1))
            if n == 2 and i == 1:
                head.append(GridCell("—", header=True))
        grid.rows.append(head)
        for row in block.rows:
            cells = [GridCell(row.label)]
            values = t2.get(row.key) or {}
            for i, col in enumerate(block.columns):
                name = f"table2.{row.key}.{col.key}"
                cells.append(_num(name, values.get(col.key), manual, colspan=3 if n == 1 else 1))
                if n == 2 and i == 1:
                    cells.append(GridCell("—"))
            grid.rows.append(cells)
    return grid


def table3_grid(report: Mapping[str, Any]) -> Grid:
    """Return table 三: 3 label columns and 7 figures, three header rows, merged labels."""
    fmt = int(report.get("format") or 2021)
    rows = formats.TABLE3_ROWS[fmt]
    values = table3_by_key(report)
    manual = report.get("hand_entered") or {}
    grid = Grid("三、收到和处理政府信息公开申请情况", 10, header_rows=3)
    grid.rows.append(
        [
            GridCell(formats.TABLE3_NOTE, rowspan=3, colspan=3, header=True),
            GridCell(formats.TABLE3_APPLICANTS, colspan=7, header=True),
        ]
    )
    grid.rows.append(
        [
            GridCell(formats.TABLE3_COLUMNS[0], rowspan=2, header=True),
            GridCell(formats.TABLE3_LEGAL_PERSONS, colspan=5, header=True),
            GridCell(formats.TABLE3_COLUMNS[6], rowspan=2, header=True),
        ]
    )
    grid.rows.append([GridCell(c, header=True) for c in formats.TABLE3_COLUMNS[1:6]])

    def run_length(i: int, attr: str) -> int:
        n = 1
        while i + n < len(rows) and getattr(rows[i + n], attr) == getattr(rows[i], attr):
            n += 1
        return n

    for i, row in enumerate(rows):
        cells: list[GridCell] = []
        first_of_l1 = i == 0 or rows[i - 1].level1 != row.level1
        if not row.level2:
            cells.append(GridCell(row.level1, colspan=3))
        else:
            if first_of_l1:
                cells.append(GridCell(row.level1, rowspan=run_length(i, "level1")))
            if not row.level3:
                cells.append(GridCell(row.level2, colspan=2))
            else:
                if i == 0 or rows[i - 1].level2 != row.level2:
                    cells.append(GridCell(row.level2, rowspan=run_length(i, "level2")))
                cells.append(GridCell(row.level3))
        for c, value in enumerate(values.get(row.key) or [None] * 7):
            cells.append(_num(f"table3.{row.key}.{c}", value, manual))
        grid.rows.append(cells)
    return grid


def table4_grid(report: Mapping[str, Any]) -> Grid:
    """Return table 四: 15 figures under three header rows."""
    t4 = report.get("table4") or {}
    manual = report.get("hand_entered") or {}
    grid = Grid("四、政府信息公开行政复议、行政诉讼情况", 15, header_rows=3)
    grid.rows.append(
        [
            GridCell(formats.TABLE4_GROUPS[0], colspan=5, header=True),
            GridCell(formats.TABLE4_LITIGATION, colspan=10, header=True),
        ]
    )
    grid.rows.append(
        [GridCell(c, rowspan=2, header=True) for c in formats.TABLE4_COLUMNS]
        + [GridCell(g, colspan=5, header=True) for g in formats.TABLE4_GROUPS[1:]]
    )
    grid.rows.append([GridCell(c, header=True) for _ in range(2) for c in formats.TABLE4_COLUMNS])
    data = []
    for group in formats.TABLE4_GROUPS:
        for c, value in enumerate(t4.get(group) or [None] * 5):
            data.append(_num(f"table4.{group}.{c}", value, manual))
    grid.rows.append(data)
    return grid


def table2008_grid(report: Mapping[str, Any]) -> Grid:
    """Return the 2008-era statistics table (统计指标 | 单位 | 统计数)."""
    t = report.get("table2008") or {}
    grid = Grid(formats.TABLE2008_TITLE, 3, header_rows=1)
    grid.rows.append([GridCell(h, header=True) for h in formats.TABLE2008_HEADER])
    for row in formats.TABLE2008_ROWS:
        if row.is_heading:
            grid.rows.append([GridCell(row.label, colspan=3, header=True)])
        else:
            grid.rows.append(
                [
                    GridCell(row.label),
                    GridCell(row.unit),
                    _num(f"table2008.{row.key}", t.get(row.key), {}),
                ]
            )
    return grid


def grids(report: Mapping[str, Any]) -> dict[str, Grid]:
    """Return the report's tables by section number (二, 三, 四; or 统计表 for 2008)."""
    if report.get("format") == 2008:
        return {"统计表": table2008_grid(report)}
    return {"二": table2_grid(report), "三": table3_grid(report), "四": table4_grid(report)}
