"""Real browser: the public search page is accessible (axe-core) and usable at 375 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.catalog.models import CatalogItem
from gongkai.core.testing import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _items(tree) -> None:
    for i, title in enumerate(
        [
            "测试市甲局关于调整城乡居民最低生活保障标准的通知",
            "测试市乙局关于公共租赁住房申请条件的公告",
            "测试市甲局2024年最低生活保障资金分配方案",
        ],
        1,
    ):
        CatalogItem.objects.create(
            agency=tree.dept_a if i != 2 else tree.dept_b,
            title=title,
            summary="低保标准和资金安排",
            body="<p>最低生活保障标准每人每月900元，索引号 11440900MB2C12345X/2024-00001。</p>",
            index_number=f"11440900MB2C12345X/2024-{i:05d}",
            doc_number=f"测甲发〔2024〕{i}号",
            published_on=dt.date(2024, 7, i),
            published_year=2024,
            status="PUBLISHED",
            disclosure_attribute="PROACTIVE",
        )


@pytest.mark.parametrize("width", [1280, 375])
def test_search_page_is_accessible_and_fits_a_phone(page, live_server, tree, width):
    """Results with facets and the no-results help pass axe-core and do not scroll sideways."""
    _items(tree)
    page.set_viewport_size({"width": width, "height": 800})
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + "/search/")
    page.get_by_label("检索词").fill("最低生活保障")
    page.get_by_role("button", name="检索").click()
    assert page.locator(".search-hits li").count() == 3
    assert page.locator(".search-hits mark").count() >= 2
    # The facet counts arrive after the page (htmx), with links that filter the results.
    page.locator(".search-facets .count").first.wait_for(timeout=10000)
    assert page.locator(".search-facets", has_text="测试市乙局").count() == 1
    page.locator(".search-facets a", has_text="测试市乙局").click()
    page.wait_for_url("**/search/?*agency=*")
    assert page.locator(".search-hits li").count() == 1
    page.go_back()
    page.locator(".search-facets .count").first.wait_for(timeout=10000)
    for name in ("results", "no-results"):
        if name == "no-results":
            page.goto(live_server.url + "/search/?q=火星基地建设")
            assert page.get_by_text("没有找到相关结果").is_visible()
        assert axe_violations(page) == [], (name, width)
        page.screenshot(path=str(ARTIFACTS / f"search-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{name} scrolls sideways at {width}px"
