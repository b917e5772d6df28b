"""The applicant sees the 第三十五条 decision (later reasonable reply date) and its notice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as office
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number
from gongkai.letters import services as letters
from gongkai.letters.choices import LetterKind
from gongkai.portal.selectors import cn_date
from gongkai.portal.tests.test_access import apply

pytestmark = pytest.mark.django_db


def _decide_and_notify(app: Application, staff) -> tuple[Application, object]:
    assert app.reply_due_on is not None
    due_on = app.reply_due_on + dt.timedelta(days=30)
    office.application_set_longer_deadline(
        by=staff["head_a"],
        application=app,
        on=app.received_on,
        due_on=due_on,
        reason="内部记录：申请人一个月内提出120件申请",
    )
    app = Application.objects.get(pk=app.pk)
    letter = letters.letter_issue(
        application=app,
        kind=LetterKind.LONGER_DEADLINE,
        code="art35_longer_deadline",
        by=staff["handler_a"],
        issued_on=app.received_on,
    )
    return app, letter


def test_the_applicant_sees_the_longer_deadline_and_downloads_the_notice(tree, staff):
    """Case page: the new date and why, the timeline entry, the notice as PDF and Word."""
    client, _number, _code, uid = apply(tree.dept_a)
    app, letter = _decide_and_notify(Application.objects.get(), staff)
    due = cn_date(app.reply_due_on)
    html = client.get(reverse("apply:case", args=[uid])).content.decode()
    assert 'id="longer-deadline"' in html
    assert "延迟答复的合理期限" in html
    assert "数量、频次明显超过合理范围" in html and "第三十五条" in html
    assert f"本机关将于{due}前向您作出答复" in html
    assert f"答复期限（依《条例》第三十五条确定的合理期限）：{due}" in html
    assert "确定延迟答复的合理期限（《条例》第三十五条）" in html  # the timeline entry
    assert "内部记录" not in html  # the head's internal note stays in the office
    pdf_url = reverse("apply:letter", args=[uid, letter.pk, "pdf"])
    assert pdf_url in html
    response = client.get(pdf_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert due in "".join(text.split())
    docx = client.get(reverse("apply:letter", args=[uid, letter.pk, "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_case_json_timeline_has_the_decision(tree, staff):
    """The JSON view of the case (API) carries the same timeline entry."""
    from gongkai.portal import selectors
    from gongkai.portal.models import CaseAccess

    _client, _number, _code, uid = apply(tree.dept_a)
    _decide_and_notify(Application.objects.get(), staff)
    view = selectors.case_view(CaseAccess.objects.get(uid=uid))
    data = selectors.case_json(view)
    assert any("第三十五条" in t["text"] for t in data["timeline"])
    assert any(item["kind"] == LetterKind.LONGER_DEADLINE for item in data["letters"])


def test_nobody_else_sees_the_decision_or_the_notice(tree, staff):
    """Another session is sent to the lookup page; another applicant's case gives 404."""
    _client, _number, _code, uid = apply(tree.dept_a)
    app, letter = _decide_and_notify(Application.objects.get(), staff)
    stranger = Client()
    for url in (
        reverse("apply:case", args=[uid]),
        reverse("apply:letter", args=[uid, letter.pk, "pdf"]),
    ):
        response = stranger.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("apply:follow")
    other, _n, _c, other_uid = apply(tree.dept_a, id_number=make_id_number(8))
    own_page = other.get(reverse("apply:case", args=[other_uid])).content.decode()
    assert "延迟答复的合理期限" not in own_page and letter.number not in own_page
    for fmt in ("pdf", "docx"):
        assert (
            other.get(reverse("apply:letter", args=[other_uid, letter.pk, fmt])).status_code == 404
        )
    assert other.get(reverse("apply:case", args=[uid])).status_code == 302
    assert app.letters.count() == 1
