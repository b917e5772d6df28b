"""Characters of a PDF page with their positions, read through PDFium (pypdfium2).

Redaction works on positions, not on the bytes of the content stream: PDF text is often
split-encoded (one word in several show operators, glyph codes without a Unicode map in the
stream, kerning arrays), so matching bytes misses what a reader sees. PDFium's text page gives
every character in reading order with its origin, font size, text matrix and boxes; the page
text is index-aligned with the characters (one character per index, PDFium's generated line
breaks and spaces included and flagged), so a match in the text is a set of characters.

Geometry is in PDF user space of the page, unrotated (the page's /Rotate is a display matter),
in points, as ``(left, bottom, right, top)``.

Every character has an *em box*: the quad from its origin along the baseline by its advance,
and across the baseline from 0.2 em below to 0.8 em above — the box a reader's eye gives it.
The em box depends only on origin, advance, size and matrix, which the rebuilt text layer of a
redacted page keeps exactly, so the rule "is this character under a mark" gives the same
answer on the original and on the output (see ``covered``).
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]

#: A character counts as under a mark when its em box or ink overlaps the mark by more than
#: this (points, in both directions). ``verify`` uses a slightly larger tolerance, so that what
#: ``apply`` keeps never reads as under a mark because of rounding.
APPLY_TOLERANCE = 0.1
VERIFY_TOLERANCE = 0.15
#: Em box across the baseline, as fractions of the em: below and above.
EM_BELOW = 0.2
EM_ABOVE = 0.8


@dataclass(frozen=True, slots=True)
class Char:
    """One character of a page: text, origin, size, matrix, advance and boxes."""

    index: int
    text: str
    generated: bool
    x: float
    y: float
    size: float
    matrix: tuple[float, float, float, float]  # a b c d of text matrix × CTM (without size)
    advance: float  # along the baseline, user space
    tight: Box  # the glyph's ink box as PDFium reports it
    em: Box  # axis-aligned bounds of the em box (see module docstring)

    @property
    def is_space(self) -> bool:
        """True for whitespace and control characters."""
        return not self.text.strip()


@dataclass(frozen=True)
class PageText:
    """The characters of one page and its text, index-aligned."""

    page: int  # 0-based
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        """The page text (one character per index)."""
        return "".join(c.text for c in self.chars)


def _advance(loose: Box, a: float, b: float, size: float) -> float:
    """The advance along the baseline, from PDFium's loose box (axis-aligned)."""
    width = loose[2] - loose[0]
    height = loose[3] - loose[1]
    norm = math.hypot(a, b) or 1.0
    cos, sin = abs(a / norm), abs(b / norm)
    if sin < 1e-3:
        return width
    if cos < 1e-3:
        return height
    det = cos * cos - sin * sin
    if abs(det) > 0.1:  # solve W = adv·cos + h·sin, H = adv·sin + h·cos for adv
        return max(0.0, (width * cos - height * sin) / det)
    return size * norm * 0.5  # 45°: not solvable from the box; half an em


def em_box(
    x: float, y: float, advance: float, size: float, matrix: tuple[float, float, float, float]
) -> Box:
    """Axis-aligned bounds of a character's em box (see the module docstring)."""
    a, b, c, d = matrix
    if b == 0 and c == 0:  # upright (or mirrored) text: the usual case, computed directly
        x1 = x + (advance if a >= 0 else -advance)
        em = size * abs(d)
        y0, y1 = (
            (y - EM_BELOW * em, y + EM_ABOVE * em)
            if d >= 0
            else (y - EM_ABOVE * em, y + EM_BELOW * em)
        )
        return (min(x, x1), y0, max(x, x1), y1)
    norm_ab = math.hypot(a, b) or 1.0
    norm_cd = math.hypot(c, d) or 1.0
    ux, uy = a / norm_ab, b / norm_ab  # along the baseline
    vx, vy = c / norm_cd, d / norm_cd  # across it
    em = size * norm_cd
    xs: list[float] = []
    ys: list[float] = []
    for s in (0.0, advance):
        for t in (-EM_BELOW * em, EM_ABOVE * em):
            xs.append(x + ux * s + vx * t)
            ys.append(y + uy * s + vy * t)
    return (min(xs), min(ys), max(xs), max(ys))


def overlap(one: Box, other: Box) -> tuple[float, float]:
    """Width and height of the intersection of two boxes (0 when apart)."""
    w = min(one[2], other[2]) - max(one[0], other[0])
    h = min(one[3], other[3]) - max(one[1], other[1])
    return (max(0.0, w), max(0.0, h))


