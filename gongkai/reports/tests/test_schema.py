"""The JSON report shape and its validation messages."""

from __future__ import annotations

import json

import pytest

from gongkai.reports.schema import ReportValidationError, empty_report, load_report, validate_report


@pytest.mark.parametrize("fmt", [2021, 2019, 2008])
def test_empty_report_is_valid(fmt: int) -> None:
    """The skeleton of each format validates strictly."""
    year = {2021: 2024, 2019: 2020, 2008: 2015}[fmt]
    assert validate_report(empty_report(fmt, agency="某局", year=year)) == []


def test_shape_of_table3_and_table4() -> None:
    """table3 is a list of {key, label, values[7]}; table4 three groups of five."""
    report = empty_report(2021)
    assert len(report["table3"]) == 25
    assert report["table3"][0] == {
        "key": "new",
        "label": "一、本年新收政府信息公开申请数量",
        "values": [0] * 7,
    }
    assert set(report["table4"]) == {"行政复议", "未经复议直接起诉", "复议后起诉"}
    assert len(empty_report(2019)["table3"]) == 23


def test_errors_are_chinese_and_specific() -> None:
    """Every departure is listed, naming the cell."""
    report = empty_report(2021, year=2019)
    report["table3"][4]["values"][2] = -1
    report["table3"][5]["values"] = [1, 2]
    report["table4"]["行政复议"][0] = 1.5
    del report["table2"]["fees"]
    errors = validate_report(report)
    assert "2019年度报告应使用2019年格式，而不是2021年格式" in errors
    assert "table3 第5行（1.属于国家秘密）科研机构 不能为负数，实际为 -1" in errors
    assert "table3 第6行（2.其他法律行政法规禁止公开）的 values 应为7个数字" in errors
    assert "table4.行政复议.结果维持 必须是整数，实际为 1.5" in errors
    assert "table2 缺少“行政事业性收费”（fees）" in errors


def test_table2_variant_and_partial_reports() -> None:
    """table2_format selects the 2019 table 二; partial reports may hold nulls."""
    report = empty_report(2021, table2_fmt=2019)
    assert report["table2_format"] == 2019 and "procurement" in report["table2"]
    assert validate_report(report) == []
    report["table3"][0]["values"][0] = None
    assert validate_report(report, partial=True) == []
    assert validate_report(report) != []


def test_load_report_raises_with_all_errors() -> None:
    """load_report parses JSON and raises ReportValidationError listing every problem."""
    with pytest.raises(ReportValidationError) as exc:
        load_report("{not json")
    assert exc.value.errors[0].startswith("不是有效的 JSON")
    with pytest.raises(ReportValidationError):
        load_report(json.dumps({"format": 2020}))
    assert load_report(json.dumps(empty_report(2008)))["format"] == 2008
