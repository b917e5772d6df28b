"""Checking a provided file against its plan: what approval calls."""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from gongkai.responses.choices import ProblemKind
from gongkai.responses.pdfchars import (
    APPLY_TOLERANCE,
    VERIFY_TOLERANCE,
    Box,
    PageText,
    covered,
    covered_by_any,
    overlap,
    read_page,
)
from gongkai.responses.redaction.plan import Mark, open_pdf
from gongkai.responses.sanitise import structure_problems

#: Image pixels under a mark are uniform when no channel varies by more than this.
PIXEL_TOLERANCE = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a redacted file; ``page`` is 0-based, ``mark`` indexes the plan."""

    kind: str
    page: int | None = None
    mark: int | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        """The problem in words for people."""
        where = []
        if self.page is not None:
            where.append(_("第%(page)d页") % {"page": self.page + 1})
        if self.mark is not None:
            where.append(_("第%(mark)d处遮盖") % {"mark": self.mark + 1})
        text = str(ProblemKind(self.kind).label)
        if where:
            text = "".join(where) + _("：") + text
        return f"{text}（{self.detail}）" if self.detail else text


def _compact_text(text: str) -> str:
    return "".join(text.split())


def _image_problems(
    page: pdfium.PdfPage, number: int, marks: Sequence[tuple[int, Mark]]
) -> list[Problem]:
    """Image pixels under a mark must be uniform; no other content may lie under a mark."""
    problems: list[Problem] = []
    for obj in page.get_objects(max_depth=0):
        bounds = obj.get_bounds()
        hits = [
            (i, m) for i, m in marks if all(v > VERIFY_TOLERANCE for v in overlap(bounds, m.box))
        ]
        if not hits:
            continue
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue  # characters are checked one by one
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            problems += [Problem(ProblemKind.CONTENT_UNDER_MARK, number, i) for i, _m in hits]
            continue
        pixels = _image_pixels(obj)
        matrix = obj.get_matrix()
        a, b, c, d, e, f = matrix.get()
        det = a * d - b * c
        if not det:
            continue
        for i, mark in hits:
            box = (
                max(mark.box[0], bounds[0]),
                max(mark.box[1], bounds[1]),
                min(mark.box[2], bounds[2]),
                min(mark.box[3], bounds[3]),
            )
            us, vs = [], []
            for x, y in ((box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])):
                x, y = x - e, y - f
                us.append((d * x - c * y) / det)
                vs.append((-b * x + a * y) / det)
            x0 = math.ceil(min(us) * pixels.width) + 1
            x1 = math.floor(max(us) * pixels.width) - 1
            y0 = math.ceil((1 - max(vs)) * pixels.height) + 1
            y1 = math.floor((1 - min(vs)) * pixels.height) - 1
            x0, y0 = max(0, x0), max(0, y0)
            x1, y1 = min(pixels.width, x1), min(pixels.height, y1)
            if x1 <= x0 or y1 <= y0:
                continue
            region = pixels.crop((x0, y0, x1, y1))
            extrema: Any = region.getextrema()
            if isinstance(extrema[0], int | float):
                extrema = (extrema,)
            if any(hi - lo > PIXEL_TOLERANCE for lo, hi in extrema):
                problems.append(Problem(ProblemKind.IMAGE_UNDER_MARK, number, i))
    return problems


#: Raw layouts of decoded image data: bits per component, components, Pillow mode and raw mode.
_RAW_LAYOUTS = ((8, 1, "L", "L"), (4, 1, "L", "L;4"), (1, 1, "1", "1"), (8, 3, "RGB", "RGB"))


def _image_pixels(obj: Any) -> Image.Image:
    """The stored pixels of an image object (not as drawn: no mask, no transfer).

    JPEG data and plain or Flate-compressed grey/RGB data (what ``apply`` writes) are decoded
    here directly, which is three times faster; anything else is decoded by PDFium.
    """
    filters = obj.get_filters()
    if filters == ["DCTDecode"]:
        image = Image.open(io.BytesIO(bytes(obj.get_data(decode_simple=False))))
        image.load()
        return image
    if filters in ([], ["FlateDecode"]):
        width, height = obj.get_px_size()
        data = bytes(obj.get_data(decode_simple=True))
        for bits, components, mode, raw in _RAW_LAYOUTS:
            if len(data) == (width * bits * components + 7) // 8 * height:
                return Image.frombytes(mode, (width, height), data, "raw", raw)
    return obj.get_bitmap(render=False).to_pil()  # type: ignore[no-any-return]


def _pypdf_text(page: Any) -> tuple[str, list[tuple[float, float]]]:
    """The page text as pypdf extracts it, and the start point (user space) of every
    text-showing operation that shows more than whitespace."""
    pieces: list[str] = []
    starts: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: Any) -> None:
        if text.strip():
            pieces.append(text)
            x, y = tm[4], tm[5]
            starts.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    page.extract_text(visitor_text=visit)
    return "".join(pieces), starts


def _read_pages(pdf: bytes, boxes: dict[int, list[Box]]) -> dict[int, PageText]:
    document = open_pdf(pdf)
    try:
        return {number: read_page(document, number, near=near) for number, near in boxes.items()}
    finally:
        document.close()


def verify(
    redacted: bytes,
    marks: Sequence[Mark],
    *,
    original: bytes | None = None,
    stamp: str | None = None,
) -> list[Problem]:
    """Check a provided file against its plan; an empty list means it may be approved.

    Reported: characters PDFium or pypdf still find under a mark, image pixels under a mark that
    are not uniform, other content under a mark, and anything the file must not carry (see
    ``sanitise``). With ``original``, the page count must match, and the text each mark covered
    there may appear in the output's text (as pypdf and PDFium extract it) no more often than
    it does outside the marks and in the ``stamp``.
    """
    try:
        document = pdfium.PdfDocument(redacted)
        reader = PdfReader(io.BytesIO(redacted))
        count = len(document)
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unusable file
        return [Problem(ProblemKind.UNREADABLE, detail=str(exc)[:200])]
    if reader.is_encrypted:  # a provided file is never encrypted
        document.close()
        return [Problem(ProblemKind.UNREADABLE, detail="encrypted")]
    problems: list[Problem] = []
    try:
        by_page: dict[int, list[tuple[int, Mark]]] = defaultdict(list)
        for i, mark in enumerate(marks):
            if mark.page >= count:
                problems.append(Problem(ProblemKind.PAGE_COUNT, mark.page, i))
            else:
                by_page[mark.page].append((i, mark))
        originals: dict[int, PageText] = {}
        if original is not None:
            original_count = _page_count(original)
            if original_count != count:
                problems.append(
                    Problem(ProblemKind.PAGE_COUNT, detail=f"{count} ≠ {original_count}")
                )
            else:
                originals = _read_pages(
                    original, {n: [m.box for _i, m in ms] for n, ms in by_page.items()}
                )
        problems += [Problem(kind, detail=detail) for kind, detail in structure_problems(reader)]
        for number, page_marks in sorted(by_page.items()):
            boxes = [mark.box for _i, mark in page_marks]
            chars = read_page(document, number, near=boxes).chars
            suspects = [
                c
                for c in chars
                if not c.generated
                and not c.is_space
                and covered_by_any(c, boxes, tolerance=VERIFY_TOLERANCE)
            ]
            for i, mark in page_marks:
                under = sum(1 for c in suspects if covered(c, mark.box, tolerance=VERIFY_TOLERANCE))
                if under:
                    problems.append(
                        Problem(ProblemKind.TEXT_UNDER_MARK, number, i, f"PDFium: {under}")
                    )
            page = document[number]
            try:
                problems += _image_problems(page, number, page_marks)
            finally:
                page.close()
            try:
                pypdf_text, starts = _pypdf_text(reader.pages[number])
            except Exception as exc:  # noqa: BLE001 - what pypdf cannot read is not approved
                problems.append(Problem(ProblemKind.UNREADABLE, number, detail=str(exc)[:200]))
                continue
            for i, mark in page_marks:
                b0, b1, b2, b3 = (
                    mark.box[0] + VERIFY_TOLERANCE,
                    mark.box[1] + VERIFY_TOLERANCE,
                    mark.box[2] - VERIFY_TOLERANCE,
                    mark.box[3] - VERIFY_TOLERANCE,
                )
                inside = sum(1 for x, y in starts if b0 < x < b2 and b1 < y < b3)
                if inside:
                    problems.append(
                        Problem(ProblemKind.TEXT_UNDER_MARK, number, i, f"pypdf: {inside}")
                    )
            if number in originals:
                pdfium_text = "".join(c.text for c in chars if not c.generated)
                problems += _marked_text_found(
                    originals[number],
                    page_marks,
                    [_compact_text(pypdf_text), _compact_text(pdfium_text)],
                    stamp or "",
                )
    finally:
        document.close()
    return problems


def _page_count(pdf: bytes) -> int:
    document = open_pdf(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _marked_text_found(
    original: PageText, marks: Sequence[tuple[int, Mark]], outputs: list[str], stamp: str
) -> list[Problem]:
    """Marked strings of the original found in the output more often than outside the marks."""
    boxes = [mark.box for _i, mark in marks]
    chars = [c for c in original.chars if not c.generated and not c.is_space]
    hidden = [c for c in chars if covered_by_any(c, boxes, tolerance=APPLY_TOLERANCE)]
    hidden_ids = {c.index for c in hidden}
    visible = "".join(c.text for c in chars if c.index not in hidden_ids)
    stamp = _compact_text(stamp)
    problems = []
    for i, mark in marks:
        needle = "".join(c.text for c in hidden if covered(c, mark.box, tolerance=APPLY_TOLERANCE))
        if not needle:
            continue
        allowed = visible.count(needle) + stamp.count(needle)
        for name, text in zip(("pypdf", "PDFium"), outputs, strict=True):
            if text.count(needle) > allowed:
                problems.append(Problem(ProblemKind.MARKED_TEXT_FOUND, original.page, i, name))
                break
    return problems
