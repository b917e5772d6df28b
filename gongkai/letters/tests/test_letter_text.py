"""Letter text: 您／贵单位 by applicant type, quoted descriptions inline, punctuation, the 落款
kept with the last paragraph (decision 1609)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gongkai.applications.choices import ApplicantType, Result
from gongkai.letters import services
from gongkai.letters.choices import LetterKind
from gongkai.letters.defaults import DEFAULTS
from gongkai.letters.rendering import punctuation_errors, tidy_punctuation
from gongkai.letters.storage import read_bytes
from gongkai.letters.tests.factories import make_case
from gongkai.letters.tests.helpers import docx_text

ON = dt.date(2026, 3, 16)


def _reply(app, by, **facts):
    return services.letter_issue(
        application=app,
        kind=LetterKind.REPLY,
        code="reply_r1_open",
        by=by,
        issued_on=ON,
        facts=facts or None,
    )


@pytest.mark.django_db
def test_person_is_addressed_as_you_and_an_organisation_as_your_unit(tree, staff):
    person = make_case(tree.dept_a, proposed_result=Result.R1_OPEN)
    org = make_case(
        tree.dept_a,
        proposed_result=Result.R1_OPEN,
        applicant_type=ApplicantType.BUSINESS,
        applicant_name="某某科技有限公司",
        id_document_type="",
        id_number="",
    )
    text = docx_text(read_bytes(_reply(person, staff["handler_a"]).docx_file))
    assert "收到您提出的政府信息公开申请" in text and "您（单位）" not in text
    text = docx_text(read_bytes(_reply(org, staff["handler_a"]).docx_file))
    assert "某某科技有限公司：" in text
    assert "收到贵单位提出的政府信息公开申请" in text and "贵单位申请获取" in text
    assert "您" not in text


@pytest.mark.django_db
def test_quoted_description_stays_in_its_paragraph(tree, staff):
    import docx

    app = make_case(
        tree.dept_a,
        proposed_result=Result.R1_OPEN,
        description="一、2025年行政处罚决定书\n二、相关听证笔录",
    )
    letter = _reply(app, staff["handler_a"])
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(read_bytes(letter.docx_file))).paragraphs
    ]
    quoted = [p for p in paragraphs if "一、2025年行政处罚决定书" in p]
    assert len(quoted) == 1 and "“一、2025年行政处罚决定书 二、相关听证笔录”" in quoted[0]


def test_tidy_punctuation():
    assert tidy_punctuation("经逐件审查。，本机关认为") == "经逐件审查，本机关认为"
    assert tidy_punctuation("理由如下。。") == "理由如下。"
    assert tidy_punctuation("情况如下，。") == "情况如下。"
    assert punctuation_errors("正常文本，没有问题。") == []


@pytest.mark.django_db
def test_no_template_doubles_punctuation_with_facts_ending_in_a_full_stop(tree, staff):
    """Every fact typed by the officer may end with "。"; no letter reads "。，"."""
    from gongkai.letters.placeholders import FACT_NAMES, PLACEHOLDERS

    facts = {
        name: dt.date(2026, 3, 31) if PLACEHOLDERS[name].fact == "date" else "经逐件审查。"
        for name in FACT_NAMES
    }
    app = make_case(tree.dept_a, proposed_result=Result.R1_OPEN)
    from gongkai.letters.placeholders import case_context, render_source
    from gongkai.letters.rendering import split_body
    from gongkai.letters.selectors import effective_template

    context = case_context(
        application=app,
        agency=app.agency,
        review_body="测试市人民政府",
        issued_on=ON,
        facts=facts,
    )
    for default in DEFAULTS:
        template = effective_template(agency=app.agency, code=default.code)
        body = tidy_punctuation(render_source(template.body, context))
        assert punctuation_errors(body) == [], default.code
        assert "{" not in body and "}" not in body, default.code  # every placeholder filled
        assert split_body(body)[1]


def test_signature_never_alone_on_a_page():
    """However long the body, the page with the 落款 also carries the whole last paragraph."""
    from pypdf import PdfReader

    from gongkai.letters.rendering import LetterDocument, render_pdf

    remedy = (
        "如对本答复不服，可以自收到本答复书之日起60日内向测试市人民政府申请行政复议，"
        "或者自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
    )
    spread = set()
    for n in range(15, 21):  # the body grows a line at a time across the page boundary
        doc = LetterDocument(
            title="政府信息公开申请答复书",
            number="测试〔2026〕1号",
            salutation="张三：",
            paragraphs=[
                "本机关于2026年2月10日收到您提出的政府信息公开申请。",
                "经审查，该信息属于公开范围。" * n,
                remedy,
            ],
            signer="测试市甲局",
            date="2026年3月16日",
        )
        pages = [
            "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(doc))).pages
        ]
        last_page = next(p for p in pages if "2026年3月16日" in p)
        assert "如对本答复不服" in last_page and "提起行政诉讼" in last_page, n
        spread.add(len(pages))
    assert spread == {1, 2}  # the lengths tried do cross the page boundary


def test_docx_keeps_the_last_paragraph_with_the_signature():
    import docx

    from gongkai.letters.rendering import LetterDocument, render_docx

    doc = LetterDocument(
        title="政府信息公开申请答复书",
        number="测试〔2026〕1号",
        salutation="张三：",
        paragraphs=["第一段。", "最后一段。"],
        signer="测试市甲局",
        date="2026年3月16日",
    )
    paragraphs = docx.Document(io.BytesIO(render_docx(doc))).paragraphs
    texts = [p.text for p in paragraphs]
    last = texts.index("最后一段。")
    signer = texts.index("测试市甲局")
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[last : signer + 1])
    assert not paragraphs[texts.index("第一段。")].paragraph_format.keep_with_next


def test_docx_names_the_official_fonts():
    """Title 方正小标宋简体, body 仿宋_GB2312, headings 黑体 and 楷体_GB2312, with fallbacks."""
    import docx
    from docx.oxml.ns import qn

    from gongkai.letters.rendering import LetterDocument, render_docx

    doc = LetterDocument(
        title="政府信息公开申请答复书",
        number="测试〔2026〕1号",
        salutation="张三：",
        paragraphs=["正文。"],
        signer="测试市甲局",
        date="2026年3月16日",
    )
    data = render_docx(doc)
    document = docx.Document(io.BytesIO(data))

    def east_asia(style_name: str) -> str:
        fonts = document.styles[style_name].element.rPr.find(qn("w:rFonts"))
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("公文标题") == "方正小标宋简体"
    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("公文一级标题") == "黑体"
    assert east_asia("公文二级标题") == "楷体_GB2312"
    import zipfile

    table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:name="{name}"' in table
