"""第三十二条: disclosing over a third party's objection needs the written notice first."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.choices import (
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    EventKind,
    Result,
    Status,
)
from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import make_application

pytestmark = pytest.mark.django_db


def _objected(tree, staff, today, *decisions: s.ItemDecision) -> tuple[Application, object]:
    """A case whose third party objected, with a reply approved on 2026-03-10."""
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(12)
    consultation = s.consultation_send(
        by=h,
        application=app,
        party=ConsultationParty.THIRD_PARTY,
        party_name="某某有限公司",
        sent_on=d(12),
        subject="合同价格条款",
    )
    today["d"] = d(2, 3)
    s.consultation_answer(
        by=h, consultation=consultation, answered_on=d(2, 3), outcome=ConsultationOutcome.OBJECTED
    )
    today["d"] = d(10, 3)
    app.refresh_from_db()
    app = s.application_draft_reply(
        by=h,
        application=app,
        decisions=list(decisions) or [s.ItemDecision("合同文本", Result.R1_OPEN)],
    )
    app = s.application_submit_for_review(by=h, application=app)
    app = s.application_review(
        by=staff["reviewer_a"],
        application=app,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
    )
    app = s.application_approve(by=staff["head_a"], application=app, approve=True)
    consultation.refresh_from_db()
    return app, consultation


def _deliver(staff, app, on=None):
    return s.application_record_delivery(
        by=staff["handler_a"],
        application=app,
        method=DeliveryMethod.POST,
        delivered_on=on or d(10, 3),
    )


def test_disclosure_over_an_objection_is_blocked_until_the_third_party_is_told(tree, staff, today):
    app, consultation = _objected(tree, staff, today)
    with pytest.raises(ValidationError) as info:
        _deliver(staff, app)
    assert "第三十二条" in str(info.value) and "某某有限公司" in str(info.value)
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.result is None
    page = (
        _client(staff["handler_a"])
        .get(reverse("applications:detail", args=[app.pk]))
        .content.decode()
    )
    assert "书面告知第三方" in page and "某某有限公司" in page
    s.third_party_notify(
        by=staff["handler_a"],
        application=app,
        consultation=consultation,
        on=d(10, 3),
        reasons="涉及重大公共利益",
        content="合同价格条款",
    )
    assert s.third_party_notices_missing(app) == []
    _deliver(staff, app)
    app.refresh_from_db()
    assert app.status == Status.REPLIED and app.result == Result.R1_OPEN


def test_notice_to_the_third_party_must_precede_the_delivery(tree, staff, today):
    app, consultation = _objected(tree, staff, today)
    today["d"] = d(12, 3)
    s.third_party_notify(
        by=staff["handler_a"],
        application=app,
        consultation=consultation,
        on=d(12, 3),
        reasons="涉及重大公共利益",
        content="合同价格条款",
    )
    with pytest.raises(ValidationError) as info:
        _deliver(staff, app, on=d(11, 3))
    assert "早于本案已登记的书面告知第三方决定公开" in str(info.value)


def test_notice_needs_an_objection_and_comes_after_it(tree, staff, today):
    h = staff["handler_a"]
    plain = make_application(tree.dept_a, h, received_on=d(10))
    from gongkai.applications.workflow import may

    assert not may(h, "notify_third_party", plain)
    app, consultation = _objected(tree, staff, today)
    assert may(h, "notify_third_party", app)
    with pytest.raises(ValidationError) as info:
        s.third_party_notify(
            by=h,
            application=app,
            consultation=consultation,
            on=d(1, 3),
            reasons="公共利益",
            content="合同价格条款",
        )
    assert "不能早于收到该第三方意见" in str(info.value)
    assert not app.events.filter(kind=EventKind.THIRD_PARTY_NOTIFIED).exists()


def test_partial_disclosure_withholding_the_third_partys_part_needs_no_notice(tree, staff, today):
    app, _ = _objected(
        tree,
        staff,
        today,
        s.ItemDecision("合同文本", Result.R1_OPEN),
        s.ItemDecision("价格条款", Result.R3_4, reason="第十五条"),
    )
    assert app.proposed_result == Result.R2_PARTIAL
    _deliver(staff, app)
    app.refresh_from_db()
    assert app.status == Status.REPLIED


def test_third_party_letter_states_content_and_reasons(tree, staff, today):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue
    from gongkai.letters.storage import read_bytes
    from gongkai.letters.tests.helpers import docx_text, pdf_text

    app, consultation = _objected(tree, staff, today)
    s.third_party_notify(
        by=staff["handler_a"],
        application=app,
        consultation=consultation,
        on=d(10, 3),
        reasons="该工程涉及公共安全，不公开可能对公共利益造成重大影响",
        content="合同价格条款",
    )
    letter = letter_issue(
        application=app, kind=LetterKind.THIRD_PARTY_DECISION, by=staff["handler_a"]
    )
    for text in (docx_text(read_bytes(letter.docx_file)), pdf_text(read_bytes(letter.pdf_file))):
        assert "某某有限公司：" in text
        assert "决定公开的政府信息内容：合同价格条款" in text
        assert "不公开可能对公共利益造成重大影响" in text and "第三十二条" in text


def test_third_party_letter_refused_without_an_objection(tree, staff, today):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue

    app = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    with pytest.raises(ValidationError) as info:
        letter_issue(application=app, kind=LetterKind.THIRD_PARTY_DECISION, by=staff["handler_a"])
    assert "第三十二条" in str(info.value)


def test_office_page_records_the_third_party_notice(tree, staff, today):
    app, consultation = _objected(tree, staff, today)
    url = reverse("applications:step", args=[app.pk, "notify_third_party"])
    client = _client(staff["handler_a"])
    assert "某某有限公司" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "consultation": consultation.pk,
            "on": "2026-03-10",
            "content": "合同价格条款",
            "reasons": "公共利益",
        },
    )
    assert response.status_code == 302
    assert app.events.filter(kind=EventKind.THIRD_PARTY_NOTIFIED).count() == 1


def _client(user):
    c = Client()
    c.force_login(user)
    return c


# -- 2008-era cases (decision 1605) --------------------------------------------------------


def test_letters_for_a_2008_era_case_are_refused_with_the_reason(tree, staff):
    import datetime as dt

    from gongkai.core.counters import current_value
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.models import Letter
    from gongkai.letters.numbering import LETTER_NUMBERS
    from gongkai.letters.services import letter_issue

    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=dt.date(2019, 3, 4))
    app = s.application_approve_extension(
        by=staff["head_a"], application=app, on=dt.date(2019, 3, 20), days=15, reason="数量大"
    )
    assert app.extension_days == 15
    with pytest.raises(ValidationError) as info:
        letter_issue(
            application=app,
            kind=LetterKind.EXTENSION,
            code="extension_notice",
            by=h,
            issued_on=dt.date(2019, 3, 20),
        )
    text = str(info.value)
    assert "2008年5月1日施行" in text and "第二十四条" in text and "2019年03月04日" in text
    assert not Letter.objects.filter(application=app).exists()
    assert current_value(LETTER_NUMBERS, agency=tree.dept_a, year=2019) == 0
    # From 2019-05-15 on, the same letter cites the 2019 Regulations.
    new = make_application(tree.dept_a, h, received_on=dt.date(2019, 5, 15))
    new = s.application_approve_extension(
        by=staff["head_a"], application=new, on=dt.date(2019, 5, 20), days=20, reason="数量大"
    )
    letter = letter_issue(
        application=new, kind=LetterKind.EXTENSION, by=h, issued_on=dt.date(2019, 5, 20)
    )
    assert "第三十三条第二款" in letter.body
