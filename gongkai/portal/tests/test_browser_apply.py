"""Real browser (Debian chromium): a citizen applies, corrects, and downloads the reply.

The officer works in the office UI: requests a correction, drafts the reply, the reviewer and
the head approve it, the reply letter is issued, the delivery recorded. Every portal page is
checked with axe-core (no serious/critical violation) at 1280 px and 375 px, must not scroll
sideways on a phone, and is screenshotted into test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.accounts.tests.factories import PASSWORD
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number
from gongkai.core.testing import axe_violations
from gongkai.portal.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
WIDTHS = (1280, 375)


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.GONGKAI_REQUIRE_2FA = False
    cache.clear()


def check_page(page, name: str) -> None:
    """axe-core at desktop and phone width, no sideways scrolling, a screenshot of each."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert violations == [], (name, width, violations)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"apply-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def office_login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/office/")


def office_step(
    page, live_server, app: Application, step: str, fill, button: str | None = None
) -> None:
    """Open a step's page, fill it, submit with its (only or named) button."""
    page.goto(f"{live_server.url}/office/applications/{app.pk}/steps/{step}/")
    fill(page)
    if button:  # a decision is one of two buttons (e.g. 审核通过 / 退回修改)
        page.locator("main form").get_by_role("button", name=button, exact=True).click()
    else:
        page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf".*/office/applications/{app.pk}/$"))


def test_citizen_applies_corrects_and_downloads_the_reply(
    page, live_server, tree, staff, tmp_path, settings
):
    """The whole online path, through the portal and the office UI, in the real browser."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate().isoformat()
    id_copy = tmp_path / "身份证.pdf"
    id_copy.write_bytes(PDF)
    base = live_server.url

    # -- the guide page links to the form; the form, with an error first ----------------------
    page.goto(f"{base}/apply/")
    check_page(page, "start")
    page.goto(f"{base}/agencies/{tree.dept_a.pk}/guide/")
    page.get_by_role("link", name=re.compile("在线申请政府信息公开")).click()
    page.wait_for_url(re.compile(r".*/apply/new/\d+/$"))
    check_page(page, "form")
    page.get_by_label("姓名或名称").fill("孙八")
    page.get_by_label("证件号码").fill("110101199003070000")  # wrong check digit
    page.get_by_label("联系电话").fill("13812340000")
    page.get_by_label("电子邮箱").fill("sun@example.cn")
    page.get_by_label("文号").fill("测府办〔2025〕7号")
    page.get_by_label("所需政府信息的内容描述").fill("请公开该文件全文。")
    page.get_by_label("身份证明复印件").set_input_files(str(id_copy))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#error-summary")
    error = page.locator("#id_id_number_error")
    assert "校验位" in error.inner_text() or "18位" in error.inner_text()
    assert (
        page.get_by_label("证件号码")
        .get_attribute("aria-describedby")
        .endswith("id_id_number_error")
    )
    assert page.get_by_label("所需政府信息的内容描述").input_value() == "请公开该文件全文。"
    assert page.locator(".staged").count() == 1  # the identity copy is kept
    check_page(page, "form-errors")
    page.get_by_label("证件号码").fill(make_id_number(21))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/receipt/$"))
    number = page.locator("#registration-number").inner_text()
    code = page.locator("#access-code").inner_text()
    check_page(page, "receipt")
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载受理回执（PDF）").click()
    assert Path(dl.value.path()).read_bytes().startswith(b"%PDF")
    app = Application.objects.get(registration_number=number, agency=tree.dept_a)
    assert app.channel == "ONLINE"

    # -- the officer asks for a correction (office UI) -----------------------------------------
    office_login(page, live_server, "handler_a")

    def correction(p):
        p.get_by_label("告知日期").fill(today)
        p.get_by_label("补正期限").fill(
            (timezone.localdate() + timezone.timedelta(days=15)).isoformat()
        )
        p.get_by_label("需要补正的事项").fill("请写明文件的成文日期。")

    office_step(page, live_server, app, "request_correction", correction)
    app.refresh_from_db()
    assert app.status == "AWAITING_CORRECTION"

    # -- the citizen answers it on the portal (a fresh browser session, number + code) ---------
    page.context.clear_cookies()
    page.goto(f"{base}/apply/follow/")
    check_page(page, "follow")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r".*/apply/cases/[0-9a-f-]+/$"))
    assert "请写明文件的成文日期。" in page.content()
    check_page(page, "case-correction")
    page.get_by_label("补正后的申请内容").fill("成文日期为2025年3月1日。")
    page.get_by_role("button", name="提交补正").click()
    page.wait_for_selector("text=补正已提交")
    case_url = page.url
    app.refresh_from_db()
    assert app.status == "HANDLING" and app.corrected_on is not None
    assert "法定答复期限：" in page.content() and "个工作日" in page.content()

    # -- the officer replies: draft, review, approval, letter, delivery (office UI) ------------
    office_login(page, live_server, "handler_a")

    def draft(p):
        p.locator("select[name$='-decision']").first.select_option("r1_open")
        p.get_by_label("答复意见").fill("经查，该文件予以公开，见附件。")

    office_step(page, live_server, app, "draft_reply", draft)
    office_step(page, live_server, app, "submit_for_review", lambda p: None)
    office_login(page, live_server, "reviewer_a")

    def review(p):
        p.get_by_label("已完成保密审查").check()
        p.get_by_label("已完成合法性审查").check()

    office_step(page, live_server, app, "approve_review", review, button="审核通过")
    office_login(page, live_server, "head_a")
    office_step(page, live_server, app, "approve_reply", lambda p: None, button="批准答复")
    office_login(page, live_server, "handler_a")
    page.goto(f"{base}/office/letters/case/{app.pk}/issue/?code=reply_r1_open")
    page.evaluate(
        """(today) => document.querySelectorAll('main form input, main form textarea').forEach(el => {
            if (el.type === 'hidden' || el.value) return;
            if (el.type === 'date') el.value = today; else if (el.type !== 'checkbox') el.value = '略';
        })""",
        today,
    )
    page.get_by_role("button", name="编号并生成").click()
    page.wait_for_url(re.compile(rf".*/office/letters/case/{app.pk}/$"))

    def delivery(p):
        p.get_by_label("送达方式").select_option("ONLINE")
        p.get_by_label("送达日期").fill(today)

    office_step(page, live_server, app, "record_delivery", delivery)
    app.refresh_from_db()
    assert app.status == "REPLIED" and app.result == "r1_open"

    # -- the citizen downloads the reply ---------------------------------------------------------
    page.context.clear_cookies()
    page.goto(f"{base}/apply/follow/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "已答复"
    check_page(page, "case-replied")
    with page.expect_download() as dl:
        page.get_by_role("link", name=re.compile("下载PDF")).last.click()
    reply = Path(dl.value.path()).read_bytes()
    assert reply.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(reply)).pages)
    assert "答复" in text

    # -- keyboard only: the follow form can be used with Tab and Enter ---------------------------
    page.context.clear_cookies()
    page.goto(f"{base}/apply/follow/")
    page.locator("#id_registration_number").focus()
    page.keyboard.type(number)
    page.keyboard.press("Tab")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(case_url)


@pytest.mark.parametrize("path", ["/apply/account/login/", "/apply/account/signup/"])
def test_account_pages_are_accessible(page, live_server, tree, path):
    """The applicant account pages pass axe-core at both widths."""
    page.goto(live_server.url + path)
    check_page(page, path.strip("/").replace("/", "-"))