def covered(char: Char, box: Box, *, tolerance: float) -> bool:
    """True when ``char`` lies under ``box``: its em box or its ink overlaps by more than
    ``tolerance`` points in both directions."""
    return covered_by_any(char, (box,), tolerance=tolerance)


def covered_by_any(char: Char, boxes: Sequence[Box], *, tolerance: float) -> bool:
    """True when ``char`` lies under any of ``boxes`` (see ``covered``)."""
    e0, e1, e2, e3 = char.em
    t0, t1, t2, t3 = char.tight
    for b0, b1, b2, b3 in boxes:
        if (min(e2, b2) - max(e0, b0) > tolerance and min(e3, b3) - max(e1, b1) > tolerance) or (
            min(t2, b2) - max(t0, b0) > tolerance and min(t3, b3) - max(t1, b1) > tolerance
        ):
            return True
    return False


def union(boxes: list[Box]) -> Box:
    """The smallest box holding all ``boxes``."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


#: PDFium reports a hyphen that ends a line as U+FFFE (a hyphenation mark); it is a hyphen.
_LINE_END_HYPHEN = "\ufffe"


def _unicode(raw: Any, count: int) -> list[str]:
    """One character per index: the page text in one call when it aligns, else per index."""
    text = ""
    if count:
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        written = pdfium_c.FPDFText_GetText(
            raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        text = buffer.raw[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:
        chars = []
        for i in range(count):
            try:
                chars.append(chr(pdfium_c.FPDFText_GetUnicode(raw, i)))
            except (ValueError, OverflowError):
                chars.append("\ufffd")
        text = "".join(chars)
    return list(text.replace(_LINE_END_HYPHEN, "-"))


_NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)
_UPRIGHT = (1.0, 0.0, 0.0, 1.0)


def read_chars(
    textpage: pdfium.PdfTextPage, page: int = 0, *, near: Sequence[Box] | None = None
) -> PageText:
    """Read every character of a PDFium text page with its geometry.

    With ``near`` (for checks only, not for rebuilding text), a character whose loose box is
    clearly away from all those boxes is read with that box only: it stands for its em box and
    its ink, and its origin, size and matrix are not read.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    texts = _unicode(raw, count)
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    get_size = pdfium_c.FPDFText_GetFontSize
    get_matrix = pdfium_c.FPDFText_GetMatrix
    get_loose = pdfium_c.FPDFText_GetLooseCharBox
    get_box = pdfium_c.FPDFText_GetCharBox
    byref = ctypes.byref
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
    )
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    px, py, pl, pr, pb, pt = (
        byref(x),
        byref(y),
        byref(left),
        byref(right),
        byref(bottom),
        byref(top),
    )
    prect, pmatrix = byref(rect), byref(matrix)
    chars: list[Char] = []
    append = chars.append
    for i in range(count):
        text = texts[i]
        if is_generated(raw, i):
            append(Char(i, text, True, 0.0, 0.0, 0.0, _UPRIGHT, 0.0, _NO_BOX, _NO_BOX))
            continue
        get_loose(raw, i, prect)
        size = get_size(raw, i)
        if near is not None:
            r0, r1, r2, r3 = rect.left, rect.bottom, rect.right, rect.top
            reach = max(r2 - r0, r3 - r1) + 2 * size
            if r3 - r1 >= 0.5 * size and not any(
                r0 - reach < b2 and b0 < r2 + reach and r1 - reach < b3 and b1 < r3 + reach
                for b0, b1, b2, b3 in near
            ):
                box = (r0, r1, r2, r3)
                append(Char(i, text, False, r0, r1, 0.0, _UPRIGHT, r2 - r0, box, box))
                continue
        get_origin(raw, i, px, py)
        get_matrix(raw, i, pmatrix)
        get_box(raw, i, pl, pr, pb, pt)
        m = (matrix.a, matrix.b, matrix.c, matrix.d)
        ox, oy = x.value, y.value
        if m[1] == 0 and m[2] == 0:
            advance = rect.right - rect.left
        else:
            advance = _advance((rect.left, rect.bottom, rect.right, rect.top), m[0], m[1], size)
        append(
            Char(
                i,
                text,
                False,
                ox,
                oy,
                size,
                m,
                advance,
                (left.value, bottom.value, right.value, top.value),
                em_box(ox, oy, advance, size, m),
            )
        )
    return PageText(page, tuple(chars))


def read_page(
    document: pdfium.PdfDocument, page: int, *, near: Sequence[Box] | None = None
) -> PageText:
    """Read the characters of page ``page`` (0-based) of an open document (see read_chars)."""
    pdf_page = document[page]
    try:
        textpage = pdf_page.get_textpage()
        try:
            return read_chars(textpage, page, near=near)
        finally:
            textpage.close()
    finally:
        pdf_page.close()
