"""Read and write simple tables (CSV or XLSX) keyed by a header row of Chinese column names."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook


class TableFormatError(ValueError):
    """The file is not a readable CSV or XLSX table."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path | str) -> list[dict[str, str]]:
    """Return the rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts.

    The first row holds the column names; empty trailing rows are dropped.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                raw = [list(r) for r in csv.reader(fh)]
        elif suffix in {".xlsx", ".xlsm"}:
            wb = load_workbook(path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            raw = [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
            wb.close()
        else:
            raise TableFormatError(
                _("不支持的文件类型“{suffix}”，请使用 CSV 或 XLSX 文件。").format(suffix=suffix)
            )
    except (UnicodeDecodeError, csv.Error, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, TableFormatError):
            raise
        raise TableFormatError(_("无法读取文件：{error}").format(error=exc)) from exc
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    if not raw:
        return []
    header = [h.strip() for h in raw[0]]
    return [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        for row in raw[1:]
    ]


def write_table(path: Path | str, rows: list[list[Any]]) -> None:
    """Write rows (header first) as CSV or XLSX depending on the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
        return
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    wb.save(path)
