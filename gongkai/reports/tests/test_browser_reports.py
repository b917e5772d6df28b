"""Real browser: a department's 2025 report from draft to publication, opened on the portal."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.accounts.tests.factories import PASSWORD
from gongkai.core.testing import axe_violations
from gongkai.reports.tests.ledger import standard_ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _as(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/office/")
    return page


def test_department_report_from_draft_to_publication_on_the_portal(
    browser, live_server, tree, staff
):
    """Handler drafts and submits, reviewer passes, head approves; the portal shows the report."""
    standard_ledger(tree.dept_a, 2025)
    handler = _as(browser, live_server, "handler_a")
    handler.goto(f"{live_server.url}/office/reports/")
    handler.get_by_label("机关").select_option(label="测试市甲局")
    handler.get_by_label("报告年度").fill("2025")
    handler.get_by_role("button", name="开始编制").click()
    handler.wait_for_url("**/office/reports/*/")
    report_url = handler.url
    assert "编制中" in handler.locator("#report-status").inner_text()
    assert "全年共收到政府信息公开申请10件" in handler.locator("main").inner_text()
    handler.get_by_role("link", name="编辑文字部分").click()
    for textarea in handler.locator("textarea").all():
        textarea.fill(textarea.input_value().replace("【请填写：", "（已核实）").replace("】", ""))
    handler.get_by_role("button", name="保存").click()
    assert "文字部分已保存" in handler.locator("main").inner_text()
    handler.get_by_role("button", name="提交审核").click()
    assert "待审核" in handler.locator("#report-status").inner_text()

    reviewer = _as(browser, live_server, "reviewer_a")
    reviewer.goto(report_url)
    reviewer.get_by_role("button", name="审核通过").click()
    assert "待审批" in reviewer.locator("#report-status").inner_text()

    head = _as(browser, live_server, "head_a")
    head.goto(report_url)
    head.get_by_role("button", name="批准发布").click()
    assert "已发布" in head.locator("#report-status").inner_text()
    head.get_by_role("link", name="门户页面").click()

    portal = head
    assert "测试市甲局2025年政府信息公开工作年度报告" in portal.locator("h1").first.inner_text()
    portal.wait_for_selector(".echart[data-chart='results'] svg")
    assert portal.locator(".echart svg").count() == 4
    assert (
        "予以公开3件"
        in portal.locator("figure", has=portal.locator("[data-chart=results]")).inner_text()
    )
    assert axe_violations(portal) == []
    ARTIFACTS.mkdir(exist_ok=True)
    portal.screenshot(path=str(ARTIFACTS / "annual-report-portal.png"), full_page=True)
    portal.goto(f"{live_server.url}/disclosure/annual-reports/")
    assert "测试市甲局2025年政府信息公开工作年度报告" in portal.locator("main").inner_text()
