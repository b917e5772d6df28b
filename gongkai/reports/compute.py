"""Compute a report's figures: the statistics selectors, hand-entered cells and, for a 汇总
report, the figures of agencies below that are not on the platform.

The result is the JSON report of :mod:`gongkai.reports.schema` plus these documented extras
(docs/annual-report.md):

* ``scope`` — "本机关" or "汇总";
* ``hand_entered`` — ``{cell: {"value", "by", "source", "at"}}`` for every cell entered by hand;
* ``figures`` — what the narrative and the charts need (monthly intake, five-year trend, fees
  collected) and ``included`` (reports of agencies not on the platform added to a 汇总 report).

Cells are named as the checks name them: ``table2.<row>.<column>``, ``table3.<row>.<index>``
and ``table4.<group>.<index>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from gongkai.agencies.models import Agency
from gongkai.reports import formats, statistics
from gongkai.reports.checks import CheckFailure, run_checks
from gongkai.reports.choices import Scope, Source
from gongkai.reports.models import AnnualReport
from gongkai.reports.overview import overview_figures
from gongkai.reports.schema import empty_report, table2_format, table3_by_key

Progress = Callable[[int, int, str], None]
TREND_YEARS = 5


def ignore_progress(step: int, steps: int, message: str) -> None:
    """Ignore progress."""


def cell_label(fmt: int, cell: str, t2fmt: int | None = None) -> str:
    """Return a cell's Chinese name, e.g. ``表三“1.属于国家秘密”·自然人``."""
    parts = cell.split(".")
    try:
        if parts[0] == "table2":
            spec = formats.TABLE2[t2fmt or fmt]
            block = spec.block_for(parts[1])
            row = next(r for r in block.rows if r.key == parts[1])
            col = next(c for c in block.columns if c.key == parts[2])
            return f"表二“{row.label}”·{col.label}"
        if parts[0] == "table3":
            row3 = formats.table3_row(fmt, parts[1])
            return f"表三“{row3.label}”·{formats.TABLE3_COLUMNS[int(parts[2])]}"
        if parts[0] == "table4":
            return f"表四“{parts[1]}”·{formats.TABLE4_COLUMNS[int(parts[2])]}"
    except (KeyError, IndexError, StopIteration, ValueError):
        pass
    return cell


def valid_cells(fmt: int, t2fmt: int | None = None) -> list[str]:
    """Return every cell name of format ``fmt`` (for forms and validation)."""
    if fmt == 2008:
        return []
    out = [
        f"table2.{row.key}.{col.key}"
        for block in formats.TABLE2[t2fmt or fmt].blocks
        for row in block.rows
        for col in block.columns
    ]
    out += [
        f"table3.{row.key}.{c}"
        for row in formats.TABLE3_ROWS[fmt]
        for c in range(len(formats.TABLE3_COLUMNS))
    ]
    out += [
        f"table4.{g}.{c}" for g in formats.TABLE4_GROUPS for c in range(len(formats.TABLE4_COLUMNS))
    ]
    return out


def get_cell(report: Mapping[str, Any], cell: str) -> Any:
    """Return the value of ``cell`` in ``report`` (None if absent)."""
    parts = cell.split(".")
    try:
        if parts[0] == "table2":
            return report["table2"][parts[1]][parts[2]]
        if parts[0] == "table3":
            return table3_by_key(report)[parts[1]][int(parts[2])]
        if parts[0] == "table4":
            return report["table4"][parts[1]][int(parts[2])]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return None


def set_cell(report: dict[str, Any], cell: str, value: Any) -> None:
    """Set ``cell`` of ``report`` to ``value`` in place."""
    parts = cell.split(".")
    if parts[0] == "table2":
        report["table2"].setdefault(parts[1], {})[parts[2]] = value
    elif parts[0] == "table3":
        for row in report["table3"]:
            if row["key"] == parts[1]:
                row["values"][int(parts[2])] = value
                return
        raise KeyError(cell)
    elif parts[0] == "table4":
        report["table4"][parts[1]][int(parts[2])] = value
    else:
        raise KeyError(cell)


