"""Real browser (Debian chromium): one case walked through the office UI, reply downloaded.

The handler registers an in-person application, requests a correction (补正) and records the
corrected application, sends a third-party consultation and records the answer; the head
approves an extension; the handler drafts the reply; the reviewer reviews it (保密审查 and
legal check); the head approves it; the handler issues the reply letter, records the delivery
and closes the case. The reply is downloaded as DOCX and PDF and read back; closing archives
the case in the background. Each role logs in through the login form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.applications.choices import EventKind, Status
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number
from gongkai.letters.tests.helpers import docx_text, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.GONGKAI_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _open_case(page: Any, live_server: Any, pk: int) -> None:
    page.goto(f"{live_server.url}/office/applications/{pk}/")


def _step(page: Any, live_server: Any, pk: int, label: str) -> None:
    """From the case page, open the step offered under 可办理事项."""
    _open_case(page, live_server, pk)
    page.locator("ul.actions").get_by_role("link", name=label, exact=True).click()


def _submit(page: Any, pk: int) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/office/applications/{pk}/")
    assert "已办理" in page.locator("main").inner_text()


def _decide(page: Any, pk: int, button: str) -> None:
    page.locator("main form").get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"**/office/applications/{pk}/")
    assert "已办理" in page.locator("main").inner_text()


def test_case_walk_in_the_office_ui_and_the_reply_read_back(office_login, live_server, tree, staff):
    """补正, consultation, extension, review, approval, letter, delivery; DOCX and PDF read back."""
    handler = office_login("handler_a")
    head = office_login("head_a")
    reviewer = office_login("reviewer_a")
    try:
        today = timezone.localdate()
        arrived = today - dt.timedelta(days=14)

        # -- registration (当面) -------------------------------------------------------------
        p = handler
        p.goto(f"{live_server.url}/office/applications/new/")
        p.get_by_label("申请方式").select_option("IN_PERSON")
        p.get_by_label("到达日期").fill(_iso(arrived))
        p.get_by_label("申请人类型").select_option("PERSON")
        p.get_by_label("申请人姓名或名称").fill("王五")
        p.get_by_label("身份证件类型").select_option("ID_CARD")
        p.get_by_label("证件号码").fill(make_id_number(21))
        p.get_by_label("联系电话").fill("13912345678")
        p.get_by_label("所需政府信息的名称、文号或者特征性描述").fill(
            "2025年度本局行政处罚决定书目录"
        )
        p.get_by_role("button", name="登记").click()
        p.wait_for_url("**/office/applications/*/")
        app = Application.objects.get()
        pk, number = app.pk, app.registration_number
        assert number in p.locator("h1").inner_text()
        received = app.received_on

        # -- 补正: notice, then the corrected application ------------------------------------
        _step(p, live_server, pk, "补正告知")
        p.get_by_label("告知日期").fill(_iso(received))
        p.get_by_label("补正期限").fill(_iso(received + dt.timedelta(days=15)))
        p.get_by_label("需要补正的事项").fill("请写明所需处罚决定书的年度和案件类别")
        _submit(p, pk)
        _step(p, live_server, pk, "收到补正")
        p.get_by_label("日期").fill(_iso(received + dt.timedelta(days=2)))
        _submit(p, pk)

        # -- third-party consultation and its answer -----------------------------------------
        _step(p, live_server, pk, "征求意见")
        p.get_by_label("征求对象").select_option("THIRD_PARTY")
        p.get_by_label("被征求意见方").fill("某建设有限公司")
        p.get_by_label("发出日期").fill(_iso(received + dt.timedelta(days=3)))
        p.get_by_label("对方收到日期").fill(_iso(received + dt.timedelta(days=3)))
        _submit(p, pk)
        _step(p, live_server, pk, "收到意见")
        p.locator("select[name=consultation]").select_option(index=1)
        p.get_by_label("收到意见日期").fill(_iso(received + dt.timedelta(days=5)))
        p.locator("select[name=outcome]").select_option("AGREED")
        _submit(p, pk)

        # -- the head approves an extension ---------------------------------------------------
        _step(head, live_server, pk, "延期答复")
        head.get_by_label("同意日期").fill(_iso(today))
        head.get_by_label("延长工作日数").fill("10")
        head.get_by_label("延期理由").fill("需要调取多个执法科室的案卷")
        _submit(head, pk)

        # -- draft, review (保密审查 + legal), approval ---------------------------------------
        _step(p, live_server, pk, "拟写答复")
        p.get_by_label("处理结果").select_option("r1_open")
        p.get_by_label("理由和依据").fill("属于公开范围")
        p.get_by_label("答复意见").fill("经审查，现向您提供2025年度行政处罚决定书目录。")
        _submit(p, pk)
        _step(p, live_server, pk, "提交审核")
        _submit(p, pk)
        _step(reviewer, live_server, pk, "审核通过")
        reviewer.get_by_label("已完成保密审查").check()
        reviewer.get_by_label("已完成合法性审查").check()
        reviewer.get_by_label("审核意见").fill("不涉密，程序合法")
        # the decision is one of two buttons: 审核通过 / 退回修改
        assert reviewer.locator("main form").get_by_role("button", name="退回修改").count() == 1
        _decide(reviewer, pk, "审核通过")
        _step(head, live_server, pk, "批准答复")
        assert head.locator("main form").get_by_role("button", name="退回修改").count() == 1
        _decide(head, pk, "批准答复")

        # -- the handler issues the reply letter and records the delivery ---------------------
        _open_case(p, live_server, pk)
        p.locator("section.case-letters").get_by_role("link", name="生成文书").click()
        p.get_by_label("文书模板").select_option("reply_r1_open")
        p.get_by_role("button", name="下一步").click()
        p.get_by_role("button", name="编号并生成").click()
        p.wait_for_url(f"**/office/letters/case/{pk}/")
        _step(p, live_server, pk, "送达")
        p.get_by_label("送达方式").select_option("EMAIL")
        p.get_by_label("送达日期").fill(_iso(today))
        p.get_by_label("送达凭证（回执、邮件单号等）").fill("电子邮件回执 20260001")
        _submit(p, pk)
        main = p.locator("main").inner_text()
        assert "已答复" in main and "制发文书" in main and "（一）予以公开" in main

        # -- download the reply as DOCX and PDF and read them back ----------------------------
        letters = p.locator("section.case-letters")
        # The 补正告知书 was issued with the correction notice (decision 1607).
        assert "政府信息公开申请补正告知书" in letters.inner_text()
        reply_row = letters.locator("tr", has_text="政府信息公开申请答复书")
        files = {}
        for fmt in ("DOCX", "PDF"):
            with p.expect_download() as info:
                reply_row.get_by_role("link", name=fmt, exact=True).first.click()
            files[fmt] = Path(info.value.path()).read_bytes()
        for text in (docx_text(files["DOCX"]), pdf_text(files["PDF"])):
            assert number in text
            assert "第三十六条第（二）项" in text
            assert "60日内" in text and "行政复议" in text
            assert "6个月内" in text and "行政诉讼" in text

        # -- closing archives the case in the background --------------------------------------
        _step(p, live_server, pk, "办结")
        _submit(p, pk)
        p.reload()
        assert "已归档" in p.locator("section.archive-job").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / "case-page-closed.png"), full_page=True)

        app.refresh_from_db()
        assert app.status == Status.CLOSED and app.extension_days == 10
        kinds = list(app.events.order_by("seq").values_list("kind", flat=True))
        for kind in (
            EventKind.CORRECTION_REQUESTED,
            EventKind.CORRECTION_RECEIVED,
            EventKind.CONSULTATION_SENT,
            EventKind.CONSULTATION_ANSWERED,
            EventKind.EXTENSION_APPROVED,
            EventKind.REVIEW_APPROVED,
            EventKind.APPROVAL_APPROVED,
            EventKind.LETTER_ISSUED,
            EventKind.DELIVERED,
            EventKind.CLOSED,
        ):
            assert kind in kinds, kind
        assert app.archives.count() == 1
    finally:
        for page in (handler, head, reviewer):
            page.context.close()
