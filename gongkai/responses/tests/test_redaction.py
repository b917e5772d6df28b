"""Redaction on real PDFs: the marked content is gone (not covered), the rest is still there.

Every assertion reads the output back with independent readers: pypdf, pdfminer.six and
PDFium (rendering and text).
"""

from __future__ import annotations

import functools
import io

import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_text as pdfminer_text
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from gongkai.responses import redaction
from gongkai.responses.choices import MarkSource, ProblemKind, RedactionReason
from gongkai.responses.redaction import Mark, RedactionError
from gongkai.responses.stamps import stamp_text
from gongkai.responses.tests.documents import (
    ID_NUMBER,
    KEPT,
    MOBILE,
    NAME,
    PICTURE,
    SECRET_TITLE,
    Sample,
    sample_pdf,
    text_pages,
)

PRIVACY = RedactionReason.PERSONAL_PRIVACY


@functools.cache
def _sample() -> Sample:
    return sample_pdf()


def _plan(sample: Sample) -> list[Mark]:
    """Marks as an officer makes them: the scan's proposals on page 1, the name by text search,
    and two boxes over the numbers in the scanned picture."""
    pages = redaction.read_text(sample.data)
    proposed = [m for m in redaction.search_personal_data(pages, author="handler") if m.page == 0]
    named = [m for m in redaction.search_text(pages, NAME, reason=PRIVACY) if m.page == 0]
    boxes = [
        Mark(0, sample.id_box, PRIVACY, "handler"),
        Mark(0, sample.mobile_box, RedactionReason.TRADE_SECRET, "reviewer"),
    ]
    return redaction.merge(proposed, named + boxes)


@pytest.fixture(scope="module")
def redacted() -> tuple[Sample, list[Mark], bytes]:
    sample = _sample()
    marks = _plan(sample)
    return sample, marks, redaction.apply(sample.data, marks)


def _pypdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _pdfminer_pages(pdf: bytes) -> list[str]:
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    return [pdfminer_text(io.BytesIO(pdf), page_numbers=[n]) for n in range(count)]


def _compact(text: str) -> str:
    return "".join(text.split())


def _render(pdf: bytes, page: int, scale: float) -> object:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def _region(image: object, box: tuple[float, ...], scale: float, inset: int = 2) -> object:
    left, bottom, right, top = box
    height = 842.0
    return image.crop(  # type: ignore[attr-defined]
        (
            int(left * scale) + inset,
            int((height - top) * scale) + inset,
            int(right * scale) - inset,
            int((height - bottom) * scale) - inset,
        )
    )


def test_the_plan_finds_every_occurrence_by_position():
    """The scan proposes the ID number and the mobile number in the CJK and the Latin line; the
    name search finds the name; all marks sit on page 1 with the legal reason and author given."""
    marks = _plan(_sample())
    sources = [m.source for m in marks]
    assert sources.count(MarkSource.PERSONAL_DATA) == 4  # ID + mobile, CJK line and Latin line
    assert sources.count(MarkSource.TEXT_SEARCH) == 1
    assert sources.count(MarkSource.BOX) == 2
    labels = {m.label for m in marks if m.source == MarkSource.PERSONAL_DATA}
    assert labels == {"1101**********" + ID_NUMBER[-4:], "138****5678"}  # masked, never clear
    assert all(m.page == 0 for m in marks)


def test_marked_text_cannot_be_extracted_and_the_rest_can(redacted):
    """pypdf and pdfminer find none of the marked strings on the marked page; the unmarked text
    of that page and the unmarked page are still extractable."""
    _sample, _marks, out = redacted
    for reader in (_pypdf_pages, _pdfminer_pages):
        first, second = (_compact(t) for t in reader(out))
        for secret in (ID_NUMBER, MOBILE, NAME):
            assert secret not in first, (reader.__name__, secret)
        assert KEPT in first
        assert "以上为扫描件" in first
        assert "Contact:" in first and "(Latinfont)." in first
        assert "第二页：公开内容，不作遮盖。" in second
        assert MOBILE in second  # page 2 was not marked


def test_page_count_and_page_sizes_are_unchanged(redacted):
    """The output has as many pages as the original, each of the same size."""
    sample, _marks, out = redacted
    before = PdfReader(io.BytesIO(sample.data)).pages
    after = PdfReader(io.BytesIO(out)).pages
    assert len(after) == len(before) == 2
    for old, new in zip(before, after, strict=True):
        assert [float(v) for v in new.mediabox] == [float(v) for v in old.mediabox]