def _add(a: Any, b: Any) -> Any:
    total = (a or 0) + (b or 0)
    return round(total, 6) if isinstance(total, float) else total


def add_tables(target: dict[str, Any], other: Mapping[str, Any]) -> bool:
    """Add ``other``'s tables 二 (same variant only), 三 and 四 into ``target``; False if skipped."""
    if other.get("format") != target.get("format"):
        return False
    if table2_format(other) == table2_format(target) and isinstance(other.get("table2"), Mapping):
        for row_key, cells in other["table2"].items():
            for col_key, value in (cells or {}).items():
                row = target["table2"].setdefault(row_key, {})
                row[col_key] = _add(row.get(col_key), value)
    theirs = table3_by_key(other)
    for row in target["table3"]:
        values = theirs.get(row["key"])
        if values:
            row["values"] = [_add(a, b) for a, b in zip(row["values"], values, strict=True)]
    for group, values in (other.get("table4") or {}).items():
        if group in target["table4"] and values:
            target["table4"][group] = [
                _add(a, b) for a, b in zip(target["table4"][group], values, strict=True)
            ]
    return True


def computed_tables(
    agency: Agency,
    year: int,
    *,
    consolidated: bool,
    progress: Progress = ignore_progress,
    steps: int = 4,
) -> dict[str, Any]:
    """Return the report computed from the platform's records only (no hand-entered cells)."""
    fmt = formats.format_for_year(year)
    if fmt == 2008:
        raise ValueError("2019年以前的年度报告使用2008年统计表，只能从已发布的报告导入。")
    report = empty_report(fmt, agency=agency.name, code=agency.credit_code, year=year)
    progress(0, steps, "统计政府信息公开申请（表三）")
    apps = statistics.application_figures(agency, year, consolidated=consolidated)
    report["figures"] = {"monthly_intake": apps.monthly}
    t3 = statistics.table3_in_format(apps.table3, fmt)
    for row in report["table3"]:
        row["values"] = t3[row["key"]]
    progress(1, steps, "统计行政复议、行政诉讼（表四）")
    report["table4"] = statistics.table4(agency, year, consolidated=consolidated)
    progress(2, steps, "统计主动公开（表二）")
    t2 = statistics.table2(agency, year, fmt, consolidated=consolidated)
    if t2 is not None:
        report["table2"] = t2
    return report


def compute_report(
    agency: Agency,
    year: int,
    *,
    consolidated: bool,
    manual_cells: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress = ignore_progress,
) -> dict[str, Any]:
    """Return the full report data for ``agency`` and ``year``: computed, adjusted and overlaid.

    For a 汇总 report the figures of agencies below that are not on the platform (submitted or
    imported reports) are added, and so are the hand-entered adjustments of sub-agencies' own
    reports; the report's own hand-entered cells are applied last and win.
    """
    steps = 6
    report = computed_tables(
        agency, year, consolidated=consolidated, progress=progress, steps=steps
    )
    report["scope"] = "汇总" if consolidated else "本机关"
    included: list[dict[str, Any]] = []
    if consolidated:
        progress(3, steps, "汇总下级机关报送的报告和手工填报的数据")
        included = _consolidate_others(agency, year, report)
    manual = dict(manual_cells or {})
    for cell, entry in manual.items():
        set_cell(report, cell, entry["value"])
    report["hand_entered"] = manual
    progress(4, steps, "统计图表和收费数据")
    figures = report.setdefault("figures", {})
    figures["fees"] = statistics.fees_collected(agency, year, consolidated=consolidated)
    figures["overview"] = overview_figures(agency, year, consolidated=consolidated)
    figures["included"] = included
    figures["trend"] = trend(agency, year, consolidated=consolidated)
    current = published_figures(report) or {}
    figures["trend"][-1].update(current, source="本报告")
    figures["computed_on"] = dt.date.today().isoformat()  # noqa: DTZ011 - a date for people
    progress(5, steps, "核对勾稽关系")
    return report


