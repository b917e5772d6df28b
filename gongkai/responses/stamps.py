"""The trace stamp on every page of a provided PDF (受理编号 and date), to trace leaks.

The stamp text is typeset once by WeasyPrint (already the project's PDF engine, embedding a
subset of the Debian Noto CJK font) into a one-line PDF page, which becomes a form XObject drawn
upright in a corner of every page — bottom right, or the first other corner that does not touch
a redaction mark on that page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.utils.html import escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)

from gongkai.responses.pdfchars import Box, overlap
from gongkai.responses.sanitise import clean_resources
from gongkai.responses.textlayer import content_stream
from gongkai.workcalendar.wording import cn_date

#: Stamp font size and distance from the page edge (points).
FONT_SIZE = 8
MARGIN = 10
PADDING = 2
FONTS = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def stamp_text(registration_number: str, on: dt.date | None = None) -> str:
    """The usual stamp: ``受理编号：GK-2026-0001　2026年3月16日`` (date optional)."""
    text = f"受理编号：{registration_number}"
    return f"{text}　{cn_date(on)}" if on else text


def _width(text: str) -> float:
    """Estimated width of ``text`` at FONT_SIZE: full width for CJK, about half for the rest."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in text) * FONT_SIZE + 2 * PADDING


def _typeset(text: str) -> tuple[bytes, float, float]:
    """A one-page PDF holding ``text`` on one line, and its width and height in points."""
    from weasyprint import HTML  # imported when first needed: it is slow to import

    width, height = _width(text), FONT_SIZE * 1.6 + 2 * PADDING
    html = (
        f"<style>@page {{ size: {width}pt {height}pt; margin: 0 }}"
        f"body {{ margin: 0; padding: {PADDING}pt; font: {FONT_SIZE}pt/1.4 {FONTS};"
        f" color: #555; white-space: nowrap }}</style><body>{escape(text)}</body>"
    )
    return HTML(string=html).write_pdf(), width, height


def _form(writer: PdfWriter, text: str) -> tuple[Any, float, float]:
    """The stamp as a form XObject in ``writer``, with its width and height."""
    pdf, width, height = _typeset(text)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    form = StreamObject()
    form._data = page.get_contents().get_data()  # type: ignore[union-attr]
    resources = page["/Resources"].clone(writer)
    clean_resources(resources)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, width, height)),
            NameObject("/Resources"): resources,
        }
    )
    return writer._add_object(form.flate_encode()), width, height


def _placements(
    box: Box, rotation: int, width: float, height: float
) -> list[tuple[tuple[float, ...], Box]]:
    """Candidate (cm matrix, user-space box) for the stamp: bottom right, bottom left, top
    right, top left of the page as displayed."""
    left, bottom, right, top = box
    w, h = right - left, top - bottom
    rot = rotation % 360
    shown_w, shown_h = (h, w) if rot in (90, 270) else (w, h)
    corners = [
        (shown_w - MARGIN - width, MARGIN),
        (MARGIN, MARGIN),
        (shown_w - MARGIN - width, shown_h - MARGIN - height),
        (MARGIN, shown_h - MARGIN - height),
    ]
    out: list[tuple[tuple[float, ...], Box]] = []
    for x, y in corners:
        # Display (x, y, up) -> user space, for the page's clockwise rotation.
        if rot == 90:
            cm = (0.0, 1.0, -1.0, 0.0, w - y + left, x + bottom)
        elif rot == 180:
            cm = (-1.0, 0.0, 0.0, -1.0, w - x + left, h - y + bottom)
        elif rot == 270:
            cm = (0.0, -1.0, 1.0, 0.0, y + left, h - x + bottom)
        else:
            cm = (1.0, 0.0, 0.0, 1.0, x + left, y + bottom)
        a, b, c, d, e, f = cm
        xs = [a * sx + c * sy + e for sx, sy in ((0, 0), (width, 0), (0, height), (width, height))]
        ys = [b * sx + d * sy + f for sx, sy in ((0, 0), (width, 0), (0, height), (width, height))]
        out.append((cm, (min(xs), min(ys), max(xs), max(ys))))
    return out


def stamp_pages(
    writer: PdfWriter, text: str, *, avoid: Mapping[int, Sequence[Any]] | None = None
) -> None:
    """Draw ``text`` on every page of ``writer``, away from the marks in ``avoid`` (by page)."""
    form, width, height = _form(writer, text)
    for number, page in enumerate(writer.pages):
        page_box = tuple(float(v) for v in (page.cropbox or page.mediabox))
        marks = [m.box for m in (avoid or {}).get(number, [])]
        options = _placements(page_box, int(page.get("/Rotate", 0) or 0), width, height)  # type: ignore[arg-type]
        cm, _box = next(
            (
                option
                for option in options
                if not any(min(overlap(option[1], m)) > 0 for m in marks)
            ),
            options[0],
        )
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
        name = "/GkStamp"
        while name in xobjects and xobjects.raw_get(name) != form:
            name += "X"
        xobjects[NameObject(name)] = form
        matrix = " ".join(f"{v:.4f}" for v in cm)
        before = writer._add_object(content_stream(b"q\n"))
        after = writer._add_object(content_stream(f"\nQ q {matrix} cm {name} Do Q\n".encode()))
        contents = page.get("/Contents")
        parts = ArrayObject([before])
        if contents is not None:
            existing = contents.get_object()
            if isinstance(existing, ArrayObject):
                parts.extend(page.raw_get("/Contents").get_object())
            else:
                parts.append(page.raw_get("/Contents"))
        parts.append(after)
        page[NameObject("/Contents")] = parts