def test_only_marked_pages_are_rasterised(redacted):
    """Page 1 becomes one picture with an invisible text layer; page 2 keeps its vector text."""
    _sample, _marks, out = redacted
    reader = PdfReader(io.BytesIO(out))
    first, second = reader.pages
    assert len(first.images) == 1
    assert b"3 Tr" in first.get_contents().get_data()  # type: ignore[union-attr]
    assert len(second.images) == 0


def test_pixels_under_the_marks_are_uniform(redacted):
    """Rendered, every mark is one solid colour — in the text and in the scanned picture —
    where the original had the numbers (not uniform there)."""
    sample, marks, out = redacted
    scale = 2.0
    before = _render(sample.data, 0, scale)
    after = _render(out, 0, scale)
    for mark in marks:
        region = _region(after, mark.box, scale)
        assert max(hi - lo for lo, hi in region.getextrema()) <= 2, mark  # type: ignore[attr-defined]
    for box in (sample.id_box, sample.mobile_box):
        original = _region(before, box, scale)
        assert max(hi - lo for lo, hi in original.getextrema()) > 50  # type: ignore[attr-defined]


def test_the_picture_outside_the_marks_is_kept(redacted):
    """The scanned picture's frame and paper outside the marks look as before."""
    sample, _marks, out = redacted
    scale = 2.0
    before = _render(sample.data, 0, scale)
    after = _render(out, 0, scale)
    left, bottom, width, height = PICTURE
    frame = (left + width - 30, bottom + 5, left + width - 5, bottom + height - 5)
    old = _region(before, frame, scale).convert("L")  # type: ignore[attr-defined]
    new = _region(after, frame, scale).convert("L")  # type: ignore[attr-defined]
    assert ImageStat.Stat(ImageChops.difference(old, new)).mean[0] < 12


def test_everything_a_provided_file_must_not_carry_is_gone(redacted):
    """No /Info, no XMP, no attachment, no JavaScript or open action, no annotations or page
    actions, no hidden objects — the original had all of them."""
    sample, _marks, out = redacted
    original = PdfReader(io.BytesIO(sample.data))
    assert original.metadata and original.metadata.title == SECRET_TITLE
    original_root = original.trailer["/Root"].get_object()
    assert "/Metadata" in original_root and "/OpenAction" in original_root  # type: ignore[operator]
    assert original.attachments
    assert all("/Annots" in page for page in original.pages)

    reader = PdfReader(io.BytesIO(out))
    assert not reader.metadata
    root = reader.trailer["/Root"].get_object()
    assert set(root.keys()) <= {"/Type", "/Pages"}  # type: ignore[union-attr]
    assert not reader.attachments
    for page in reader.pages:
        assert not {"/Annots", "/AA", "/Thumb", "/Metadata", "/PieceInfo"} & set(page.keys())
    assert SECRET_TITLE.encode("utf-16-be") not in out and b"app.alert" not in out
    assert not redaction.verify(out, [])


def test_verify_passes_the_output(redacted):
    """The approval check finds nothing wrong with apply's output, against the original too."""
    sample, marks, out = redacted
    assert redaction.verify(out, marks, original=sample.data) == []


