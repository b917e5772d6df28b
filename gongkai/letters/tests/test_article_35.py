"""第三十五条 letters: the request to state reasons and the notice of the later reply date.

The cases go through the applications services (registration, the head's decision), so the
reply date in the letter is the one the clock computed from the case's log.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.applications import deadlines
from gongkai.applications import services as cases
from gongkai.applications.choices import EventKind
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_application
from gongkai.core.models import AuditEvent, Counter
from gongkai.letters import services
from gongkai.letters.choices import APPLICANT_FACING, LetterKind
from gongkai.letters.models import Letter
from gongkai.letters.numbering import LETTER_NUMBERS
from gongkai.letters.storage import read_bytes
from gongkai.letters.tests.helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db

REG_35 = "《中华人民共和国政府信息公开条例》第三十五条"


def d(day: int, month: int = 2) -> dt.date:
    """A date in 2026 (the case is received on 2026-02-10)."""
    return dt.date(2026, month, day)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _ask_for_reasons(app: Application, by, **facts) -> Letter:
    return services.letter_issue(
        application=app,
        kind=LetterKind.REASONS_REQUEST,
        code="art35_reasons_request",
        by=by,
        issued_on=d(12),
        facts=facts,
    )


def _decide(app: Application, head) -> Application:
    cases.application_set_longer_deadline(
        by=head,
        application=app,
        on=d(20),
        due_on=d(30, 4),
        reason="同一申请人一个月内提出120件申请，申请理由合理",
    )
    return Application.objects.get(pk=app.pk)


def _notify(app: Application, by, **facts) -> Letter:
    return services.letter_issue(
        application=app,
        kind=LetterKind.LONGER_DEADLINE,
        code="art35_longer_deadline",
        by=by,
        issued_on=d(24),
        facts=facts,
    )


def test_article_35_kinds_are_applicant_letters():
    """Both notices go to the applicant: remedies required, downloadable on the portal."""
    assert {LetterKind.REASONS_REQUEST, LetterKind.LONGER_DEADLINE} <= APPLICANT_FACING


def test_request_for_reasons_is_issued_numbered_logged_and_audited(tree, staff):
    """说明理由告知书: numbered, cites 第三十五条, states the period; on the timeline; audited."""
    app = make_application(tree.dept_a, staff["handler_a"])
    letter = _ask_for_reasons(
        app,
        staff["handler_a"],
        reasons_due_on=d(27),
        volume_facts="您自2026年1月1日至2026年2月10日向本机关提出政府信息公开申请120件",
    )
    assert letter.kind == LetterKind.REASONS_REQUEST
    assert letter.number == "测试市甲局依告〔2026〕1号"
    assert letter.title == "政府信息公开申请说明理由告知书"
    for text in (docx_text(read_bytes(letter.docx_file)), pdf_text(read_bytes(letter.pdf_file))):
        assert REG_35 in text
        assert "提出政府信息公开申请120件，您申请公开政府信息的数量、频次明显超过合理范围" in text
        assert "请您于2026年2月27日前向本机关书面说明申请理由" in text
        assert "确定延迟答复的合理期限并告知您" in text and "告知您不予处理" in text
        assert "60日内向测试市人民政府申请行政复议" in text
        assert letter.number in text and app.registration_number in text
    event = app.events.order_by("-seq").first()
    assert event.kind == EventKind.LETTER_ISSUED and event.on == d(12)
    assert event.payload["kind"] == LetterKind.REASONS_REQUEST
    assert event.payload["template"] == "art35_reasons_request"
    audit = AuditEvent.objects.get(action="letter.issue")
    assert audit.after["kind"] == LetterKind.REASONS_REQUEST
    assert audit.after["number"] == letter.number
    assert "张三" not in str(audit.after)


def test_longer_deadline_notice_states_the_clock_date_and_the_legal_basis(tree, staff):
    """延迟答复告知书: the reply date the clock computed from the head's decision, 第三十五条."""
    app = make_application(tree.dept_a, staff["handler_a"])
    old_due = app.reply_due_on
    _ask_for_reasons(app, staff["handler_a"])
    app = _decide(app, staff["head_a"])
    clock_due = deadlines.compute(app, today=d(24), explain=False).reply.due
    assert clock_due == app.reply_due_on == d(30, 4) and old_due < clock_due
    letter = _notify(app, staff["handler_a"])
    assert letter.kind == LetterKind.LONGER_DEADLINE
    assert letter.title == "政府信息公开申请延迟答复告知书"
    assert letter.number == "测试市甲局依告〔2026〕2号"
    assert letter.context["reply_due_on"] == "2026年4月30日"
    docx = docx_text(read_bytes(letter.docx_file))
    pdf = pdf_text(read_bytes(letter.pdf_file))
    for text in (docx, pdf):
        assert REG_35 in text
        assert "本机关已于2026年2月12日要求您说明理由" in text
        assert (
            "认为您的申请理由合理，但是无法在《中华人民共和国政府信息公开条例》第三十三条" in text
        )
        assert "于2026年2月20日确定延迟答复的合理期限，将于2026年4月30日前向您作出答复" in text
        assert "6个月内依法向人民法院提起行政诉讼" in text
    # The head's internal note enters a letter only when the officer leaves it in the form.
    assert "120件" not in docx
    events = list(app.events.order_by("seq"))
    assert [e.kind for e in events[-2:]] == [
        EventKind.LONGER_DEADLINE_SET,
        EventKind.LETTER_ISSUED,
    ]
    assert events[-1].payload["letter"] == letter.pk
    assert events[-1].payload["kind"] == LetterKind.LONGER_DEADLINE
    assert AuditEvent.objects.filter(action="application.set_longer_deadline").count() == 1
    audit = AuditEvent.objects.filter(action="letter.issue").latest("pk")
    assert audit.after["kind"] == LetterKind.LONGER_DEADLINE
    assert audit.after["template"] == "art35_longer_deadline"


