"""Issuing letters: numbering, template versions, DOCX/PDF read back, audit, permissions."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gongkai.applications.choices import (
    ConsultationOutcome,
    ConsultationParty,
    EventKind,
    FeeBasis,
    Result,
)
from gongkai.applications.models import ApplicationEvent, Consultation, FeeNotice
from gongkai.core.counters import current_value
from gongkai.core.models import AuditEvent
from gongkai.letters import services
from gongkai.letters.choices import APPLICANT_FACING, LetterKind
from gongkai.letters.defaults import DEFAULTS
from gongkai.letters.models import Letter
from gongkai.letters.numbering import LETTER_NUMBERS
from gongkai.letters.permissions import letter_file, letter_file_for_applicant
from gongkai.letters.storage import read_bytes
from gongkai.letters.tests.factories import make_case, make_closed_case
from gongkai.letters.tests.helpers import docx_text, pdf_fonts, pdf_text

ON = dt.date(2026, 3, 16)

FACTS = {
    "reasons": "经审查，相关理由如上。",
    "correction_content": "请明确所需信息的文号或者名称",
    "correction_period_ends_on": dt.date(2026, 3, 31),
    "recipient": "某某有限公司",
    "consultation_subject": "合同附件",
    "disclosure_content": "合同附件中的工程价款",
    "disclosure_reasons": "不公开可能对公共利益造成重大影响",
}


def _issue(app, by, code, **kw):
    default = next(d for d in DEFAULTS if d.code == code)
    return services.letter_issue(
        application=app, kind=default.kind, code=code, by=by, issued_on=ON, **kw
    )


@pytest.fixture
def case_with_everything(tree, staff):
    """A case with an extension, a fee notice and a consultation on record."""
    app = make_case(
        tree.dept_a,
        extension_days=20,
        extension_reason="所需信息数量较大",
        reply_due_on=dt.date(2026, 4, 14),
        correction_requested_on=dt.date(2026, 2, 12),
        correction_period_ends_on=dt.date(2026, 2, 26),
        correction_content="请明确文号",
    )
    FeeNotice.objects.create(
        application=app,
        basis=FeeBasis.PER_PAGE,
        quantity=100,
        amount=Decimal("700.00"),
        sent_on=dt.date(2026, 2, 12),
        received_on=dt.date(2026, 2, 13),
        pay_by=dt.date(2026, 3, 16),
    )
    Consultation.objects.create(
        application=app,
        party=ConsultationParty.AGENCY,
        party_name="测试市乙局",
        sent_on=dt.date(2026, 2, 12),
        answer_due_on=dt.date(2026, 3, 5),
    )
    Consultation.objects.create(  # a third party that objected (第三十二条 letter)
        application=app,
        party=ConsultationParty.THIRD_PARTY,
        party_name="某某有限公司",
        sent_on=dt.date(2026, 2, 12),
        answered_on=dt.date(2026, 2, 20),
        outcome=ConsultationOutcome.OBJECTED,
    )
    ApplicationEvent.objects.create(  # the head's 第三十五条 decision (延迟答复告知书)
        application=app,
        seq=1,
        kind=EventKind.LONGER_DEADLINE_SET,
        on=dt.date(2026, 3, 2),
        payload={"due_on": "2026-04-14", "reason": "申请数量较大"},
    )
    return app


@pytest.mark.django_db
def test_every_template_issues_and_reads_back(tree, staff, case_with_everything):
    """Each default, issued for a case, has its article, remedies and numbers in DOCX and PDF."""
    handler = staff["handler_a"]
    for n, default in enumerate(DEFAULTS, 1):
        # （四）3 states a correction that was answered, （六）1 one that was not (decision 1603).
        corrected = dt.date(2026, 2, 20) if default.result == "r4_3" else None
        case_with_everything.corrected_on = corrected
        letter = _issue(case_with_everything, handler, default.code, facts=FACTS)
        assert letter.number == f"测试市甲局依告〔2026〕{n}号"
        docx = docx_text(read_bytes(letter.docx_file))
        pdf = pdf_text(read_bytes(letter.pdf_file))
        for text in (docx, pdf):
            assert default.article in text, default.code
            assert letter.number in text
            assert "2026-" in text and case_with_everything.registration_number in text
            assert "2026年3月16日" in text  # the date, as people write it
            if default.kind in APPLICANT_FACING:
                assert "60日内向测试市人民政府申请行政复议" in text, default.code
                assert "6个月内依法向人民法院提起行政诉讼" in text
                assert "张三：" in text
        assert letter.template_version.template.agency is None
    assert Letter.objects.count() == len(DEFAULTS)
    assert current_value(LETTER_NUMBERS, agency=tree.dept_a, year=2026) == len(DEFAULTS)


@pytest.mark.django_db
def test_notice_values_come_from_the_case(tree, staff, case_with_everything):
    """Fee, extension and consultation letters state the amounts, days and dates of the case."""
    handler = staff["handler_a"]
    fee = _issue(case_with_everything, handler, "fee_notice")
    text = docx_text(read_bytes(fee.docx_file))
    assert "700.00元" in text and "按量计收" in text and "第五条" in text
    assert "2026年3月16日前" in text
    ext = _issue(case_with_everything, handler, "extension_notice")
    text = docx_text(read_bytes(ext.docx_file))
    assert "延长20个工作日" in text and "2026年4月14日前" in text and "第三十三条第二款" in text
    con = _issue(case_with_everything, handler, "consultation_agency")
    assert con.recipient == "测试市乙局"
    text = docx_text(read_bytes(con.docx_file))
    assert "测试市乙局：" in text and "2026年3月5日前" in text
    assert "张三" not in text  # the applicant's name is not sent to the consulted party


@pytest.mark.django_db
def test_reply_follows_the_case_result(tree, staff):
    """Without a template code, the reply uses the case's result row."""
    app = make_closed_case(tree.dept_a, result=Result.R3_1)
    app.proposed_result = Result.R3_1
    letter = services.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    assert letter.template_code == "reply_r3_1"
    assert "第十四条" in letter.body


