"""The newcomer's journey in a browser: each demo role reaches every workspace by menu clicks.

Starts at /office/ (and at / for the public), logs in with the demo password alone, clicks
every office menu link (never typing a URL), checks that each answers 200, and runs axe-core on
every page visited (no serious or critical violation).
"""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.agencies.demo import DEMO_PASSWORD, build_demo
from gongkai.core.testing import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["bgs_handler", "bgs_reviewer", "bgs_head", "bgs_admin", "admin", "security", "auditor"]
MENU = "nav.main-nav a[data-workspace]"


def _open(page: Any, click: Any) -> int:
    with page.expect_navigation() as nav:
        click()
    return nav.value.status


def test_every_demo_role_reaches_every_menu_workspace_by_clicking(page, live_server):
    build_demo()
    checked: set[str] = set()
    for username in ROLES:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/office/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        assert _open(page, page.get_by_role("button", name="登录").click) == 200
        keys = page.locator(MENU).evaluate_all("els => els.map(e => e.dataset.workspace)")
        assert "home" in keys, username
        for key in keys:
            link = page.locator(f'{MENU}[data-workspace="{key}"]')
            label = link.inner_text()
            status = _open(page, link.click)
            assert status == 200, (username, key, status)
            assert page.title().endswith("办公系统"), (username, key, page.title())
            assert label in page.locator(f"{MENU}[aria-current=page]").inner_text()
            if key not in checked:  # each page once for accessibility
                assert axe_violations(page) == [], (username, key)
                checked.add(key)


def test_the_public_reaches_the_main_services_from_home_by_clicking(page, live_server):
    build_demo()
    page.goto(f"{live_server.url}/")
    assert axe_violations(page) == []
    for name in ("政府信息公开年报", "在线申请", "查询申请", "年报体检", "工作人员登录"):
        page.goto(f"{live_server.url}/")
        link = page.get_by_role("link", name=name, exact=True).first
        assert _open(page, link.click) == 200, name
        assert axe_violations(page) == [], name
    page.goto(f"{live_server.url}/")
    page.get_by_label("搜索政府信息").fill("就业")
    assert _open(page, page.get_by_role("button", name="搜索", exact=True).click) == 200
