"""The applicant's case page follows the chosen language; the API and the PDF receipt stay Chinese.

Status, timeline, deadline lines and dates are English for an applicant who switched to English
(no Chinese characters left in those elements) and unchanged in Chinese; the notification of a
第三十五条 decision names the article and the later reply date.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gongkai.applications import services as office
from gongkai.applications.choices import EventKind, Status
from gongkai.applications.models import Application
from gongkai.notifications.models import Notification
from gongkai.notifications.services import compose
from gongkai.portal import selectors
from gongkai.portal.selectors import cn_date
from gongkai.portal.tests.test_access import apply

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # characters and CJK punctuation


def _decide(app: Application, staff) -> Application:
    assert app.reply_due_on is not None
    office.application_set_longer_deadline(
        by=staff["head_a"],
        application=app,
        on=app.received_on,
        due_on=app.reply_due_on + dt.timedelta(days=30),
        reason="内部记录：申请人一个月内提出120件申请",
    )
    return Application.objects.get(pk=app.pk)


def _element(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(1)


def _parts(html: str) -> dict[str, str]:
    """The status, the deadline list, the timeline and the 第三十五条 notice of a case page."""
    return {
        "status": _element(html, r'<strong id="case-status">(.*?)</strong>'),
        "deadlines": _element(html, r'<ul class="deadlines">(.*?)</ul>'),
        "timeline": _element(html, r'<ol class="timeline">(.*?)</ol>'),
        "notice": _element(
            html, r'<div class="notice" id="longer-deadline">\s*<h3>.*?</h3>\s*<p>(.*?)</p>'
        ),
        "received": _element(html, r'<td id="case-received">(.*?)</td>'),
    }


def test_the_case_page_in_english_has_no_chinese_in_status_timeline_and_deadlines(tree, staff):
    """Accept-Language en: English labels, ISO dates; the Chinese page is as before."""
    client, _number, _code, uid = apply(tree.dept_a)
    app = _decide(Application.objects.get(), staff)
    url = reverse("apply:case", args=[uid])

    en = _parts(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    for name, text in en.items():
        assert not CJK.search(text), (name, text)
    assert en["status"] == "Being handled"
    assert (
        "Reply deadline (the later reasonable date set under Article 35 of the Regulations)"
        in (en["deadlines"])
    )
    assert f": {app.reply_due_on.isoformat()}, " in en["deadlines"]
    assert "working day" in en["deadlines"]
    assert "Application submitted" in en["timeline"]
    assert "Later reasonable reply date set (Article 35 of the Regulations)" in en["timeline"]
    assert f">{app.received_on.isoformat()}</time>" in en["timeline"]
    assert f"by {app.reply_due_on.isoformat()}" in en["notice"]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switcher's cookie
    assert _parts(client.get(url).content.decode()) == en

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    zh = _parts(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode())
    due = cn_date(app.reply_due_on)
    assert zh["status"] == "办理中"
    assert f"答复期限（依《条例》第三十五条确定的合理期限）：{due}，剩余 " in zh["deadlines"]
    assert "个工作日" in zh["deadlines"]
    assert "提交申请" in zh["timeline"]
    assert "确定延迟答复的合理期限（《条例》第三十五条）" in zh["timeline"]
    assert f">{cn_date(app.received_on)}</time>" in zh["timeline"]
    assert f"本机关将于{due}前向您作出答复" in zh["notice"]
    assert zh["received"] == cn_date(app.received_on)


def test_deadline_wording_in_both_languages(tree, staff):
    """Remaining, due today, overdue and provisional read naturally in each language."""
    remaining = selectors.remaining_text
    assert remaining(12, True) == "剩余 12 个工作日（暂定）"
    assert remaining(0, False) == "今天到期"
    assert remaining(-3, False) == "已超过 3 个工作日"
    with translation.override("en"):
        assert remaining(12, True) == "12 working days left (provisional)"
        assert remaining(1, False) == "1 working day left"
        assert remaining(0, False) == "Due today"
        assert remaining(-3, False) == "3 working days overdue"
        assert remaining(-1, False) == "1 working day overdue"
        assert selectors.display_date(dt.date(2026, 3, 5)) == "2026-03-05"
    assert selectors.display_date(dt.date(2026, 3, 5)) == "2026年3月5日"


def test_the_extension_and_correction_lines_in_english(tree, staff):
    """An extended reply period and a correction deadline are English too, Chinese as before."""
    apply(tree.dept_a)
    app = Application.objects.get()
    app = office.application_approve_extension(
        by=staff["head_a"], application=app, on=app.received_on, days=5, reason="需要调取档案"
    )
    with translation.override("en"):
        (line,) = selectors.deadline_lines(app, today=app.received_on)
    assert line.label == "Statutory reply deadline (extended by 5 working days)"
    assert not CJK.search(line.label + line.text)
    (line,) = selectors.deadline_lines(app, today=app.received_on)
    assert line.label == "法定答复期限（已延长 5 个工作日）"

    apply(tree.dept_b)
    other = Application.objects.get(agency=tree.dept_b)
    today = other.received_on
    other = office.application_request_correction(
        by=staff["handler_b"],
        application=other,
        on=today,
        period_ends_on=today + dt.timedelta(days=15),
        content="请写明文号。",
    )
    assert other.status == Status.AWAITING_CORRECTION
    with translation.override("en"):
        lines = selectors.deadline_lines(other, today=today)
    assert [line.label for line in lines] == ["Statutory reply deadline", "Correction deadline"]
    assert not any(CJK.search(line.label + line.text) for line in lines)


def test_the_api_and_the_pdf_receipt_stay_chinese_for_an_english_client(tree, staff):
    """The JSON text fields and the official receipt do not follow Accept-Language."""
    client, number, code, uid = apply(tree.dept_a)
    app = Application.objects.get()
    body = json.dumps({"registration_number": number, "access_code": code})
    case = (
        Client()
        .post(
            "/api/applications/lookup",
            data=body,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .json()
    )
    assert case["status_label"] == "办理中"
    assert case["received_text"] == cn_date(app.received_on)
    assert case["deadlines"][0]["label"] == "法定答复期限"
    assert case["deadlines"][0]["text"].startswith(cn_date(app.reply_due_on) + "，剩余 ")
    assert case["timeline"][0]["text"] == "提交申请"

    from pypdf import PdfReader

    pdf = client.get(reverse("apply:receipt_pdf", args=[uid]), HTTP_ACCEPT_LANGUAGE="en")
    assert pdf.status_code == 200
    text = "".join(
        "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "政府信息公开申请受理回执" in text and "法定答复期限" in text
    assert cn_date(app.reply_due_on) in text and "Statutory" not in text


def test_the_article_35_notification_names_the_article_and_the_date(
    tree, staff, django_capture_on_commit_callbacks
):
    """The applicant is told of the later reasonable reply date under 第三十五条, by e-mail and SMS."""
    apply(tree.dept_a)
    app = Application.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        app = _decide(app, staff)
    event = app.events.get(kind=EventKind.LONGER_DEADLINE_SET)
    sent = Notification.objects.filter(event=event)
    assert {n.channel for n in sent} == {"EMAIL", "SMS"}
    due = cn_date(app.reply_due_on)
    for row in sent:
        assert "依据《中华人民共和国政府信息公开条例》第三十五条" in row.body
        assert "延迟答复的合理期限" in row.body and f"将于{due}前向您作出答复" in row.body
        assert "延长了" not in row.body and "内部记录" not in row.body
    assert len(mail.outbox) == 1 and "延迟答复" in mail.outbox[0].subject
    assert "第三十五条" in mail.outbox[0].body
    with translation.override("en"):
        message = compose("EXTENDED", app, event)
    assert "Article 35 of the Regulations" in message.body and due in message.body


def test_an_ordinary_extension_keeps_its_wording(tree, staff):
    """A 第三十三条 extension is still announced as an extension."""
    apply(tree.dept_a)
    app = Application.objects.get()
    event = app.events.order_by("-seq").first()
    event.kind = EventKind.EXTENSION_APPROVED
    message = compose("EXTENDED", app, event)
    assert "延长了申请" in message.body and "第三十五条" not in message.body
