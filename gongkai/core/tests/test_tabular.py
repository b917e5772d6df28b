"""Reading tables: the streaming calamine reader gives the rows openpyxl gave, on odd and
damaged files too; ``insert_objects`` writes what ``bulk_create`` writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gongkai.core.tabular import Table, TableFormatError, cell_text, read_table


def openpyxl_table(path: Path) -> list[dict[str, str]]:
    """The reader before calamine (openpyxl read-only), kept here as the oracle."""
    wb = load_workbook(path, read_only=True, data_only=True)
    raw = [[cell_text(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    if not raw:
        return []
    header = [h.strip() for h in raw[0]]
    return [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        for row in raw[1:]
    ]


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def test_odd_cells_read_as_openpyxl_read_them(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["收到日期", " 申请人 ", "", "金额", "是否", "时间", "备注*"])
    when = dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC).replace(tzinfo=None)  # Excel: naive
    ws.append([dt.date(2024, 3, 5), "张三", "x", 12.0, True, when, "  "])
    midnight = when.replace(day=6, hour=0, minute=0)
    ws.append([midnight, "李四\n第二行", None, 1.25, False, dt.time(8, 15), "全角１２３"])
    ws.append([45000, "=不是公式", "", 10**15, None, "2024年3月5日", "'引号"])
    ws.append([None, None, None, None, None, None, None])  # a blank row inside the data
    ws.append(["2024-03-07", "王五", "", -3, "", "", "=1+1"])
    ws["G6"] = "=1+1"  # a formula without a cached value
    ws.merge_cells("A8:C8")
    ws["A8"] = "合并单元格"
    ws["K10"] = "远处的单元格"  # widens the sheet beyond the header
    for _ in range(3):
        ws.append([])  # trailing empty rows are dropped
    wb.create_sheet("第二页")["A1"] = "不读取"
    path = _save(wb, tmp_path / "odd.xlsx")
    assert read_table(path) == openpyxl_table(path)
    rows = read_table(path)
    assert rows[0]["收到日期"] == "2024-03-05" and rows[0]["金额"] == "12"
    assert rows[1]["时间"] == "08:15:00" and rows[2]["金额"] == "1000000000000000"


def test_leading_empty_rows_and_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["C3"] = "甲"
    ws["D3"] = "乙"
    ws["C4"] = 1
    ws["D5"] = "二"
    path = _save(wb, tmp_path / "offset.xlsx")
    assert read_table(path) == openpyxl_table(path)


def test_empty_workbook(tmp_path: Path) -> None:
    path = _save(Workbook(), tmp_path / "empty.xlsx")
    assert read_table(path) == openpyxl_table(path) == []


letters = st.characters(blacklist_categories=("Cs", "Cc"))
cell = st.one_of(
    st.none(),
    st.text(alphabet=letters, max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(
        st.text(alphabet=letters, min_size=1, max_size=4).filter(str.strip), min_size=1, max_size=5
    ),
    rows=st.lists(st.lists(cell, max_size=6), max_size=8),
)
def test_random_tables_read_alike(tmp_path: Path, header: list[str], rows: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([v.replace("=", "＝", 1) if isinstance(v, str) else v for v in row])
    path = _save(wb, tmp_path / "random.xlsx")
    assert read_table(path) == openpyxl_table(path)


def _damaged(tmp_path: Path) -> dict[str, Path]:
    wb = Workbook()
    wb.active.append(["甲", "乙"])
    for i in range(200):
        wb.active.append([f"值{i}", i])
    good = io.BytesIO()
    wb.save(good)
    data = good.getvalue()
    files = {
        "truncated": data[: len(data) // 2],
        "random bytes": bytes(range(256)) * 20,
        "empty file": b"",
        "text file": "收到日期,申请人\n".encode(),
    }
    zipped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(zipped, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # sheet XML cut in the middle of the rows
            dst.writestr(item, body)
    files["broken sheet xml"] = zipped.getvalue()
    no_workbook = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(no_workbook, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/workbook.xml":
                dst.writestr(item, src.read(item))
    files["no workbook part"] = no_workbook.getvalue()
    out = {}
    for name, body in files.items():
        path = tmp_path / f"{name.replace(' ', '_')}.xlsx"
        path.write_bytes(body)
        out[name] = path
    return out


def test_damaged_files_raise_a_clear_error(tmp_path: Path) -> None:
    for name, path in _damaged(tmp_path).items():
        with pytest.raises(TableFormatError) as info:
            list(Table(path))
        assert "无法读取文件" in str(info.value), name


def test_a_table_streams_and_can_be_walked_twice(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["编号", "名称"])
    for i in range(3000):
        ws.append([i, f"第{i}行"])
    ws.append([])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    table = Table(path)
    assert table.header == ["编号", "名称"]
    assert table.count() == 3000
    first = next(iter(table))
    assert first == {"编号": "0", "名称": "第0行"}
    assert list(table)[-1] == {"编号": "2999", "名称": "第2999行"}


def test_csv_streams_too(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\ufeff甲, 乙\n1,二\n\n3,四\n\n\n", encoding="utf-8")
    table = Table(path)
    assert table.header == ["甲", "乙"]
    assert list(table) == [{"甲": "1", "乙": "二"}, {"甲": "", "乙": ""}, {"甲": "3", "乙": "四"}]
