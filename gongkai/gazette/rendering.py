"""Typeset an issue: PDF (WeasyPrint, CJK fonts embedded) and DOCX (python-docx).

Both reuse what the annual report's exports do: the PDF is an HTML template rendered by
WeasyPrint with the Noto CJK fonts Debian ships as fallbacks of the official font names,
and the DOCX names the fonts users' machines have (``reports.builders.exports``). The layout
is the gazette's customary one: a cover with the issue number, the table of contents, then
each document with its 文号, issuing agency and date.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from gongkai.gazette.models import GazetteEntry, GazetteIssue
from gongkai.gazette.selectors import contents, distribution_total
from gongkai.reports.builders.exports import (
    HEADING_FONT,
    TITLE_FONT,
    official_docx,
    set_east_asian_font,
)

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BLOCK = re.compile(r"</?(p|div|h[1-6]|li|tr|br)\b[^>]*>", re.IGNORECASE)


def cn_date(value: Any) -> str:
    """A date as Chinese documents print it: 2025年3月2日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def body_paragraphs(html: str) -> list[str]:
    """The body's paragraphs as plain text (for the DOCX)."""
    text = strip_tags(_BLOCK.sub("\n", html or "")).replace("&nbsp;", " ")
    return [line.strip() for line in text.split("\n") if line.strip()]


def context(issue: GazetteIssue) -> dict[str, Any]:
    """What both formats show."""
    return {
        "issue": issue,
        "contents": contents(issue),
        "distributed": distribution_total(issue),
        "issue_date": cn_date(issue.issue_date),
    }


def render_pdf(issue: GazetteIssue) -> bytes:
    """Return the issue as PDF (A4: cover, contents, documents)."""
    from weasyprint import HTML

    html = render_to_string("gazette/pdf/issue.html", context(issue))
    return HTML(string=html, base_url=None).write_pdf()


def _entry_docx(document: Any, entry: GazetteEntry) -> None:
    from docx.shared import Pt

    title = document.add_paragraph()
    title.alignment = 1
    run = title.add_run(entry.title)
    run.font.size = Pt(20)
    set_east_asian_font(run, TITLE_FONT)
    if entry.doc_number:
        number = document.add_paragraph()
        number.alignment = 1
        number.add_run(entry.doc_number)
    for text in body_paragraphs(entry.body):
        para = document.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(32)
    sign = document.add_paragraph()
    sign.alignment = 2
    sign.add_run(entry.issuer)
    if entry.written_on:
        date = document.add_paragraph()
        date.alignment = 2
        date.add_run(cn_date(entry.written_on))


def render_docx(issue: GazetteIssue) -> bytes:
    """Return the issue as DOCX (cover, contents, documents; official font names)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    document = official_docx(16)
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cover.add_run(issue.gazette_name)
    run.font.size = Pt(36)
    set_east_asian_font(run, TITLE_FONT)
    for line in (issue.number_label, cn_date(issue.issue_date)):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(line).font.size = Pt(18)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    hrun = heading.add_run("目　录")
    hrun.font.size = Pt(22)
    set_east_asian_font(hrun, HEADING_FONT)
    for sec in contents(issue):
        srun = document.add_paragraph().add_run(f"【{sec.label}】")
        srun.bold = True
        set_east_asian_font(srun, HEADING_FONT)
        for entry in sec.entries:
            line = entry.title + (f"（{entry.doc_number}）" if entry.doc_number else "")
            document.add_paragraph(line)
    for sec in contents(issue):
        for entry in sec.entries:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _entry_docx(document, entry)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def filename(issue: GazetteIssue, fmt: str) -> str:
    """The download's file name."""
    return f"{issue.gazette_name}{issue.number_label}.{fmt}"
