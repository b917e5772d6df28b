"""Real browser: an officer and the auditor log in and see what their roles allow."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.audit import record_audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_officer_sees_own_agency_only_and_cannot_reach_another(
    page, office_login, live_server, tree, staff
):
    """The agency admin of A edits A; B's page is a 404; the audit log is not offered."""
    office_login("admin_a", page=page)
    body = page.locator("main")
    assert "测试市甲局" in body.inner_text()
    assert "机关管理员" in body.inner_text()
    page.get_by_role("link", name="测试市甲局").first.click()
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("联系电话").fill("0799-2222222")
    page.get_by_role("button", name="保存").click()
    assert "已保存" in page.locator("main").inner_text()
    assert "0799-2222222" in page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}/office/agencies/{tree.dept_b.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/office/audit/")
    assert response.status == 404
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/office/")
    page.screenshot(path=str(ARTIFACTS / "office-home.png"), full_page=True)


def test_auditor_reads_the_audit_log_and_changes_nothing(
    page, office_login, live_server, tree, staff
):
    """The auditor filters the audit trail; no edit actions are offered to them."""
    record_audit(action="test.visible", agency=tree.dept_a, target_repr="可见记录")
    office_login("auditor", page=page)
    page.goto(f"{live_server.url}/office/audit/")
    assert "审计日志" in page.locator("h1").inner_text()
    page.get_by_label("操作", exact=True).fill("test.visible")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 1
    assert "可见记录" in rows.first.inner_text()
    page.goto(f"{live_server.url}/office/agencies/{tree.dept_a.pk}/")
    assert page.get_by_role("link", name="编辑").count() == 0
    response = page.goto(f"{live_server.url}/office/agencies/{tree.dept_a.pk}/edit/")
    assert response.status == 403
