"""What the exports of a new report reuse: charts drawn once per content (across formats and
reports) and the CJK faces cut down once for every PDF — each read back from the real files."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
import re
import zipfile
from typing import Any

import docx
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.reports import formats
from gongkai.reports import services as s
from gongkai.reports.builders import exports, pdffonts
from gongkai.reports.builders.document import build_document
from gongkai.reports.charts import chart_png, render_png
from gongkai.reports.compute import compute_report
from gongkai.reports.narrative import GAP_OPEN, draft
from gongkai.reports.tests.ledger import standard_ledger

YEAR = 2025


@pytest.fixture
def report(tree):
    standard_ledger(tree.dept_a, YEAR)
    return compute_report(tree.dept_a, YEAR, consolidated=False)


@pytest.mark.django_db
def test_a_published_version_downloads_with_two_queries_and_is_rendered_once(
    tree, staff, django_assert_max_num_queries
):
    """The portal download reads the report with its published version in one query (plus
    one for the version by number); the second download of a format is the cached bytes."""
    standard_ledger(tree.dept_a, YEAR)
    report = s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR)
    sections = {k: v.replace(GAP_OPEN, "【已填写：") for k, v in report.narrative.items()}
    report = s.report_edit_narrative(by=staff["handler_a"], report=report, sections=sections)
    report = s.report_submit(by=staff["handler_a"], report=report)
    report = s.report_review(by=staff["reviewer_a"], report=report, passed=True)
    report = s.report_approve(by=staff["head_a"], report=report, today=dt.date(YEAR + 1, 1, 20))
    cache.clear()
    client = Client()
    urls = (
        reverse("annual_reports:download", args=[report.pk, "docx"]),
        reverse("annual_reports:version_download", args=[report.pk, 1, "docx"]),
    )
    title = report.data["agency"]["name"] + f"{YEAR}年政府信息公开工作年度报告"
    for url in urls:
        with django_assert_max_num_queries(2):
            response = client.get(url)
        assert response.status_code == 200
        assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text == title
    assert client.get(urls[0]).content == response.content


def _docx_pictures(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        return [archive.read(n) for n in names]


def test_a_chart_is_drawn_once_and_the_same_image_in_every_format_and_report(report):
    """Two reports with the same five-year trend but other tables: the trend picture in both
    DOCX files and in the HTML is one and the same PNG; the results chart differs."""
    cache.clear()
    other = copy.deepcopy(report)
    new = next(r for r in other["table3"] if r["key"] == "new")
    new["values"][0] += 5  # another applicant mix: the pie differs, the trend does not
    first, second = build_document(report, draft(report)), build_document(other, draft(other))
    trend = next(c for c in first.charts() if c.key == "trend")
    assert trend == next(c for c in second.charts() if c.key == "trend")
    png = render_png(trend)
    assert png.startswith(b"\x89PNG") and render_png(trend) == png  # drawn deterministically
    docx_first = _docx_pictures(exports.render(first, "docx"))
    docx_second = _docx_pictures(exports.render(second, "docx"))
    assert png in docx_first and png in docx_second
    pie = next(c for c in first.charts() if c.key == "applicants")
    assert chart_png(pie) in docx_first and chart_png(pie) not in docx_second
    html = exports.render(first, "html").decode()
    assert base64.b64encode(png).decode() in html
    # the picture is opaque RGB (a PDF would split an alpha channel into a second image)
    assert png[25] == 2  # IHDR colour type 2: truecolour without alpha


def test_pdf_fonts_are_cut_to_the_given_characters(tmp_path):
    """Each built face maps exactly the characters asked for (and .notdef), in a small file."""
    from fontTools.ttLib import TTFont

    written = pdffonts.build(tmp_path, text="政府信息公开年度报告0123")
    assert [p.name for p in written] == [f.filename for f in pdffonts.FACES]
    for path in written:
        cmap = TTFont(str(path)).getBestCmap()
        assert set(map(chr, cmap)) == set("政府信息公开年度报告0123")
        assert path.stat().st_size < 200_000
    assert pdffonts.build(tmp_path, text="政") == []  # kept, not rebuilt
    assert len(pdffonts.common_characters()) > 7_000 and "龘" not in pdffonts.common_characters()


def test_pdf_with_the_built_fonts_reads_back_and_falls_back_for_other_characters(
    report, settings, tmp_path
):
    """With faces holding only part of the characters the PDF embeds them (loaded once per
    thread) and still has every heading and figure: the rest comes from the system fonts."""
    from pypdf import PdfReader

    doc = build_document(report, draft(report))
    settings.VAR_DIR = tmp_path
    without = exports.render_pdf(doc)
    assert pdffonts.stylesheet() is None
    pdffonts.build(text="".join(s.heading for s in formats.SECTIONS) + "0123456789")
    fonts = pdffonts.stylesheet()
    assert fonts is not None and pdffonts.stylesheet() is fonts
    with_built = exports.render_pdf(doc)
    # the system faces keep their glyph numbers (thousands for CJK characters); a built face
    # holds its ~30 characters (80 glyphs with their variants), so a face that small in the PDF is one of ours
    assert min(_embedded_glyph_counts(without)) > 1_000
    assert min(_embedded_glyph_counts(with_built)) < 200
    reader = PdfReader(io.BytesIO(with_built))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for section in formats.SECTIONS:
        assert section.heading in text.replace(" ", "")
    assert doc.title in text.replace(" ", "")  # title characters partly outside the faces
    total = next(r for r in report["table3"] if r["key"] == "r7_total")["values"]
    assert " ".join(str(v) for v in total) in re.sub(r"\s+", " ", text)


def _embedded_glyph_counts(pdf: bytes) -> list[int]:
    """The glyph count of every font program embedded in ``pdf``."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    counts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            for descendant in font.get_object().get("/DescendantFonts") or []:
                descriptor: Any = descendant.get_object()["/FontDescriptor"].get_object()
                stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                data = stream.get_object().get_data()
                counts.append(TTFont(io.BytesIO(data))["maxp"].numGlyphs)
    assert counts
    return counts