@pytest.mark.django_db
def test_missing_facts_are_refused_without_using_a_number(tree, staff):
    """A correction notice without the correction content is refused; no number is used."""
    app = make_case(tree.dept_a)
    with pytest.raises(ValidationError):
        _issue(app, staff["handler_a"], "correction_notice")
    assert not Letter.objects.exists()
    letter = _issue(app, staff["handler_a"], "correction_notice", facts=FACTS)
    assert letter.serial == 1


@pytest.mark.django_db
def test_failed_rendering_leaves_no_gap_and_no_file(tree, staff, monkeypatch, media_root):
    """If rendering fails after the number was taken, the number and the files roll back."""
    app = make_closed_case(tree.dept_a)

    def boom(doc):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(services, "render_pdf", boom)
    with pytest.raises(RuntimeError):
        _issue(app, staff["handler_a"], "reply_r1_open")
    assert not Letter.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    monkeypatch.undo()
    assert _issue(app, staff["handler_a"], "reply_r1_open").serial == 1


@pytest.mark.django_db
def test_docx_layout_and_fonts(tree, staff):
    """The DOCX is A4 with the official margins, grid and fonts (East-Asian font set)."""
    import docx
    from docx.oxml.ns import qn

    letter = _issue(make_closed_case(tree.dept_a), staff["handler_a"], "reply_r1_open")
    document = docx.Document(io.BytesIO(read_bytes(letter.docx_file)))
    section = document.sections[0]
    mm = [
        round(v.mm)
        for v in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = document.paragraphs[0]
    assert title.text == "政府信息公开申请答复书"
    assert title.style.font.size.pt == 22
    assert title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.paragraphs[1].text == letter.number
    assert document.paragraphs[-1].text == "2026年3月16日"
    assert document.paragraphs[-2].text == "测试市甲局"
    font_table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert "方正小标宋简体" in font_table and 'w:altName w:val="仿宋"' in font_table


@pytest.mark.django_db
def test_pdf_embeds_a_cjk_font(tree, staff):
    """Every font of the PDF is embedded; A4 pages."""
    from pypdf import PdfReader

    letter = _issue(make_closed_case(tree.dept_a), staff["handler_a"], "reply_r1_open")
    data = read_bytes(letter.pdf_file)
    fonts = pdf_fonts(data)
    assert fonts and all(embedded for _, embedded in fonts)
    assert any("CJK" in name for name, _ in fonts)
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


@pytest.mark.django_db
def test_markup_in_case_data_is_printed_literally(tree, staff):
    """HTML in the applicant's name is text in the PDF, not markup."""
    app = make_closed_case(tree.dept_a, applicant_name="<b>李四</b>&公司")
    letter = _issue(app, staff["handler_a"], "reply_r1_open")
    assert "<b>李四</b>&公司：" in pdf_text(read_bytes(letter.pdf_file))
    assert "<b>李四</b>&公司：" in docx_text(read_bytes(letter.docx_file))


@pytest.mark.django_db
def test_agency_template_versions(tree, staff):
    """Each save is a new version; letters record the version they used; others keep defaults."""
    admin = staff["admin_a"]
    app = make_closed_case(tree.dept_a)
    first = _issue(app, staff["handler_a"], "reply_r1_open")
    assert first.template_version.template.agency is None
    body = first.template_version.body.replace(  # the text addresses 您/贵单位 (decision 1609)
        "现向{{ you }}提供该政府信息", "现向{{ you }}提供该政府信息（甲局版）"
    )
    assert "（甲局版）" in body
    v1 = services.letter_template_save(
        by=admin, agency=tree.dept_a, code="reply_r1_open", title="答复书", body=body
    )
    v2 = services.letter_template_save(
        by=admin,
        agency=tree.dept_a,
        code="reply_r1_open",
        title="答复书",
        body=body + "\n特此告知。",
    )
    assert (v1.number, v2.number) == (1, 2)
    assert (
        services.letter_template_save(
            by=admin,
            agency=tree.dept_a,
            code="reply_r1_open",
            title="答复书",
            body=body + "\n特此告知。",
        )
        == v2
    )  # unchanged text adds no version
    second = _issue(app, staff["handler_a"], "reply_r1_open")
    assert second.template_version == v2
    assert "（甲局版）" in docx_text(read_bytes(second.docx_file))
    first.refresh_from_db()
    assert first.template_version.template.agency is None  # the earlier letter keeps its version
    other = _issue(make_closed_case(tree.dept_b), staff["handler_b"], "reply_r1_open")
    assert "（甲局版）" not in other.body
    assert AuditEvent.objects.filter(action="letter_template.save").count() == 2


@pytest.mark.django_db
def test_template_save_requires_remedies_and_admin(tree, staff):
    """Only agency admins save templates; applicant letters must keep the remedies."""
    with pytest.raises(PermissionDenied):
        services.letter_template_save(
            by=staff["handler_a"], agency=tree.dept_a, code="reply_r1_open", title="t", body="b"
        )
    with pytest.raises(PermissionDenied):
        services.letter_template_save(
            by=staff["admin_b"], agency=tree.dept_a, code="reply_r1_open", title="t", body="b"
        )
    with pytest.raises(ValidationError):
        services.letter_template_save(
            by=staff["admin_a"],
            agency=tree.dept_a,
            code="reply_r1_open",
            title="t",
            body="{{ applicant }}：\n予以公开。",
        )


@pytest.mark.django_db
def test_settings_prefix_and_signer(tree, staff):
    """The agency's prefix, signature and review body appear in its letters."""
    services.letter_settings_save(
        by=staff["admin_a"],
        agency=tree.dept_a,
        number_prefix="测甲依告",
        signer_name="测试市甲局（印）",
        review_body="测试市人民政府",
    )
    letter = _issue(make_closed_case(tree.dept_a), staff["handler_a"], "reply_r1_open")
    assert letter.number == "测甲依告〔2026〕1号"
    assert letter.signer == "测试市甲局（印）"
    with pytest.raises(ValidationError):
        services.letter_settings_save(
            by=staff["admin_a"], agency=tree.dept_a, number_prefix="〔x〕"
        )


@pytest.mark.django_db
def test_issue_permissions_and_audit(tree, staff):
    """Reviewers and other agencies' handlers cannot issue; issuing is audited without PII."""
    app = make_closed_case(tree.dept_a)
    for who in ("reviewer_a", "handler_b", "auditor_a"):
        with pytest.raises(PermissionDenied):
            _issue(app, staff[who], "reply_r1_open")
    letter = _issue(app, staff["head_a"], "reply_r1_open")
    entry = AuditEvent.objects.get(action="letter.issue")
    assert entry.target_repr == letter.number
    assert "张三" not in str(entry.after) and "11010119900307001X" not in str(entry.after)
    assert entry.after["docx_sha256"] == letter.docx_sha256


@pytest.mark.django_db
def test_applicant_gets_only_their_own_letters(tree, staff):
    """The portal entry point hands out the case's applicant letters only."""
    app = make_case(tree.dept_a)
    reply = _issue(app, staff["handler_a"], "reply_r1_open")
    consult = _issue(app, staff["handler_a"], "consultation_third_party", facts=FACTS)
    other = _issue(make_case(tree.dept_a), staff["handler_a"], "reply_r1_open")
    got = letter_file_for_applicant(application=app, letter_pk=reply.pk, fmt="pdf")
    assert got.data.startswith(b"%PDF") and got.filename.endswith(".pdf")
    for pk, fmt in ((consult.pk, "pdf"), (other.pk, "pdf"), (reply.pk, "exe")):
        with pytest.raises(Http404):
            letter_file_for_applicant(application=app, letter_pk=pk, fmt=fmt)


@pytest.mark.django_db
def test_altered_stored_file_is_not_served(tree, staff, media_root):
    """A stored file that no longer matches its recorded hash is not handed out."""
    letter = _issue(make_case(tree.dept_a), staff["handler_a"], "reply_r1_open")
    path = media_root / letter.docx_file
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(Http404):
        letter_file(letter, "docx")
