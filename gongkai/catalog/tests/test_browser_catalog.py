"""Real browser: the publishing workflow end to end, and the portal pages' accessibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.accounts.tests.factories import PASSWORD
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import make_item, make_published, pdf_bytes, publish
from gongkai.core.models import AuditEvent
from gongkai.core.testing import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PLANTED_ID = "11010519491231002X"
TITLE = "关于公布2026年临时救助对象名单的通知"


def _as(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/office/")
    return context, page


def test_draft_scan_review_approve_publish_withdraw(
    browser, live_server, tree, staff, tmp_path, settings
):
    """An officer's attachment with a planted ID number blocks review until it is replaced;
    then the reviewer passes, the head approves, the item is on the portal and in the feed;
    withdrawn, it leaves the portal and stays in the audit trail."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    bad = tmp_path / "名单.pdf"
    bad.write_bytes(pdf_bytes([["Relief list 2026"], ["Zhang San", f"ID {PLANTED_ID}"]]))
    good = tmp_path / "名单（已处理）.pdf"
    good.write_bytes(pdf_bytes([["Relief list 2026"], ["Zhang San"]]))

    ctx, page = _as(browser, live_server, "handler_a")
    page.goto(f"{live_server.url}/office/catalog/new/")
    page.get_by_label("发布机构").select_option(label="测试市甲局")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("内容概述").fill("公布临时救助对象名单。")
    page.get_by_label("成文日期").fill("2026-03-02")
    page.get_by_label("添加附件").set_input_files(str(bad))
    page.get_by_role("button", name="保存").click()
    main = page.locator("main")
    assert "居民身份证号码" in main.inner_text()
    assert "名单.pdf，第2页，第2行" in main.inner_text()
    assert PLANTED_ID not in main.inner_text()
    item = CatalogItem.objects.get(title=TITLE)
    page.get_by_role("button", name="提交保密审查").click()
    assert "已提交保密审查" in main.inner_text()
    ctx.close()

    ctx, page = _as(browser, live_server, "reviewer_a")
    page.goto(f"{live_server.url}/office/catalog/{item.pk}/")
    page.get_by_label("审查结论").select_option("PASS")
    page.get_by_role("button", name="提交审查结论").click()
    assert "尚未处理" in page.locator("main").inner_text()
    page.get_by_label("审查结论").select_option("RETURN")
    page.get_by_label("审查意见").fill("附件含身份证号码，请删除后重新提交。")
    page.get_by_role("button", name="提交审查结论").click()
    assert "草稿" in page.locator("#item-status").inner_text()
    ctx.close()

    ctx, page = _as(browser, live_server, "handler_a")
    page.goto(f"{live_server.url}/office/catalog/{item.pk}/")
    page.get_by_role("button", name="删除").click()
    page.get_by_label("上传附件").set_input_files(str(good))
    page.get_by_role("button", name="上传", exact=True).click()
    assert "已修改" in page.locator("table.gk-findings").inner_text()
    page.get_by_role("button", name="提交保密审查").click()
    ctx.close()

    ctx, page = _as(browser, live_server, "reviewer_a")
    page.goto(f"{live_server.url}/office/catalog/{item.pk}/")
    page.get_by_label("审查结论").select_option("PASS")
    page.get_by_role("button", name="提交审查结论").click()
    assert "待负责人审批" in page.locator("#item-status").inner_text()
    ctx.close()

    ctx, page = _as(browser, live_server, "head_a")
    page.goto(f"{live_server.url}/office/catalog/{item.pk}/")
    page.get_by_role("button", name="同意发布").click()
    assert "已发布" in page.locator("#item-status").inner_text()

    public = browser.new_page()
    public.goto(f"{live_server.url}/disclosure/documents/")
    public.get_by_role("link", name=TITLE).click()
    assert item.index_number in public.locator("main").inner_text()
    feed = public.goto(f"{live_server.url}/disclosure/feed/agency/{tree.dept_a.pk}/rss/")
    assert TITLE in feed.text()

    page.get_by_label("撤回理由").fill("名单公示期已满")
    page.get_by_role("button", name="撤回").click()
    assert "已撤回" in page.locator("#item-status").inner_text()
    ctx.close()
    assert public.goto(f"{live_server.url}/disclosure/documents/{item.pk}/").status == 404
    public.goto(f"{live_server.url}/disclosure/documents/")
    assert TITLE not in public.locator("main").inner_text()
    actions = set(
        AuditEvent.objects.filter(
            target_id=str(item.pk), action__startswith="catalog."
        ).values_list("action", flat=True)
    )
    assert {"catalog.create", "catalog.review", "catalog.approve", "catalog.withdraw"} <= actions
    public.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_portal_catalogue_pages_are_accessible(page, live_server, tree, width):
    """The section, columns, list (with facets) and document pages pass axe-core (serious and
    critical) and do not scroll sideways at desktop and phone widths."""
    doc = make_published(
        tree.dept_a, title="临江市城镇老旧小区改造实施方案", doc_number="临府办〔2026〕8号",
        keywords="老旧小区 改造", structured_kind="NORMATIVE", statutory_item=1,
    )  # fmt: skip
    publish(
        make_item(
            tree.dept_a,
            title="《临江市城镇老旧小区改造实施方案》政策解读",
            genre="INTERPRETATION",
            interprets=[doc],
        )
    )
    make_published(tree.dept_a, title="临江市甲局政府信息公开工作制度", portal_column="RULES")
    page.set_viewport_size({"width": width, "height": 800})
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in [
        ("section", "/disclosure/"),
        ("statutory", "/disclosure/statutory/"),
        ("rules", "/disclosure/rules/"),
        ("reports", "/disclosure/reports/"),
        ("list", "/disclosure/documents/?genre=NOTICE"),
        ("document", f"/disclosure/documents/{doc.pk}/"),
        ("agency", f"/agencies/{tree.dept_a.pk}/disclosure/"),
    ]:
        page.goto(live_server.url + path)
        if name == "list":  # the facet counts arrive right after the page (htmx)
            page.locator(".gk-facets section").first.wait_for(timeout=10000)
            assert page.locator(".gk-facets", has_text="通知").count() == 1
        assert axe_violations(page) == [], (path, width)
        page.screenshot(path=str(ARTIFACTS / f"catalog-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{path} scrolls sideways at {width}px"
