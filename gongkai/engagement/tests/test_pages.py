"""Public engagement pages: the portal's consultation (comment, scan, rate limit, feedback),
interaction records and mailbox; the office's moderation through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.actors import SYSTEM
from gongkai.engagement.choices import CommentStatus, DraftKind, InteractionKind
from gongkai.engagement.models import Comment, MailboxMessage
from gongkai.engagement.services import (
    consultation_create,
    consultation_publish,
    interaction_record,
)
from gongkai.engagement.tests.test_services import id_number


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def consultation(tree):
    today = timezone.localdate()
    c = consultation_create(
        by=SYSTEM, agency=tree.city, title="临江市养犬管理规定（征求意见稿）", kind=DraftKind.REGULATION,
        body="第一条 为了规范养犬行为，制定本规定。", opens_on=today, closes_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    return consultation_publish(by=SYSTEM, consultation=c)


@pytest.mark.django_db
def test_public_comment_scan_hold_and_contact_required(consultation):
    """A comment needs a contact; one with an ID number is held; the contact never shows."""
    client = Client()
    url = reverse("engagement_portal:consultation", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "第一条" in page and "提交意见" in page
    response = client.post(url, {"text": "建议增加遛犬时间。", "contact": ""})
    assert "请留下联系方式" in response.content.decode() and Comment.objects.count() == 0
    client.post(url, {"text": f"身份证{id_number()}，建议放宽。", "contact": "13900001111"})
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.HELD
    assert "13900001111" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_comment_rate_limit(consultation, settings):
    """The sixth comment from one contact within the hour is refused with a Chinese message."""
    settings.PORTAL_RATE_LIMITS = {"comment_contact": (2, 3600)}
    client = Client()
    url = reverse("engagement_portal:consultation", args=[consultation.pk])
    for _ in range(2):
        client.post(url, {"text": "意见", "contact": "a@example.com"})
    response = client.post(url, {"text": "意见", "contact": "a@example.com"})
    assert "操作过于频繁" in response.content.decode()
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_office_moderates_answers_and_publishes_feedback(consultation, tree):
    """Through the office pages: accept, close, answer, conclude; the portal shows 采纳情况."""
    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="eg_handler")
    head = make_staff(tree.city, Role.HEAD, sub=True, username="eg_head")
    Client().post(
        reverse("engagement_portal:consultation", args=[consultation.pk]),
        {"text": "建议第五条增加遛犬时间的规定。", "contact": "a@example.com"},
    )
    comment = Comment.objects.get()
    office = Client()
    office.force_login(handler)
    page = office.get(reverse("engagement:consultation", args=[consultation.pk])).content.decode()
    assert "a@example.com" in page  # staff see the contact
    office.post(
        reverse("engagement:moderate", args=[consultation.pk, comment.pk]), {"decision": "accept"}
    )
    office.post(reverse("engagement:close", args=[consultation.pk]))
    office.post(
        reverse("engagement:answer", args=[consultation.pk, comment.pk]),
        {"adoption": "NOT_ADOPTED", "reason": ""},
    )
    comment.refresh_from_db()
    assert comment.adoption == ""  # a reason is required
    office.post(
        reverse("engagement:answer", args=[consultation.pk, comment.pk]),
        {"adoption": "PARTLY", "reason": "已在第六条中体现"},
    )
    assert (
        office.post(
            reverse("engagement:conclude", args=[consultation.pk]), {"summary": "x"}
        ).status_code
        == 403
    )
    head_client = Client()
    head_client.force_login(head)
    head_client.post(
        reverse("engagement:conclude", args=[consultation.pk]), {"summary": "共收到意见1条。"}
    )
    public = (
        Client()
        .get(reverse("engagement_portal:consultation", args=[consultation.pk]))
        .content.decode()
    )
    assert "意见采纳情况" in public and "部分采纳" in public and "已在第六条中体现" in public
    assert "a@example.com" not in public


@pytest.mark.django_db
def test_interactions_and_mailbox_pages(tree):
    """Interviews list and open on the portal; a mailbox message is taken with its due date."""
    record = interaction_record(
        by=SYSTEM, agency=tree.city, kind=InteractionKind.INTERVIEW, held_on=dt.date(2025, 6, 1),
        topic="优化营商环境在线访谈", transcript="主持人：各位网友好。",
    )  # fmt: skip
    client = Client()
    listing = client.get(
        reverse("engagement_portal:interactions") + "?kind=INTERVIEW"
    ).content.decode()
    assert "优化营商环境在线访谈" in listing
    page = client.get(reverse("engagement_portal:interaction", args=[record.pk])).content.decode()
    assert "各位网友好" in page
    client.post(
        reverse("engagement_portal:mailbox"),
        {
            "subject": "路灯不亮",
            "text": "江滨路路灯不亮。",
            "contact": "13800000000",
            "consent_to_publish": "on",
        },
    )
    message = MailboxMessage.objects.get()
    assert message.agency == tree.city and message.due_on > message.received_on
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("engagement_portal:consultations") in home


@pytest.mark.django_db
def test_comment_on_an_article_and_a_new_docx_version(tree):
    """The portal offers the draft's articles; staff import a DOCX as version 2 and the comment
    is shown on the same article under its new number."""
    import io

    import docx

    from gongkai.engagement.tests.test_provisions import V1, V2

    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="eg_handler")
    today = timezone.localdate()
    c = consultation_create(
        by=SYSTEM, agency=tree.city, title="养犬管理规定（征求意见稿）", kind=DraftKind.REGULATION,
        body="\n".join(V1), opens_on=today, closes_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    c = consultation_publish(by=SYSTEM, consultation=c)
    url = reverse("engagement_portal:consultation", args=[c.pk])
    assert 'value="A4"' in Client().get(url).content.decode()
    Client().post(
        url,
        {"text": "建议夜间可不束犬链。", "contact": "x@example.com", "provision_key": "A4",
         "quote": "携犬出户应当束犬链"},
    )  # fmt: skip
    assert Comment.objects.get().provision_key == "A4"
    document = docx.Document()
    for line in V2:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    buf.name = "草案第二稿.docx"
    office = Client()
    office.force_login(handler)
    buf.seek(0)
    office.post(reverse("engagement:draft_import", args=[c.pk]), {"file": buf})
    page = office.get(reverse("engagement:consultation", args=[c.pk])).content.decode()
    assert "针对第五条：“携犬出户应当束犬链”" in page


@pytest.mark.django_db
def test_period_reads_as_days_in_english_and_unchanged_in_chinese(tree):
    """The comment period: "30 days" and "1 day" in English, "30日" in Chinese; no digit glued
    to a letter."""
    today = timezone.localdate()
    pages = {}
    for days in (30, 1):
        c = consultation_create(
            by=SYSTEM, agency=tree.city, title=f"草案{days}", kind=DraftKind.REGULATION,
            body="第一条", opens_on=today, closes_on=today + dt.timedelta(days=days - 1),
            short_period_reason="" if days >= 30 else "情况紧急",
        )  # fmt: skip
        consultation_publish(by=SYSTEM, consultation=c)
        url = reverse("engagement_portal:consultation", args=[c.pk])
        pages[days] = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
        if days == 30:
            assert "（30日）" in Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get(url).content.decode()
    assert "30 days" in pages[30] and "30days" not in pages[30]
    assert "1 day）" in pages[1] and "1 days" not in pages[1]
    for page in pages.values():
        assert not re.search(r"\d(days?|copies|points?)\b", page)
