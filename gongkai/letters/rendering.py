"""Render a letter to DOCX (python-docx) and PDF (WeasyPrint) in the GB/T 9704-2012 layout.

Layout (docs/guides/ui.md): A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (a
156 × 225 mm type area); title in 小标宋 2号 (22 pt) centred; the letter number under it; body
in 仿宋 3号 (16 pt), 22 lines of 28 characters (line pitch 28.95 pt); salutation flush left,
paragraphs indented two characters; the issuing agency and the date at the end, the date four
characters from the right margin with the agency centred above it; page numbers "— 1 —".

DOCX names the fonts found on government machines (方正小标宋简体 title, 仿宋_GB2312 body, and
黑体 / 楷体_GB2312 for the two heading styles an edited text can use) and declares fallbacks in
the font table (宋体, 仿宋, SimHei, 楷体); the East-Asian font is set through ``w:eastAsia``.
The PDF embeds a subset of Noto Serif CJK SC (Debian fonts-noto-cjk), unless the machine has
the official fonts installed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"  # 一、 level headings (GB/T 9704-2012)
HEADING2_FONT = "楷体_GB2312"  # （一） level headings
PAGE_NUMBER_FONT = "宋体"
FONT_FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING1_FONT: "SimHei",
    HEADING2_FONT: "楷体",
    PAGE_NUMBER_FONT: "SimSun",
}
#: Heading styles a letter text edited in Word or WPS can use: name → font.
HEADING_STYLES = {"公文一级标题": HEADING1_FONT, "公文二级标题": HEADING2_FONT}

BODY_PT = 16
TITLE_PT = 22
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines
CHARS_PER_LINE = 28


@dataclass
class LetterDocument:
    """The parts of a letter, as the renderers lay them out."""

    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    signer: str
    date: str
    subject: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def split_body(text: str) -> tuple[str, list[str]]:
    """Split rendered body text into (salutation, paragraphs); one paragraph per line."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    salutation = ""
    if lines and lines[0].endswith(("：", ":")) and len(lines[0]) <= 60:
        salutation = lines.pop(0)
    return salutation, lines


#: Punctuation that two template parts can put side by side, and what it should read.
PUNCTUATION_FIXES = (
    ("。，", "，"),
    ("。；", "；"),
    ("。。", "。"),
    ("，。", "。"),
    ("；。", "。"),
    ("：。", "。"),
    ("，，", "，"),
)
DOUBLED = re.compile("|".join(re.escape(a) for a, _ in PUNCTUATION_FIXES))


def tidy_punctuation(text: str) -> str:
    """Fix punctuation doubled where an inserted value meets the template (``审查。，本机关``)."""
    while DOUBLED.search(text):
        for bad, good in PUNCTUATION_FIXES:
            text = text.replace(bad, good)
    return text


def punctuation_errors(text: str) -> list[str]:
    """The doubled punctuation marks left in ``text`` (empty when clean)."""
    return DOUBLED.findall(text)


def plain_text(doc: LetterDocument) -> str:
    """The letter as plain text (office preview, search, tests)."""
    parts = [doc.title, doc.number, doc.salutation, *doc.paragraphs, doc.signer, doc.date]
    return "\n".join(p for p in parts if p)


# -- DOCX ----------------------------------------------------------------------------------


def _set_run_fonts(rpr, font: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_font(style, font: str, size_pt: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = font
    style.font.size = Pt(size_pt)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    _set_run_fonts(rpr, font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _add_font_fallbacks(document) -> None:  # type: ignore[no-untyped-def]
    """Declare the fonts with GB2312 charset and an alternative name in the font table."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    try:
        font_part = document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from docx.oxml import parse_xml

    root = parse_xml(font_part.blob)
    for name, alt in FONT_FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_el = OxmlElement("w:altName")
        alt_el.set(qn("w:val"), alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name in (BODY_FONT, HEADING2_FONT) else "roman")
        pitch = OxmlElement("w:pitch")
        pitch.set(qn("w:val"), "fixed" if name in (BODY_FONT, HEADING2_FONT) else "variable")
        for child in (alt_el, charset, family, pitch):
            font.append(child)
        root.append(font)
    from lxml import etree

    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_paragraph(footer, align) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.left_indent = Pt(14)
    fmt.right_indent = Pt(14)

    def run(text: str = "") -> object:
        r = p.add_run(text)
        r.font.size = Pt(14)
        _set_run_fonts(r._element.get_or_add_rPr(), PAGE_NUMBER_FONT)
        return r

    run("— ")
    r = run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    r._element.append(begin)  # type: ignore[attr-defined]
    r._element.append(instr)  # type: ignore[attr-defined]
    r._element.append(end)  # type: ignore[attr-defined]
    run(" —")


def render_docx(doc: LetterDocument) -> bytes:
    """Return the letter as a DOCX file (real paragraphs, official layout and fonts)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.number
    props.author = doc.signer
    props.language = "zh-CN"

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))  # twips: 579
    grid.set(qn("w:charSpace"), "-842")  # 28 characters of 3号 in 156 mm

    normal = document.styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_PT)
    nfmt = normal.paragraph_format
    nfmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    nfmt.line_spacing = Pt(LINE_PITCH_PT)
    nfmt.space_before = nfmt.space_after = Pt(0)
    nfmt.widow_control = False

    title_style = document.styles.add_style("公文标题", 1)  # WD_STYLE_TYPE.PARAGRAPH
    title_style.base_style = normal
    _style_font(title_style, TITLE_FONT, TITLE_PT)
    tfmt = title_style.paragraph_format
    tfmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tfmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tfmt.line_spacing = Pt(35)

    for name, font in HEADING_STYLES.items():
        heading = document.styles.add_style(name, 1)
        heading.base_style = normal
        _style_font(heading, font, BODY_PT)

    document.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    document.add_paragraph(doc.title, style=title_style)
    number = document.add_paragraph(doc.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()
    if doc.salutation:
        document.add_paragraph(doc.salutation)
    for text in doc.paragraphs:
        p = document.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        last = p
        ind = p.paragraph_format.element.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), "200")
    # 成文日期右空四字; 发文机关署名以成文日期为准居中.
    # The 落款 never stands alone on a page: the last paragraph keeps with what follows.
    if doc.paragraphs:
        last.paragraph_format.keep_with_next = True
    for _ in range(2):
        document.add_paragraph().paragraph_format.keep_with_next = True
    date_indent = 4
    signer_indent = max(0.0, date_indent + (len(doc.date) - len(doc.signer)) / 2)
    for text, indent in ((doc.signer, signer_indent), (doc.date, date_indent)):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * indent)
        p.paragraph_format.keep_with_next = text == doc.signer
    _add_font_fallbacks(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- PDF -----------------------------------------------------------------------------------


def render_html_pdf(template_name: str, context: dict[str, object]) -> bytes:
    """Render a Django HTML template (autoescaped) to PDF with embedded CJK fonts."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=None).write_pdf()


def render_pdf(doc: LetterDocument) -> bytes:
    """Return the letter as a PDF (A4, official layout, CJK font embedded)."""
    date_indent = 4
    signer_indent = max(0.0, date_indent + (len(doc.date) - len(doc.signer)) / 2)
    return render_html_pdf(
        "letters/pdf/letter.html",
        {
            "doc": doc,
            "signer_indent": f"{signer_indent:.2f}",
            "date_indent": date_indent,
            "letter_spacing": f"{(156 / 25.4 * 72) / CHARS_PER_LINE - BODY_PT:.3f}",
        },
    )


def extract_docx_text(data: bytes) -> str:
    """Return the paragraph text of a DOCX (tests, archive checks)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)
