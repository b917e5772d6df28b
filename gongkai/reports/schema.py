"""The JSON shape of an annual report, and its validation (documented in docs/report-json-schema.md).

A report is a plain ``dict`` (what ``json.load`` returns)::

    {
      "format": 2021,                       # 2021 | 2019 | 2008
      "agency": {"name": "…", "code": "…"},  # code: 统一社会信用代码, may be null
      "year": 2025,
      "table2_format": 2021,                # optional; defaults to "format" (a 2023 report
                                            # may still use the 2019 table 二)
      "table2": {"regulations": {"issued": 1, "repealed": 0, "in_force": 5}, …},
      "table3": [{"key": "new", "label": "一、本年新收政府信息公开申请数量",
                  "values": [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]}, …],
      "table4": {"行政复议": [5], "未经复议直接起诉": [5], "复议后起诉": [5]},
    }

and, for the 2008 format, ``"table2008": {"proactive_items": 49272, …}`` instead of tables 二–四.
Keys and order come from :mod:`gongkai.reports.formats`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import formats

Number = int | float
Report = dict[str, Any]


class ReportValidationError(ValueError):
    """A report file does not have the documented shape; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        """Keep the list of Chinese error messages."""
        super().__init__("；".join(errors))
        self.errors = errors


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def table2_format(report: Mapping[str, Any]) -> int:
    """Return the variant of table 二 used by ``report``."""
    return int(report.get("table2_format") or report.get("format") or 2021)


def empty_report(
    fmt: int,
    *,
    agency: str | None = None,
    code: str | None = None,
    year: int | None = None,
    table2_fmt: int | None = None,
) -> Report:
    """Return a report of format ``fmt`` with every figure 0 (a skeleton for builders)."""
    report: Report = {"format": fmt, "agency": {"name": agency, "code": code}, "year": year}
    if fmt == 2008:
        report["table2008"] = {r.key: 0 for r in formats.TABLE2008_DATA_ROWS}
        return report
    t2 = table2_fmt or fmt
    if t2 != fmt:
        report["table2_format"] = t2
    report["table2"] = {
        row.key: {col.key: 0 for col in block.columns}
        for block in formats.TABLE2[t2].blocks
        for row in block.rows
    }
    report["table3"] = [
        {"key": r.key, "label": r.label, "values": [0] * len(formats.TABLE3_COLUMNS)}
        for r in formats.TABLE3_ROWS[fmt]
    ]
    report["table4"] = {g: [0] * len(formats.TABLE4_COLUMNS) for g in formats.TABLE4_GROUPS}
    return report


