"""Read and write simple tables (CSV or XLSX) keyed by a header row of Chinese column names."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from gongkai.core.archives import TABLE_LIMITS, ArchiveError, check_archive


class TableFormatError(ValueError):
    """The file is not a readable CSV or XLSX table."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def iter_xlsx_rows(path: Path | str) -> Iterator[list[Any]]:
    """Yield the cell values of the first sheet of an XLSX file, one row at a time.

    The one place where XLSX files are read (wrap it to add archive limits): calamine streams
    the rows straight from the compressed sheet, so memory stays flat whatever the file's size.
    Rows start at the sheet's first row; missing cells are empty strings.
    """
    from python_calamine_plus import CalamineWorkbook

    try:  # directory limits only: calamine streams the rows, so memory stays flat
        check_archive(path, limits=TABLE_LIMITS, verify=False)
    except ArchiveError as exc:
        raise TableFormatError(_("无法读取文件：{error}").format(error=exc.message)) from exc
    with CalamineWorkbook.from_path(str(path)) as workbook:
        yield from workbook.stream_sheet_by_index(0)


def _raw_rows(path: Path) -> Iterator[list[str]]:
    """Every row of the file as cell texts (CSV or XLSX by suffix), read as a stream."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from csv.reader(fh)
    elif suffix in {".xlsx", ".xlsm"}:
        for row in iter_xlsx_rows(path):
            yield [cell_text(v) for v in row]
    else:
        raise TableFormatError(
            _("不支持的文件类型“{suffix}”，请使用 CSV 或 XLSX 文件。").format(suffix=suffix)
        )


def _guarded(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """Turn every reading error, wherever in the file it happens, into TableFormatError."""
    from python_calamine_plus import CalamineError

    try:
        yield from rows
    except TableFormatError:
        raise
    except CalamineError as exc:
        raise TableFormatError(_("无法读取文件：不是有效的 XLSX 文件。")) from exc
    except (UnicodeDecodeError, csv.Error, OSError, KeyError, ValueError) as exc:
        raise TableFormatError(_("无法读取文件：{error}").format(error=exc)) from exc


class Table:
    """A CSV or XLSX table keyed by its header row, read as a stream (any number of rows).

    ``header`` is read when the table is opened (TableFormatError for an unreadable file);
    iterating yields one dict per data row and reads the file again from the start, so a
    table can be walked more than once without being held in memory. Trailing empty rows
    are dropped.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        first = next(_guarded(_raw_rows(self.path)), None)
        self.header = [h.strip() for h in first] if first is not None else []

    def __iter__(self) -> Iterator[dict[str, str]]:
        rows = _guarded(_raw_rows(self.path))
        next(rows, None)
        blanks: list[list[str]] = []  # held back until a row with content follows
        for row in rows:
            if not any(cell.strip() for cell in row):
                blanks.append(row)
                continue
            for held in blanks:
                yield self._keyed(held)
            blanks = []
            yield self._keyed(row)

    def _keyed(self, row: list[str]) -> dict[str, str]:
        return {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(self.header) if h}

    def count(self) -> int:
        """The number of data rows (one more pass over the file)."""
        return sum(1 for _ in self)


def read_table(path: Path | str) -> list[dict[str, str]]:
    """Return the rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts.

    The first row holds the column names; empty trailing rows are dropped.
    """
    return list(Table(path))


def write_table(path: Path | str, rows: list[list[Any]]) -> None:
    """Write rows (header first) as CSV or XLSX depending on the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
        return
    from openpyxl import Workbook  # writing only: readers need not load it (nor numpy)

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    wb.save(path)
