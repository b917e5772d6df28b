"""年报体检 verdicts are honest: no tables is not an all-clear; wrapped titles are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.builders.document import build_document
from gongkai.reports.builders.exports import render_pdf
from gongkai.reports.parsing import parse_report
from gongkai.reports.schema import empty_report
from gongkai.reports.tests.test_checker import PUBLIC, synthetic_2021

pytestmark = pytest.mark.django_db
REAL = Path(__file__).parent / "fixtures" / "real"


def test_text_without_tables_is_not_an_all_clear(client):
    text = "某某县某某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作有序开展。\n"
    html = client.post(PUBLIC, {"text": text}).content.decode()
    assert 'data-verdict="no-tables"' in html
    assert "未识别到统计表" in html and "收到和处理政府信息公开申请情况" in html
    assert "未发现不符" not in html


def test_consistent_report_still_gets_the_all_clear(client):
    html = client.post(PUBLIC, {"text": synthetic_2021(broken=False)}).content.decode()
    assert 'data-verdict="ok"' in html


def test_broken_report_gets_the_failures(client):
    html = client.post(PUBLIC, {"text": synthetic_2021(broken=True)}).content.decode()
    assert 'data-verdict="failed"' in html


def test_run_together_real_report_is_checked_with_its_tables(client):
    text = (REAL / "2022_fujian-pingtan-zone_1.txt").read_text(encoding="utf-8")
    html = client.post(PUBLIC, {"text": text}).content.decode()
    assert 'data-cell="table3.new.6"' in html
    assert "正文称收到申请75" in html  # the body contradicts the table: flagged


def test_agency_and_year_from_the_platform_pdf_when_the_title_wraps():
    agency = "某某省某某市某某区人民政府办公室发展和改革委员会"
    report = empty_report(2021, agency=agency, year=2025)
    report["table3"][0]["values"] = [3, 0, 0, 0, 0, 0, 3]
    pdf = render_pdf(build_document(report, {}))
    result = parse_report(pdf, "export.pdf")
    assert result.agency_name == agency
    assert result.year == 2025