def published_figures(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return ``{"new", "handled"}`` of a stored report in any format (None if unknown)."""
    if data.get("format") == 2008:
        t = data.get("table2008") or {}
        return {"new": t.get("received"), "handled": t.get("replies") or t.get("closed")}
    t3 = table3_by_key(data)
    if "new" not in t3:
        return None
    return {
        "new": t3["new"][formats.TOTAL_COLUMN],
        "handled": t3.get("r7_total", [None] * 7)[formats.TOTAL_COLUMN],
    }


def trend(agency: Agency, year: int, *, consolidated: bool) -> list[dict[str, Any]]:
    """Return the five-year series: published reports (platform or imported) where they exist,
    else the platform's records (queried only for those years); the current year is filled in
    from the report itself by the caller."""
    wanted = Scope.CONSOLIDATED if consolidated else Scope.OWN
    first = year - TREND_YEARS + 1
    stored: dict[int, Mapping[str, Any]] = {}
    for other in (
        AnnualReport.objects.filter(
            agency=agency, year__gte=first, year__lt=year, published_version__isnull=False
        )
        .select_related("published_version")
        .order_by("year")
    ):
        if other.year not in stored or other.scope == wanted:
            stored[other.year] = other.published.data
    known = {y: published_figures(data) for y, data in stored.items()}
    missing = [y for y in range(first, year) if not known.get(y)]
    platform = statistics.yearly_counts(agency, missing, consolidated=consolidated)
    out = []
    for y in range(first, year + 1):
        if figures := known.get(y):
            out.append({"year": y, **figures, "source": "已发布报告"})
        else:
            out.append(
                {"year": y, **platform.get(y, {"new": 0, "handled": 0}), "source": "平台记录"}
            )
    return out


def _consolidate_others(agency: Agency, year: int, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Add off-platform reports and sub-agencies' hand-entered adjustments into ``report``."""
    below = (
        AnnualReport.objects.filter(
            agency__path__startswith=agency.path, year=year, published_version__isnull=False
        )
        .exclude(agency=agency, scope=Scope.CONSOLIDATED)
        .select_related("agency", "published_version")
        .order_by("agency__path")
    )
    included: list[dict[str, Any]] = []
    covered: list[str] = []
    adjustments: list[AnnualReport] = []
    for other in below:
        if other.source == Source.PLATFORM:
            if other.scope == Scope.OWN and other.published.manual_cells:
                adjustments.append(other)
            continue
        if any(other.agency.path.startswith(p) for p in covered):
            continue
        if other.scope == Scope.CONSOLIDATED:
            covered.append(other.agency.path)
        added = add_tables(report, other.published.data)
        included.append(
            {
                "agency": other.agency.name,
                "scope": str(other.get_scope_display()),
                "source": str(other.get_source_display()),
                "added": added,
            }
        )
    for other in adjustments:
        if any(other.agency.path.startswith(p) for p in covered):
            continue
        own = computed_tables(other.agency, year, consolidated=False)
        for cell, entry in other.published.manual_cells.items():
            delta = (entry.get("value") or 0) - (get_cell(own, cell) or 0)
            if delta:
                set_cell(report, cell, _add(get_cell(report, cell), delta))
        included.append(
            {
                "agency": other.agency.name,
                "scope": str(other.get_scope_display()),
                "source": "手工填报数据",
                "added": True,
            }
        )
    return included


def report_checks(
    report: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[CheckFailure]:
    """Run H1–H4 and S1–S6 and name the hand-entered cells involved in each failure."""
    failures = run_checks(report, previous)
    hand = report.get("hand_entered") or {}
    fmt = int(report.get("format") or 2021)
    for failure in failures:
        mine = [c for c in failure.cells if c in hand]
        if mine:
            names = "、".join(
                f"{cell_label(fmt, c, table2_format(report))}（{hand[c].get('by') or '—'}录入，来源：{hand[c].get('source') or '—'}）"
                for c in mine
            )
            failure.message += f"；涉及手工填报的单元格：{names}"
    return failures
