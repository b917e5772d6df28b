"""Real browser (Debian chromium): the information itself reaches the applicant.

The handler attaches two files (a PDF with personal data in its text and in a scanned picture,
and a PNG scan) and one published catalogue item found by search, draws three boxes on the
PDF's first page, each with its legal reason, and renders every file; the reviewer sees the
redacted output and approves, the head approves; the handler records the online delivery; the
applicant opens the case with the access code and downloads every file. The downloads are in
the case's history and, once the case is closed and archived, the archive's manifest lists
each provided file with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image, ImageDraw

from gongkai.applications import services as app_services
from gongkai.applications.choices import DeliveryMethod, Result, Status
from gongkai.applications.tests.factories import make_application
from gongkai.letters.storage import read_bytes
from gongkai.responses.choices import DocumentStatus
from gongkai.responses.models import ResponseDocument, ResponseDownload
from gongkai.responses.tests.documents import ID_NUMBER, sample_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = "ABCD-EFGH-JKMN"


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.GONGKAI_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _png() -> bytes:
    image = Image.new("RGB", (800, 1100), "white")
    ImageDraw.Draw(image).text((80, 80), "SCAN 2026", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _case(tree: Any, staff: dict[str, Any]) -> Any:
    from gongkai.portal import access as acc
    from gongkai.portal.models import CaseAccess

    app = make_application(
        tree.dept_a,
        staff["handler_a"],
        received_on=dt.date(2026, 2, 10),
        requested_delivery=DeliveryMethod.ONLINE,
    )
    app = app_services.application_draft_reply(
        by=staff["handler_a"],
        application=app,
        decisions=[
            app_services.ItemDecision(description="处罚决定书", decision=Result.R2_PARTIAL),
            app_services.ItemDecision(description="部门预算", decision=Result.R1_OPEN),
        ],
    )
    salt, digest = acc.make_code_hash(CODE)
    CaseAccess.objects.create(application=app, code_salt=salt, code_hash=digest)
    return app


def _catalogue_item(tree: Any, staff: dict[str, Any]) -> Any:
    from gongkai.catalog.services import attachment_add
    from gongkai.catalog.tests.factories import make_item, pdf_bytes, publish

    item = make_item(tree.dept_a, title="2025年部门预算公开")
    attachment_add(
        by=staff["handler_a"], item=item, name="预算.pdf", data=pdf_bytes([["Budget 2025"]])
    )
    return publish(item)


def _draw(page: Any, box_pdf: tuple[float, ...], reason: str) -> None:
    """Drag a box over ``box_pdf`` (PDF points of the A4 first page) and save it as a mark."""
    page.locator("html[data-marking=ready]").wait_for(state="attached")
    canvas = page.locator(".rd-page[data-page='0'] .rd-canvas img")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=canvas.element_handle()
    )
    rect = canvas.bounding_box()
    scale = rect["width"] / 595.0
    assert rect["y"] + rect["height"] < 1900  # the whole first page is in the window
    x0 = rect["x"] + box_pdf[0] * scale
    y0 = rect["y"] + (842.0 - box_pdf[3]) * scale
    x1 = rect["x"] + box_pdf[2] * scale
    y1 = rect["y"] + (842.0 - box_pdf[1]) * scale
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    form = page.locator(".rd-page[data-page='0'] form.rd-box-form")
    form.get_by_label("法律依据").select_option(reason)
    with page.expect_navigation():
        form.get_by_role("button", name="添加标记").click()


def _render(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="生成并检查").click()
    assert "已生成提供文件" in page.locator("main").inner_text()


def _step(page: Any, live_server: Any, pk: int, label: str) -> None:
    page.goto(f"{live_server.url}/office/applications/{pk}/")
    page.locator("ul.actions").get_by_role("link", name=label, exact=True).click()


def _decide(page: Any, pk: int, button: str) -> None:
    """The reviewer's and the head's decision: one of two buttons (the other is 退回修改)."""
    page.locator("main form").get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"**/office/applications/{pk}/")


def _submit_step(page: Any, pk: int) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/office/applications/{pk}/")


def test_attach_redact_review_approve_and_download(browser, office_login, live_server, tree, staff):
    app = _case(tree, staff)
    item = _catalogue_item(tree, staff)
    sample = sample_pdf()
    from gongkai.responses import redaction

    [text_id] = [
        m.box
        for m in redaction.search_text(
            redaction.read_text(sample.data), ID_NUMBER, reason="PERSONAL_PRIVACY"
        )
        if m.page == 0
    ][:1]
    handler = office_login("handler_a", width=1400, height=1900, timeout=30_000)
    reviewer = office_login("reviewer_a", width=1400, height=1900, timeout=30_000)
    head = office_login("head_a", width=1400, height=1900, timeout=30_000)
    base = f"{live_server.url}/office/responses/case/{app.pk}/"
    try:
        # -- the handler attaches two files and one catalogue item ------------------------------
        handler.goto(base)
        handler.get_by_label("文件（PDF、DOCX、XLSX、PNG、JPEG、TIFF）").set_input_files(
            {"name": "处罚决定书.pdf", "mimeType": "application/pdf", "buffer": sample.data}
        )
        handler.get_by_label("对应申请事项").first.select_option("1")
        handler.get_by_role("button", name="上传").click()
        handler.wait_for_url(base)
        handler.get_by_label("文件（PDF、DOCX、XLSX、PNG、JPEG、TIFF）").set_input_files(
            {"name": "扫描件.png", "mimeType": "image/png", "buffer": _png()}
        )
        handler.get_by_role("button", name="上传").click()
        handler.wait_for_url(base)
        handler.get_by_label("查找目录条目（标题或索引号）").fill("部门预算")
        handler.get_by_role("button", name="查找").click()
        handler.locator("ul.found li", has_text=item.title).get_by_role(
            "button", name="添加此条目"
        ).click()
        handler.wait_for_url(base)
        assert handler.locator("#documents tbody tr").count() == 3

        # -- three boxes on the PDF, each with its reason; every file rendered -------------------
        handler.locator("#documents").get_by_role("link", name="处罚决定书.pdf").click()
        _draw(handler, sample.id_box, "PERSONAL_PRIVACY")
        _draw(handler, sample.mobile_box, "PERSONAL_PRIVACY")
        _draw(handler, tuple(text_id), "STATE_SECRET")
        assert handler.locator(".rd-marks li").count() == 3
        drawn = ResponseDocument.objects.get(application=app, name="处罚决定书.pdf").mark_list
        for mark, wanted in zip(drawn, (sample.id_box, sample.mobile_box, text_id), strict=True):
            assert all(abs(a - b) < 1.5 for a, b in zip(mark.box, wanted, strict=True)), (
                mark.box,
                wanted,
            )
        assert "区分处理，3 处" in handler.locator("main").inner_text()
        _render(handler)
        for name in ("扫描件.png", "预算.pdf"):
            handler.goto(base)
            handler.locator("#documents").get_by_role("link", name=name).click()
            _render(handler)
        documents = list(ResponseDocument.objects.filter(application=app))
        assert {d.status for d in documents} == {DocumentStatus.READY}
        _step(handler, live_server, app.pk, "提交审核")
        _submit_step(handler, app.pk)

        # -- the reviewer sees the redacted output, then the head approves ------------------------
        reviewer.goto(base)
        assert "答复材料已锁定" in reviewer.locator("main").inner_text()
        reviewer.locator("#documents").get_by_role("link", name="处罚决定书.pdf").click()
        output = reviewer.locator("img.rd-output-page").first
        output.scroll_into_view_if_needed()
        reviewer.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=output.element_handle()
        )
        reviewer.screenshot(path=str(Path(tempfile.gettempdir()) / "gongkai-reviewer.png"))
        with reviewer.expect_download() as info:
            reviewer.get_by_role("link", name="下载提供文件").click()
        seen = Path(info.value.path()).read_bytes()
        redacted = next(d for d in documents if d.name == "处罚决定书.pdf")
        redacted.refresh_from_db()
        assert hashlib.sha256(seen).hexdigest() == redacted.output_sha256
        assert reviewer.locator("form.rd-box-form").count() == 0  # no marking once locked
        _step(reviewer, live_server, app.pk, "审核通过")
        reviewer.get_by_label("已完成保密审查").check()
        reviewer.get_by_label("已完成合法性审查").check()
        reviewer.get_by_label("审核意见").fill("遮盖处理得当")
        _decide(reviewer, app.pk, "审核通过")
        _step(head, live_server, app.pk, "批准答复")
        _decide(head, app.pk, "批准答复")
        app.refresh_from_db()
        assert app.status == Status.APPROVED

        # -- online delivery; the applicant downloads every file -------------------------------
        handler.goto(base)
        handler.get_by_label("送达方式").select_option("ONLINE")
        handler.get_by_label("送达日期").fill(timezone.localdate().isoformat())
        handler.get_by_role("button", name="记录送达").click()
        handler.wait_for_url(base)
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        applicant = context.new_page()
        applicant.set_default_timeout(30_000)
        applicant.goto(f"{live_server.url}/apply/follow/")
        applicant.get_by_label("受理编号").fill(app.registration_number)
        applicant.get_by_label("查询码").fill(CODE)
        applicant.locator("main form button[type=submit]").last.click()
        applicant.wait_for_url("**/apply/cases/**")
        section = applicant.locator("ul.response-files")
        assert "区分处理，3 处" in section.inner_text()
        links = section.get_by_role("link")
        assert links.count() == 3
        got = {}
        for n in range(3):
            with applicant.expect_download() as info:
                links.nth(n).click()
            got[info.value.suggested_filename] = hashlib.sha256(
                Path(info.value.path()).read_bytes()
            ).hexdigest()
        context.close()
        for doc in ResponseDocument.objects.filter(application=app):
            assert got[doc.download_name] == doc.output_sha256
        assert ResponseDownload.objects.filter(channel="PORTAL").count() == 3

        # -- the downloads are in the case's history -------------------------------------------
        handler.goto(f"{live_server.url}/office/applications/{app.pk}/")
        history = handler.locator("ul.downloads").inner_text()
        assert history.count("申请人（查询码）") == 3
    finally:
        for page in (handler, reviewer, head):
            page.context.close()

    # -- closed and archived: the manifest lists each provided file's SHA-256 ---------------------
    from gongkai.letters.services import archive_build

    app.refresh_from_db()
    app = app_services.application_close(by=staff["handler_a"], application=app)
    archive = archive_build(application=app, by=staff["handler_a"])
    with zipfile.ZipFile(io.BytesIO(read_bytes(archive.file))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    listed = {f["sha256"] for f in manifest["files"]}
    for doc in ResponseDocument.objects.filter(application=app):
        assert doc.output_sha256 in listed
    sealed = {r["sha256"]: r for r in manifest["responses"]}
    assert all(
        [d["who"] for d in sealed[doc.output_sha256]["downloads"]].count("申请人（查询码）") == 1
        for doc in ResponseDocument.objects.filter(application=app)
    )
