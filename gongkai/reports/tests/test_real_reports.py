"""Real published reports: every hand-read cell is recovered (decision 1901)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.reports import formats
from gongkai.reports.parsing import parse_report

REAL = Path(__file__).parent / "fixtures" / "real"
NAMES = sorted(p.stem for p in REAL.glob("*.txt"))


def _ok(cell: dict[str, Any], hand: int | None) -> bool:
    """A hand-read figure is recovered: the same certain value, or listed among candidates.

    A blank (null) hand-read cell must not come back as a printed figure.
    """
    if hand is None:
        return cell["status"] in ("blank", "derived", "missing", "ambiguous")
    if cell["status"] in ("read", "derived"):
        return cell["value"] == hand
    if cell["status"] == "blank":
        return hand == 0
    if cell["status"] == "ambiguous":
        return hand in cell["candidates"]
    return False


def test_four_real_reports_present() -> None:
    assert len(NAMES) == 4


@pytest.mark.parametrize("name", NAMES)
def test_every_hand_read_cell_is_recovered(name: str) -> None:
    truth = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    result = parse_report((REAL / f"{name}.txt").read_bytes(), f"{name}.txt")
    assert result.table3_format == 2021
    rows = formats.TABLE3_ROWS[2021]
    assert len(truth["table3"]["rows"]) == len(rows)
    wrong = []
    for row, hand in zip(rows, truth["table3"]["rows"], strict=True):
        for c, value in enumerate(hand["values"]):
            cell = result.cells[f"table3.{row.key}.{c}"]
            if not _ok(cell, value):
                wrong.append((row.key, c, value, cell))
    for group, hand in zip(formats.TABLE4_GROUPS, truth["table4"]["rows"], strict=True):
        for c, value in enumerate(hand["values"]):
            cell = result.cells[f"table4.{group}.{c}"]
            if not _ok(cell, value):
                wrong.append((group, c, value, cell))
    assert wrong == []
    # Nothing certain is left out of the report, nothing uncertain is in it.
    for printed in result.table3 or []:
        for c, value in enumerate(printed["values"]):
            status = result.cells[f"table3.{printed['key']}.{c}"]["status"]
            assert (value is None) == (status in ("ambiguous", "missing"))


def test_run_together_cells_are_derived_not_read() -> None:
    result = parse_report((REAL / f"{NAMES[0]}.txt").read_bytes(), "a.txt")
    cell = result.cells["table3.new.0"]
    assert cell == {**cell, "value": 64, "status": "derived"}
    assert "source" in cell


def test_body_figure_contradicting_the_table_is_flagged() -> None:
    """2022: the body says 75 applications received, table 三 says 74 new."""
    result = parse_report((REAL / "2022_fujian-pingtan-zone_1.txt").read_bytes(), "b.txt")
    s6 = [c for c in result.checks if c.code == "S6"]
    assert any("75" in c.message and "74" in c.message for c in s6)


def test_blank_total_is_derived_and_said() -> None:
    """Shanghai 2024: 四、结转下年度继续办理's 总计 is blank; it is the row sum, marked derived."""
    result = parse_report((REAL / "2024_shanghai-science-commission_1.txt").read_bytes(), "c.txt")
    cell = result.cells["table3.carried_out.6"]
    assert cell["status"] == "derived" and cell["value"] == 1
    assert any(c.code == "S5" and "结转下年度" in c.message for c in result.checks)