def table3_by_key(report: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return table 三 as ``{row key: values}``."""
    return {row["key"]: list(row["values"]) for row in report.get("table3") or []}


def validate_report(data: Any, *, partial: bool = False) -> list[str]:
    """Return every way ``data`` departs from the schema, as Chinese messages (empty: valid).

    With ``partial`` (a parsed report), figures may be null and tables may be missing (null).
    """
    errors: list[str] = []
    if not isinstance(data, Mapping):
        return ["报告必须是一个 JSON 对象"]
    fmt = data.get("format")
    if fmt not in formats.FORMATS:
        errors.append(f"format 必须是 2021、2019 或 2008，实际为 {fmt!r}")
        return errors
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, Mapping):
        errors.append('agency 必须是对象 {"name": …, "code": …}')
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        errors.append(f"year 必须是整数，实际为 {year!r}")
    elif isinstance(year, int) and not partial and formats.format_for_year(year) != fmt:
        errors.append(
            f"{year}年度报告应使用{formats.format_for_year(year)}年格式，而不是{fmt}年格式"
        )

    def check_number(
        value: Any, where: str, *, decimal: bool = False, signed: bool = False
    ) -> None:
        if value is None and partial:
            return
        if not _is_number(value):
            errors.append(f"{where} 必须是数字，实际为 {value!r}")
            return
        if not decimal and value != int(value):
            errors.append(f"{where} 必须是整数，实际为 {value!r}")
        if not signed and value < 0:
            errors.append(f"{where} 不能为负数，实际为 {value!r}")

    if fmt == 2008:
        t = data.get("table2008")
        if t is None and partial:
            return errors
        if not isinstance(t, Mapping):
            return [*errors, "2008年格式的报告必须有 table2008 对象"]
        for r8 in formats.TABLE2008_DATA_ROWS:
            if r8.key not in t:
                if not partial:
                    errors.append(f"table2008 缺少“{r8.label}”（{r8.key}）")
                continue
            check_number(t[r8.key], f"table2008.{r8.key}（{r8.label}）", decimal=r8.decimal)
        unknown = set(t) - {r.key for r in formats.TABLE2008_DATA_ROWS}
        if unknown:
            errors.append(f"table2008 含未知的行：{', '.join(sorted(unknown))}")
        return errors

    t2fmt = data.get("table2_format", fmt)
    if t2fmt not in (2021, 2019):
        errors.append(f"table2_format 必须是 2021 或 2019，实际为 {t2fmt!r}")
        t2fmt = fmt
    t2 = data.get("table2")
    if t2 is None and partial:
        pass
    elif not isinstance(t2, Mapping):
        errors.append("table2 必须是对象")
    else:
        for block in formats.TABLE2[t2fmt].blocks:
            for row in block.rows:
                cells = t2.get(row.key)
                if not isinstance(cells, Mapping):
                    if not (partial and cells is None):
                        errors.append(f"table2 缺少“{row.label}”（{row.key}）")
                    continue
                for col in block.columns:
                    where = f"table2.{row.key}.{col.key}（{row.label}·{col.label}）"
                    if col.key not in cells:
                        errors.append(f"{where} 缺失")
                        continue
                    check_number(cells[col.key], where, decimal=col.decimal, signed=col.signed)
        unknown = set(t2) - {r.key for b in formats.TABLE2[t2fmt].blocks for r in b.rows}
        if unknown:
            errors.append(f"table2 含{t2fmt}年格式中没有的行：{', '.join(sorted(unknown))}")

    t3 = data.get("table3")
    rows = formats.TABLE3_ROWS[fmt]
    if t3 is None and partial:
        pass
    elif not isinstance(t3, list):
        errors.append("table3 必须是数组")
    elif len(t3) != len(rows):
        errors.append(f"{fmt}年格式的 table3 应有{len(rows)}行，实际为{len(t3)}行")
    else:
        for i, (item, spec) in enumerate(zip(t3, rows, strict=True), start=1):
            if not isinstance(item, Mapping):
                errors.append(f"table3 第{i}行必须是对象")
                continue
            if item.get("key") != spec.key:
                errors.append(f"table3 第{i}行的 key 应为 {spec.key}，实际为 {item.get('key')!r}")
            values = item.get("values")
            if not isinstance(values, list) or len(values) != len(formats.TABLE3_COLUMNS):
                errors.append(f"table3 第{i}行（{spec.label}）的 values 应为7个数字")
                continue
            for col_name, value in zip(formats.TABLE3_COLUMNS, values, strict=True):
                check_number(value, f"table3 第{i}行（{spec.label}）{col_name}")

    t4 = data.get("table4")
    if t4 is None and partial:
        pass
    elif not isinstance(t4, Mapping):
        errors.append("table4 必须是对象")
    else:
        for group in formats.TABLE4_GROUPS:
            values = t4.get(group)
            if not isinstance(values, list) or len(values) != len(formats.TABLE4_COLUMNS):
                errors.append(
                    f"table4.{group} 应为5个数字（结果维持、结果纠正、其他结果、尚未审结、总计）"
                )
                continue
            for col_name, value in zip(formats.TABLE4_COLUMNS, values, strict=True):
                check_number(value, f"table4.{group}.{col_name}")
        unknown = set(t4) - set(formats.TABLE4_GROUPS)
        if unknown:
            errors.append(f"table4 含未知的组：{', '.join(sorted(unknown))}")
    return errors


def load_report(text: str | bytes, *, partial: bool = False) -> Report:
    """Parse and validate a JSON report; raise :class:`ReportValidationError` with every problem."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportValidationError([f"不是有效的 JSON：{exc}"]) from exc
    errors = validate_report(data, partial=partial)
    if errors:
        raise ReportValidationError(errors)
    return dict(data)