def _cover_with_black_boxes(pdf: bytes, boxes: list[tuple[float, ...]]) -> bytes:
    """The classic failed redaction: black rectangles drawn over the page, nothing removed."""
    overlay = io.BytesIO()
    c = canvas.Canvas(overlay, pagesize=(595, 842))
    c.setFillColorRGB(0, 0, 0)
    for left, bottom, right, top in boxes:
        c.rect(left, bottom, right - left, top - bottom, stroke=0, fill=1)
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(overlay.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_verify_catches_boxes_painted_over_text_and_pictures():
    """Black boxes drawn over the original look redacted but are not: verify reports the text
    still under the marks (PDFium and pypdf), the marked strings still extractable, the picture
    data under the marks and the drawn boxes themselves."""
    sample = _sample()
    marks = _plan(sample)
    bad = _cover_with_black_boxes(sample.data, [m.box for m in marks])
    scale = 2.0
    rendered = _render(bad, 0, scale)
    for mark in marks:  # it does look redacted
        region = _region(rendered, mark.box, scale)
        assert max(hi - lo for lo, hi in region.getextrema()) <= 2  # type: ignore[attr-defined]
    problems = redaction.verify(bad, marks, original=sample.data)
    kinds = {p.kind for p in problems}
    assert {
        ProblemKind.TEXT_UNDER_MARK,
        ProblemKind.MARKED_TEXT_FOUND,
        ProblemKind.IMAGE_UNDER_MARK,
        ProblemKind.CONTENT_UNDER_MARK,
        ProblemKind.METADATA,
        ProblemKind.ANNOTATIONS,
        ProblemKind.EMBEDDED_FILES,
        ProblemKind.SCRIPTS,
    } <= kinds
    text_marks = {m for m, mark in enumerate(marks) if mark.source != MarkSource.BOX}
    flagged = {p.mark for p in problems if p.kind == ProblemKind.TEXT_UNDER_MARK}
    assert text_marks <= flagged
    picture_marks = {m for m, mark in enumerate(marks) if mark.source == MarkSource.BOX}
    assert picture_marks <= {p.mark for p in problems if p.kind == ProblemKind.IMAGE_UNDER_MARK}
    assert all(p.message for p in problems)


def test_verify_catches_a_missing_mark(redacted):
    """A plan with one mark more than the output was made with fails: the text is still there."""
    sample, marks, out = redacted
    pages = redaction.read_text(sample.data)
    extra = redaction.search_text(pages, KEPT, reason=RedactionReason.PROCESS_INFO)
    problems = redaction.verify(out, marks + extra, original=sample.data)
    assert {p.kind for p in problems} >= {
        ProblemKind.TEXT_UNDER_MARK,
        ProblemKind.MARKED_TEXT_FOUND,
        ProblemKind.IMAGE_UNDER_MARK,
    }
    assert {p.mark for p in problems} == {len(marks)}


def test_verify_reports_a_different_page_count(redacted):
    """Output and original must have the same number of pages."""
    sample, marks, _out = redacted
    one_page = redaction.apply(text_pages(1), [])
    problems = redaction.verify(one_page, [], original=sample.data)
    assert [p.kind for p in problems] == [ProblemKind.PAGE_COUNT]


def test_verify_reports_an_unreadable_file():
    """Garbage is reported, not raised."""
    problems = redaction.verify(b"%PDF-1.7 not really", [])
    assert [p.kind for p in problems] == [ProblemKind.UNREADABLE]


def test_stamp_on_every_page_away_from_the_marks(redacted):
    """The stamp text is on every page, readable by extraction, and not under any mark."""
    sample, marks, _out = redacted
    stamp = stamp_text("GK-2026-000123")
    out = redaction.apply(sample.data, marks, stamp=stamp)
    for text in _pdfminer_pages(out):
        assert "受理编号：GK-2026-000123" in text
    for text in _pypdf_pages(out):
        assert "GK-2026-000123" in text
    assert redaction.verify(out, marks, original=sample.data, stamp=stamp) == []


def test_rotated_pages_keep_their_rotation_and_lose_the_marked_text():
    """A page shown rotated is rasterised in its own space; the output shows it the same way."""
    pdf = text_pages(2, rotate=90)
    pages = redaction.read_text(pdf)
    marks = redaction.search_personal_data(pages)
    out = redaction.apply(pdf, marks)
    reader = PdfReader(io.BytesIO(out))
    assert [page.rotation for page in reader.pages] == [90, 90]
    text = _compact(pdfminer_text(io.BytesIO(out)))
    assert ID_NUMBER not in text and MOBILE not in text and "申请人" in text
    assert redaction.verify(out, marks, original=pdf) == []


def test_marks_on_a_page_that_does_not_exist_are_refused():
    """A mark beyond the last page is an error with a message, not a silent skip."""
    with pytest.raises(RedactionError, match="超出文件页数"):
        redaction.apply(text_pages(1), [Mark(3, (10, 10, 50, 50), PRIVACY)])


def test_damaged_pdf_is_refused_with_a_message():
    """An unreadable original gives RedactionError in Chinese."""
    with pytest.raises(RedactionError, match="无法读取"):
        redaction.apply(b"%PDF-1.4\n%%EOF", [])


def test_no_marks_means_clean_copy_with_vector_pages():
    """Without marks nothing is rasterised; the text is intact and the hazards are gone."""
    sample = _sample()
    out = redaction.apply(sample.data, [])
    reader = PdfReader(io.BytesIO(out))
    assert all(len(page.images) == 0 or page is reader.pages[0] for page in reader.pages)
    assert ID_NUMBER in _compact(reader.pages[0].extract_text())
    assert not redaction.verify(out, [])


def _colour_page() -> bytes:
    """A page with a red seal-like picture over text: a colour page (stored as JPEG)."""
    from reportlab.lib.utils import ImageReader

    from gongkai.responses.tests.documents import cjk_font

    seal = Image.new("RGB", (300, 300), "white")
    draw = ImageDraw.Draw(seal)
    draw.ellipse((10, 10, 290, 290), outline=(210, 20, 30), width=16)
    draw.text((70, 130), MOBILE, fill=(210, 20, 30), font=ImageFont.load_default(size=28))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.setFont(cjk_font(), 12)
    c.drawString(72, 700, f"盖章页：经办人{NAME}，电话{MOBILE}。")
    c.drawImage(ImageReader(seal), 300, 560, 150, 150)
    c.save()
    return out.getvalue()


def test_colour_pages_are_jpeg_and_still_uniform_under_marks():
    """A colour page is stored as JPEG; marks are widened to whole 8-pixel blocks, so the pixels
    under them decode exactly uniform, and verify agrees."""
    pdf = _colour_page()
    pages = redaction.read_text(pdf)
    marks = redaction.search_personal_data(pages) + [
        Mark(0, (330, 620, 430, 650), PRIVACY)  # the number inside the seal
    ]
    out = redaction.apply(pdf, marks)
    page = PdfReader(io.BytesIO(out)).pages[0]
    (picture,) = page.images
    assert picture.image is not None
    assert picture.image.format == "JPEG" and picture.image.mode == "RGB"
    assert MOBILE not in _compact(page.extract_text())
    after = _render(out, 0, 2.0)
    for mark in marks:
        region = _region(after, mark.box, 2.0)
        assert max(hi - lo for lo, hi in region.getextrema()) <= 2  # type: ignore[attr-defined]
    assert redaction.verify(out, marks, original=pdf) == []


def test_a_pdf_locked_by_an_owner_password_only_is_redacted_and_unlocked():
    """Owner-password files open without a password: they are redacted and provided unlocked."""
    pdf = text_pages(2)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="", owner_password="owner-secret")
    locked = io.BytesIO()
    writer.write(locked)
    marks = redaction.search_personal_data(redaction.read_text(locked.getvalue()))
    out = redaction.apply(locked.getvalue(), marks)
    reader = PdfReader(io.BytesIO(out))
    assert not reader.is_encrypted
    assert ID_NUMBER not in _compact(reader.pages[1].extract_text())
    assert redaction.verify(out, marks, original=locked.getvalue()) == []


