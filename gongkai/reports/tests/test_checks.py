"""Identities H1–H4, soft checks S1–S4 and the 2008 sums, on the JSON shape."""

from __future__ import annotations

import copy
import random

from gongkai.reports.checks import has_hard_failure, run_checks
from gongkai.reports.schema import empty_report, table3_by_key
from gongkai.reports.tests.renderers import random_report


def _set(report: dict, key: str, col: int, value: int) -> None:
    for row in report["table3"]:
        if row["key"] == key:
            row["values"][col] = value


def test_valid_random_reports_pass_every_hard_identity() -> None:
    """Reports built to satisfy H1–H4 raise no failure."""
    rng = random.Random(7)
    for fmt in (2021, 2019, 2008):
        for _ in range(20):
            assert not has_hard_failure(run_checks(random_report(rng, fmt)))


def test_h1_message_names_column_and_figures() -> None:
    """H1 per column: 一+二 against 三（七）+四."""
    report = empty_report(2021, year=2023)
    _set(report, "new", 2, 10)
    _set(report, "carried_in", 2, 2)
    _set(report, "r1_open", 2, 11)
    _set(report, "r7_total", 2, 11)
    for key in ("new", "carried_in", "r1_open", "r7_total"):
        row = table3_by_key(report)[key]
        _set(report, key, 6, sum(row[:6]))
    failures = run_checks(report)
    assert [f.message for f in failures] == [
        "H1 第3列（科研机构）：一+二=12，三（七）+四=11",
        "H1 第7列（总计）：一+二=12，三（七）+四=11",
    ]
    assert failures[0].cells == [
        "table3.new.2",
        "table3.carried_in.2",
        "table3.r7_total.2",
        "table3.carried_out.2",
    ]
    assert failures[0].figures == {"一": 10, "二": 2, "三（七）": 11, "四": 0}
    assert has_hard_failure(failures)


def test_h2_h3_h4() -> None:
    """Outcome rows against （七）总计, row totals, table-四 group totals."""
    report = empty_report(2019, year=2020)
    _set(report, "r6", 0, 3)
    _set(report, "r6", 6, 3)
    _set(report, "r7_total", 0, 2)
    _set(report, "r7_total", 6, 2)
    report["table4"]["行政复议"] = [1, 1, 0, 0, 3]
    codes = {(f.code, f.message) for f in run_checks(report)}
    assert ("H2", "H2 第1列（自然人）：（七）总计=2，（一）至（六）各项之和=3") in codes
    assert ("H4", "H4 行政复议：总计=3，结果维持+结果纠正+其他结果+尚未审结=2") in codes
    _set(report, "r6", 6, 4)
    assert ("H3", "H3 第21行（（六）其他处理）：总计=4，各类申请人之和=3") in {
        (f.code, f.message) for f in run_checks(report)
    }


def test_missing_figures_are_skipped() -> None:
    """A null cell makes its identity unevaluable, not failed."""
    report = empty_report(2021)
    _set(report, "new", 0, None)  # type: ignore[arg-type]
    failures = run_checks(report)
    assert not any(f.code == "H3" and "第1行" in f.message for f in failures)
    assert not any(f.code == "H1" and "第1列" in f.message for f in failures)


def test_cross_year_and_sign_checks() -> None:
    """S1 carried in vs last year's carried out; S2 现行有效; S3 2019 项目数量; S4 signs."""
    last = empty_report(2021, year=2022)
    this = empty_report(2021, year=2023)
    _set(last, "carried_out", 0, 4)
    _set(last, "carried_out", 6, 4)
    last["table2"]["regulations"]["in_force"] = 10
    this["table2"]["regulations"].update({"issued": 2, "repealed": 1, "in_force": 12})
    codes = [f.code for f in run_checks(this, last)]
    assert codes.count("S1") == 2 and codes.count("S2") == 1
    old, new = empty_report(2019), empty_report(2019)
    old["table2"]["licensing"].update({"previous_items": 10, "change": -2})
    new["table2"]["licensing"]["previous_items"] = 9
    s3 = [f for f in run_checks(new, old) if f.code == "S3"]
    assert s3 and s3[0].message == "S3 行政许可：上一年项目数量=9，上年报告10+本年增/减-2=8"
    neg = copy.deepcopy(new)
    neg["table2"]["licensing"]["decisions"] = -1
    neg["table2"]["licensing"]["change"] = -5
    s4 = [f.cells for f in run_checks(neg) if f.code == "S4"]
    assert s4 == [["table2.licensing.decisions"]]


def test_2008_sums_and_bounds() -> None:
    """L1 sums of the 2008 table are hard; L2 bounds are soft."""
    report = empty_report(2008, year=2014)
    t = report["table2008"]
    t.update({"received": 24, "received_in_person": 2, "received_online": 17, "received_letter": 4})
    t.update({"press_conferences": 3, "press_conferences_leaders": 5})
    failures = run_checks(report)
    l1 = next(f for f in failures if f.code == "L1")
    assert l1.message == "L1 收到申请数=24，其分项之和=2+0+17+4=23"
    assert l1.is_hard
    l2 = next(f for f in failures if f.code == "L2")
    assert "主要负责同志参加新闻发布会次数=5" in l2.message and not l2.is_hard
