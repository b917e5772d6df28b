"""Put the tolerant reading (:mod:`.tolerant`) into a parse result, with every cell's status.

The aligned reader (:mod:`.tables`) is kept where it read table 三 completely and at least as
consistently; otherwise the tolerant reading replaces it. Cells whose value is not certain are
null in the report and named in ``not_found`` with their candidates — never a guessed value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import formats
from .tolerant import CellOut, TolerantTable, identity_score, score_rows

if TYPE_CHECKING:
    from . import ParseResult

STATUS_LABELS = {
    "read": "读取",
    "blank": "空白",
    "derived": "推算",
    "ambiguous": "多解",
    "missing": "缺失",
}


def prefer_tolerant(result: ParseResult, tol: TolerantTable) -> bool:
    """Return whether the tolerant reading should replace the aligned reader's table 三."""
    if result.table3 is None:
        return tol.certain_cells > 0
    rows = {r["key"]: list(r["values"]) for r in result.table3}
    if any(v is None for vals in rows.values() for v in vals):
        return True
    fmt = result.table3_format or 2021
    if tol.fmt != fmt:
        return False
    mine = (score_rows(fmt, rows), sum(len(v) for v in rows.values()))
    return (identity_score(tol), tol.certain_cells) > mine


def table3_complete(result: ParseResult) -> bool:
    """Return whether the aligned reader read table 三 whole and every identity holds."""
    if result.table3 is None or result.table3_format is None:
        return False
    rows = {r["key"]: list(r["values"]) for r in result.table3}
    if any(v is None for vals in rows.values() for v in vals):
        return False
    holds = score_rows(result.table3_format, rows)
    return holds == len(rows) + 2 * 2 * len(formats.TABLE3_COLUMNS)


def _src(cell: CellOut) -> dict[str, Any]:
    src = dict(cell.source)
    if cell.status == "blank":
        src["blank"] = True
    if cell.status == "derived":
        src["derived"] = cell.how or "sum"
    return src


def apply_table3(
    result: ParseResult, tol: TolerantTable, blanks: list[str], derived: list[str]
) -> None:
    """Replace table 三 (values, sources, gaps) by the tolerant reading."""
    fmt = tol.fmt or 2021
    result.table3_format = fmt
    result.table3_method = tol.method
    result.not_found = [m for m in result.not_found if not m.startswith("表三")]
    blanks[:] = [b for b in blanks if not b.startswith("表三")]
    derived[:] = [d for d in derived if not d.startswith("表三")]
    result.table3 = []
    for i, row in enumerate(formats.TABLE3_ROWS[fmt], start=1):
        cells = tol.rows[row.key]
        what = f"表三第{i}行（{row.label}）"
        values: list[int | float | None] = []
        for c, cell in enumerate(cells):
            path = f"table3.{row.key}.{c}"
            column = formats.TABLE3_COLUMNS[c]
            result.cells[path] = cell.to_dict()
            if cell.certain:
                values.append(cell.value or 0)
                result.sources[path] = _src(cell)
                if cell.status == "blank":
                    blanks.append(f"{what}{column}")
                elif cell.status == "derived" and cell.how.startswith("行合计（总计栏空白）"):
                    derived.append(f"{what}总计")
            else:
                values.append(None)
        _report_uncertain(result, what, cells, formats.TABLE3_COLUMNS, tol.printed.get(row.key))
        result.table3.append({"key": row.key, "label": row.label, "values": values})
    counts: dict[str, int] = {}
    for info in result.cells.values():
        counts[info["status"]] = counts.get(info["status"], 0) + 1
    summary = "，".join(f"{STATUS_LABELS[k]}{v}格" for k, v in counts.items() if k in STATUS_LABELS)
    result.notes.append(f"表三按容错方式读取（{tol.method}）：{summary}")


def _report_uncertain(
    result: ParseResult,
    what: str,
    cells: list[CellOut],
    columns: tuple[str, ...],
    printed: list[str] | None = None,
) -> None:
    missing = [columns[c] for c, cell in enumerate(cells) if cell.status == "missing"]
    if len(missing) == len(cells) and printed:
        figures = " ".join(p or "（空）" for p in printed)
        result.not_found.append(
            f"{what}：找到{len(printed)}个单元格（应为{len(cells)}个），"
            f"按勾稽关系也无法确定各数字所属的列：{figures}"
        )
    elif len(missing) == len(cells):
        result.not_found.append(f"{what}：未找到该行")
    elif missing:
        result.not_found.append(f"{what}：{'、'.join(missing)}无法读取")
    for c, cell in enumerate(cells):
        if cell.status == "ambiguous":
            options = "、".join(str(v) for v in cell.candidates)
            result.not_found.append(f"{what}{columns[c]}：有多种可能（{options}），无法确定")


def apply_table4(result: ParseResult, cells: list[CellOut], blanks: list[str]) -> None:
    """Fill table 四 from the tolerant reading."""
    width = len(formats.TABLE4_COLUMNS)
    result.table4 = {}
    for g, group in enumerate(formats.TABLE4_GROUPS):
        part = cells[g * width : (g + 1) * width]
        values: list[int | float | None] = []
        for c, cell in enumerate(part):
            path = f"table4.{group}.{c}"
            result.cells[path] = cell.to_dict()
            if cell.certain:
                values.append(cell.value or 0)
                result.sources[path] = _src(cell)
                if cell.status == "blank":
                    blanks.append(f"表四{group}{formats.TABLE4_COLUMNS[c]}")
            else:
                values.append(None)
        _report_uncertain(result, f"表四{group}", part, formats.TABLE4_COLUMNS)
        result.table4[group] = values
    result.not_found = [m for m in result.not_found if not m.startswith("表四")]


def record_table3_cells(result: ParseResult) -> None:
    """Give the aligned reader's table-三 cells their statuses too."""
    for row in result.table3 or []:
        for c, value in enumerate(row["values"]):
            path = f"table3.{row['key']}.{c}"
            src = result.sources.get(path) or {}
            if value is None:
                status = "missing"
            elif src.get("derived"):
                status = "derived"
            elif src.get("blank"):
                status = "blank"
            else:
                status = "read"
            result.cells[path] = {"value": value, "status": status, "source": src}


def record_table4_cells(result: ParseResult) -> None:
    """Give the aligned reader's table-四 cells their statuses too."""
    for group, values in (result.table4 or {}).items():
        for c, value in enumerate(values):
            path = f"table4.{group}.{c}"
            if path in result.cells:
                continue
            src = result.sources.get(path) or {}
            status = "derived" if src.get("derived") else "blank" if src.get("blank") else "read"
            result.cells[path] = {"value": value, "status": status, "source": src}