def test_a_poster_page_is_rasterised_below_the_pixel_limit():
    """A page far larger than A4 gets fewer dots per inch, not a huge picture."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(3000, 2000))
    c.setFont("Helvetica", 60)
    c.drawString(100, 1000, f"Poster {MOBILE} text")
    c.save()
    pdf = out.getvalue()
    marks = redaction.search_text(redaction.read_text(pdf), MOBILE, reason=PRIVACY)
    result = redaction.apply(pdf, marks)
    (picture,) = PdfReader(io.BytesIO(result)).pages[0].images
    assert picture.image is not None
    width, height = picture.image.size
    assert width * height <= redaction.MAX_PAGE_PIXELS
    assert width > 3000  # still far more than one dot per point
    assert redaction.verify(result, marks, original=pdf) == []


def test_text_outside_the_crop_box_of_a_marked_page_is_dropped():
    """Text that a viewer never shows (beyond the crop box) does not survive rasterising."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, f"Visible line, mobile {MOBILE}.")
    c.drawString(72, 60, "Hidden below the crop box: HIDDEN-42")
    c.setCropBox((0, 100, 595, 842))
    c.save()
    pdf = out.getvalue()
    marks = redaction.search_text(redaction.read_text(pdf), MOBILE, reason=PRIVACY)
    assert "HIDDEN-42" in _compact(pdfminer_text(io.BytesIO(pdf)))
    result = redaction.apply(pdf, marks)
    text = _compact(pdfminer_text(io.BytesIO(result)))
    assert "Visibleline,mobile" in text
    assert "HIDDEN-42" not in text and MOBILE not in text
