"""Real browser, the issue's "Done when": compile a gazette issue from five published items,
download its PDF (its contents list the five titles with 文号) and see it on the portal;
publish a draft for comment, post two comments (one with an ID number — held by the scan),
close it and publish the feedback; the annual report's 总体情况 shows the counts."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import PASSWORD, make_staff
from gongkai.engagement.models import Comment
from gongkai.engagement.tests.test_services import id_number
from gongkai.gazette.tests.factories import make_documents, pdf_text
from gongkai.reports.services import report_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live_server.url}/office/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/office/")
    return context, page


def test_gazette_consultation_and_report(browser, live_server, tree, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_staff(tree.city, Role.HANDLER, sub=True, username="gz_handler")
    head = make_staff(tree.city, Role.HEAD, sub=True, username="gz_head")
    docs = make_documents([tree.city, tree.office, tree.dept_a], 5)
    year = timezone.localdate().year

    # the handler compiles the issue from the five published documents
    ctx, page = _as(browser, live_server, "gz_handler")
    page.get_by_role("link", name="政府公报").first.click()
    page.get_by_role("link", name="新建一期").click()
    page.get_by_label("主办机关").select_option(label="测试市人民政府")
    page.get_by_label("印数（册）").fill("4000")
    page.get_by_role("button", name="新建").click()
    for doc in docs:
        page.get_by_label(re.compile(re.escape(doc.title))).check()
    page.get_by_role("button", name="加入本期").click()
    main = page.locator("main")
    assert all(d.doc_number in main.inner_text() for d in docs)
    assert page.get_by_role("button", name="出版").count() == 0  # the handler cannot publish
    issue_url = page.url
    ctx.close()

    # the head publishes and downloads the PDF
    ctx, page = _as(browser, live_server, "gz_head")
    page.goto(issue_url)
    page.get_by_role("button", name="出版").click()
    assert "已出版" in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载PDF").click()
    text = re.sub(r"\s", "", pdf_text(open(info.value.path(), "rb").read()))
    contents = text.split("目录", 1)[1]
    for doc in docs:
        assert f"{doc.title}（{doc.doc_number}）" in contents
    ctx.close()

    # the portal: the 公报 column from the home page, the issue and its items
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="政府公报").first.click()
    page.get_by_role("link", name=re.compile(f"{year}年第1期")).click()
    assert all(d.title in page.locator("main").inner_text() for d in docs)
    page.get_by_role("link", name=docs[0].title).click()
    page.get_by_role("link", name="在政府信息公开目录中查看本文件").click()
    assert "刊登于政府公报" in page.locator("main").inner_text()
    ctx.close()

    # a draft for comment
    ctx, page = _as(browser, live_server, "gz_handler")
    page.get_by_role("link", name="公众参与").first.click()
    page.get_by_role("link", name="发布草案征求意见").click()
    page.get_by_label("机关").select_option(label="测试市人民政府")
    page.get_by_label("草案名称").fill("测试市养犬管理规定（征求意见稿）")
    page.get_by_label("草案类别").select_option(label="规章草案")
    page.get_by_label("草案全文").fill("第一条　为了规范养犬行为，制定本规定。")
    page.get_by_role("button", name="保存").click()
    consultation_url = page.url
    ctx.close()
    ctx, page = _as(browser, live_server, "gz_head")
    page.goto(consultation_url)
    page.get_by_role("button", name="发布征求意见").click()
    ctx.close()

    # two comments from the public, one with an ID number
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="征求意见").first.click()
    page.get_by_role("link", name="测试市养犬管理规定（征求意见稿）").click()
    public_url = page.url
    page.get_by_label("联系方式（电话或电子邮箱，不公开）").fill("13800000000")
    page.get_by_label("意见内容").fill("建议明确遛犬时段。")
    page.get_by_role("button", name="提交意见").click()
    assert "意见已提交" in page.locator("main").inner_text()
    page.get_by_label("联系方式（电话或电子邮箱，不公开）").fill("zhang@example.com")
    page.get_by_label("意见内容").fill(f"本人身份证{id_number()}，建议放宽限制。")
    page.get_by_role("button", name="提交意见").click()
    ctx.close()
    held = Comment.objects.get(text__contains="放宽")
    assert held.is_held

    # moderation, close, answers, feedback
    ctx, page = _as(browser, live_server, "gz_handler")
    page.goto(consultation_url)
    assert "个人信息检测" in page.locator("main").inner_text()
    assert id_number() in page.locator("main").inner_text()  # staff see the comment as sent
    page.get_by_role("button", name="受理").first.click()
    page.get_by_role("button", name="受理").first.click()
    page.get_by_role("button", name="截止征求意见").click()
    answers = page.locator("form.gk-answer")
    answers.nth(0).get_by_label("采纳情况").select_option(label="采纳")
    answers.nth(0).get_by_role("button", name="保存采纳情况").click()
    answers.nth(1).get_by_label("采纳情况").select_option(label="未采纳")
    answers.nth(1).get_by_label("理由").fill("与上位法规定不一致。")
    answers.nth(1).get_by_role("button", name="保存采纳情况").click()
    ctx.close()
    ctx, page = _as(browser, live_server, "gz_head")
    page.goto(consultation_url)
    page.get_by_label("意见采纳情况说明").fill("共收到意见2条，采纳1条，未采纳1条。")
    page.get_by_role("button", name="公布采纳情况").click()
    ctx.close()
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(public_url)
    public = page.locator("main").inner_text()
    assert "意见采纳情况" in public and "与上位法规定不一致" in public
    assert id_number() not in public and "13800000000" not in public
    ctx.close()

    # the annual report's 总体情况
    report = report_start(by=head, agency=tree.city, year=year)
    ctx, page = _as(browser, live_server, "gz_head")
    page.goto(f"{live_server.url}/office/reports/{report.pk}/")
    overview = page.locator("main").inner_text()
    assert f"{year}年编印《测试市人民政府公报》1期，共印发4000册，刊登文件5份" in overview
    assert (
        "就1件草案公开征求意见，收到并受理意见2条，其中采纳1条、部分采纳0条、未采纳1条" in overview
    )
    ctx.close()