def test_the_officer_may_state_the_circumstances(tree, staff):
    """A note typed in on issuing is printed as its own paragraph."""
    app = _decide(make_application(tree.dept_a, staff["handler_a"]), staff["head_a"])
    letter = _notify(
        app, staff["handler_a"], longer_deadline_reason="您申请的120件信息需逐件检索、审查。"
    )
    assert "您申请的120件信息需逐件检索、审查。" in letter.body.split("\n")
    assert "本机关已要求您说明理由" in letter.body  # no request issued on the platform


def test_longer_deadline_notice_needs_the_heads_decision(tree, staff):
    """Without a 第三十五条 decision on the case the notice is refused; no number is used."""
    app = make_application(tree.dept_a, staff["handler_a"])
    with pytest.raises(ValidationError, match="负责人尚未确定延迟答复的合理期限"):
        _notify(app, staff["handler_a"])
    assert not Letter.objects.exists()
    assert not Counter.objects.filter(scope=LETTER_NUMBERS, last_value__gt=0).exists()
    assert not app.events.filter(kind=EventKind.LETTER_ISSUED).exists()


def test_unreasonable_reasons_use_the_not_processed_letter(tree, staff):
    """Reasons not accepted: the （五）4 不予处理告知书 cites 第三十五条 and the request's date."""
    app = make_application(tree.dept_a, staff["handler_a"])
    _ask_for_reasons(app, staff["handler_a"])
    letter = services.letter_issue(
        application=app,
        kind=LetterKind.NOT_PROCESSED,
        code="reply_r5_4",
        by=staff["handler_a"],
        issued_on=d(3, 3),
    )
    text = docx_text(read_bytes(letter.docx_file))
    assert "本机关已于2026年2月12日要求您说明理由" in text
    assert "本机关认为您的申请理由不合理" in text and REG_35 in text and "不予处理" in text


def test_case_page_offers_the_notice_after_the_decision(tree, staff):
    """The letters panel asks for the notice once the head decided; issuing it from the page."""
    app = make_application(tree.dept_a, staff["handler_a"])
    handler = _client(staff["handler_a"])
    detail = reverse("applications:detail", args=[app.pk])
    issue = reverse("letters:issue", args=[app.pk]) + "?code=art35_longer_deadline"
    assert issue not in handler.get(detail).content.decode()
    _decide(app, staff["head_a"])
    assert issue in handler.get(detail).content.decode()
    form = handler.get(issue).content.decode()
    assert "同一申请人一个月内提出120件申请" in form  # the head's note, offered for editing
    response = handler.post(
        reverse("letters:issue", args=[app.pk]),
        {"code": "art35_longer_deadline", "issued_on": "2026-02-24"},
    )
    assert response.status_code == 302
    letter = Letter.objects.get(kind=LetterKind.LONGER_DEADLINE)
    assert "2026年4月30日前向您作出答复" in letter.body
    assert issue not in handler.get(detail).content.decode()
    # Reviewers see the case but may not issue letters: no shortcut for them.
    app2 = _decide(make_application(tree.dept_a, staff["handler_a"]), staff["head_a"])
    reviewer_page = _client(staff["reviewer_a"]).get(reverse("applications:detail", args=[app2.pk]))
    assert "?code=art35_longer_deadline" not in reviewer_page.content.decode()


def test_article_35_letters_do_not_apply_before_2019_05_15(tree, staff):
    """第三十五条 took effect on 2019-05-15: older cases get neither notice."""
    app = make_application(tree.dept_a, staff["handler_a"], received_on=dt.date(2019, 3, 4))
    with pytest.raises(ValidationError, match="第三十五条自2019年5月15日起施行"):
        services.letter_issue(
            application=app,
            kind=LetterKind.REASONS_REQUEST,
            code="art35_reasons_request",
            by=staff["handler_a"],
            issued_on=dt.date(2019, 3, 5),
        )
    assert not Letter.objects.exists()
