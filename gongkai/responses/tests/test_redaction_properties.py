"""Property tests: random mark sets on a varied page, and the geometry of marks on rotated pages.

For any marks, ``apply`` keeps exactly the characters outside them (PDFium reads back the same
characters at the same places), pdfminer finds no character more often than it was kept, and
``verify`` finds nothing wrong.
"""

from __future__ import annotations

import functools
import io
from collections import Counter

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer

from gongkai.responses import redaction
from gongkai.responses.choices import RedactionReason
from gongkai.responses.pdfchars import Char, PageText, covered_by_any
from gongkai.responses.redaction import APPLY_TOLERANCE, Mark
from gongkai.responses.stamps import stamp_text
from gongkai.responses.tests.documents import PAGE, mixed_page, text_pages

REASONS = st.sampled_from(RedactionReason.values)


@functools.cache
def _page() -> tuple[bytes, PageText]:
    pdf = mixed_page()
    return pdf, redaction.read_text(pdf)[0]


@st.composite
def mark_sets(draw: st.DrawFn) -> list[Mark]:
    """Boxes anywhere on the page, and boxes made from random runs of the page's characters."""
    _pdf, page = _page()
    marks: list[Mark] = []
    for _ in range(draw(st.integers(0, 4))):
        x = draw(st.floats(0, PAGE[0] - 2))
        y = draw(st.floats(0, PAGE[1] - 2))
        w = draw(st.floats(0.5, 300))
        h = draw(st.floats(0.5, 120))
        box = (x, y, min(PAGE[0], x + w), min(PAGE[1], y + h))
        marks.append(Mark(0, box, draw(REASONS), "prop"))
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(page.chars) - 1))
        end = draw(st.integers(start + 1, min(len(page.chars), start + 25)))
        marks += redaction.marks_for_chars(
            page, start, end, reason=draw(REASONS), author="prop", source="TEXT_SEARCH"
        )
    if not marks:
        marks.append(Mark(0, (100, 100, 101, 101), RedactionReason.PERSONAL_PRIVACY))
    return marks


def _key(char: Char) -> tuple[str, int, int]:
    """A character and its origin on a 0.05-point grid."""
    return (char.text, round(char.x * 20), round(char.y * 20))


def _same_places(found: list[Char], expected: list[Char]) -> bool:
    """True when both hold the same characters at the same origins (within 0.05 points)."""
    if len(found) != len(expected):
        return False
    left = sorted(found, key=_key)
    right = sorted(expected, key=_key)
    return all(
        a.text == b.text and abs(a.x - b.x) <= 0.05 and abs(a.y - b.y) <= 0.05
        for a, b in zip(left, right, strict=True)
    )


def _pdfminer_chars(pdf: bytes) -> Counter[str]:
    found: Counter[str] = Counter()

    def walk(item: object) -> None:
        if isinstance(item, LTChar):
            if item.get_text().strip():
                found[item.get_text()] += 1
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child)

    for layout in extract_pages(io.BytesIO(pdf)):
        walk(layout)
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=mark_sets())
@example(  # "A-" left at the end of a run: PDFium reads such a hyphen as U+FFFE
    marks=[Mark(0, (190.085, 778.75, 230.117, 787.75), RedactionReason.STATE_SECRET, "prop")]
)
def test_apply_keeps_exactly_the_characters_outside_the_marks(marks):
    """Whatever the marks, the output holds exactly the unmarked characters at their places."""
    pdf, page = _page()
    boxes = [m.box for m in marks]
    expected = [
        c
        for c in page.chars
        if not c.generated
        and not c.is_space
        and not covered_by_any(c, boxes, tolerance=APPLY_TOLERANCE)
    ]
    out = redaction.apply(pdf, marks)
    found = [c for c in redaction.read_text(out)[0].chars if not c.generated and not c.is_space]
    assert _same_places(found, expected)
    kept_text = Counter(c.text for c in expected)
    assert not _pdfminer_chars(out) - kept_text  # pdfminer finds nothing that was not kept
    assert redaction.verify(out, marks, original=pdf) == []


@settings(max_examples=200, deadline=None)
@given(
    rotation=st.sampled_from([0, 90, 180, 270]),
    left=st.floats(-200, 200),
    bottom=st.floats(-200, 200),
    width=st.floats(50, 2000),
    height=st.floats(50, 2000),
    scale=st.floats(0.1, 5),
    fractions=st.tuples(*[st.floats(0, 1)] * 4),
)
def test_view_and_pdf_boxes_convert_both_ways(
    rotation, left, bottom, width, height, scale, fractions
):
    """A box drawn on the displayed page converts to PDF points and back unchanged."""
    cropbox = (left, bottom, left + width, bottom + height)
    a, b, c, d = fractions
    box = (
        left + width * min(a, b),
        bottom + height * min(c, d),
        left + width * max(a, b),
        bottom + height * max(c, d),
    )
    view = redaction.pdf_to_view(box, cropbox=cropbox, rotation=rotation, scale=scale)
    back = redaction.view_to_pdf(view, cropbox=cropbox, rotation=rotation, scale=scale)
    assert back == pytest.approx(box, abs=1e-6)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_box_drawn_on_the_displayed_page_is_painted_there(rotation):
    """Draw a box on the page as a viewer shows it (rotation applied): the output is black
    exactly there when rendered the same way, and white around it."""
    pdf = text_pages(1, rotate=rotation)
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    cropbox = page.get_cropbox()
    scale = 1.0
    shown = page.render(scale=scale).to_pil()
    document.close()
    w, h = shown.size
    view_box = (w * 0.25, h * 0.6, w * 0.45, h * 0.7)  # an empty area below the text? see below
    box = redaction.view_to_pdf(view_box, cropbox=cropbox, rotation=rotation, scale=scale)
    out = redaction.apply(pdf, [Mark(0, box, RedactionReason.STATE_SECRET)])
    document = pdfium.PdfDocument(out)
    rendered = document[0].render(scale=scale).to_pil().convert("L")
    document.close()
    assert rendered.size == shown.size
    x0, y0, x1, y1 = (int(v) for v in view_box)
    inside = rendered.crop((x0 + 2, y0 + 2, x1 - 2, y1 - 2)).getextrema()
    assert inside == (0, 0)
    margin = rendered.crop((5, 5, 25, 25)).getextrema()
    assert margin[0] > 200  # the page corner stays paper-white


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_stamp_reads_upright_in_the_bottom_right_corner_as_displayed(rotation):
    """Whatever the page's /Rotate, the stamp is horizontal, bottom right, as a viewer shows it."""
    pdf = text_pages(1, rotate=rotation)
    out = redaction.apply(pdf, [], stamp=stamp_text("GK-2026-000123"))
    document = pdfium.PdfDocument(out)
    shown = document[0].render(scale=2).to_pil().convert("L")
    document.close()
    width, height = shown.size
    ink = shown.point(lambda v: 255 if v < 160 else 0)
    corner = ink.crop((width // 2, height - 80, width, height)).getbbox()
    assert corner is not None
    left, top, right, bottom = corner
    assert right - left > 5 * (bottom - top)  # a line of text, not a column
    for other in (
        (0, 0, width // 2, 80),
        (width // 2, 0, width, 80),
        (0, height - 80, width // 2, height),
    ):
        assert ink.crop(other).getbbox() is None
