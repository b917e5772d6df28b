"""区分处理 (《条例》第三十七条): the redaction plan as data, finding what to mark, applying it.

The plan is a list of ``Mark``s — page, box in PDF points, legal reason, author, how it was made
— kept as data beside the *restricted original* (the PDF as received or converted). Nothing is
ever changed in the original: marks are added, edited and undone in the plan, and the provided
file is rendered anew from the original and the plan by ``apply``. Every preview and download
is built from that output only.

Finding marks (by position, never by matching bytes — see ``pdfchars``):
``search_text`` (every occurrence of a string, whitespace ignored), ``search_pattern`` (a
regular expression on the page text), ``search_personal_data`` (the 错敏检测 patterns of the
catalogue's scan: 居民身份证号码, 手机号码, 银行卡号, 电子邮箱), and boxes drawn by hand
(``Mark`` with ``MarkSource.BOX``; ``view_to_pdf`` turns a box drawn on a page image into PDF
points).

``apply`` rasterises only the pages that carry marks, paints every marked box solid black into
the pixels, and rebuilds an invisible searchable text layer on those pages from the characters
outside the marks; pages without marks stay vector. Every page loses annotations (flattened
into the page first, so seals and filled forms stay visible), actions, thumbnails and private
data; the file loses /Info, XMP, outlines, embedded files and scripts. An optional stamp (受理编号
and date) goes on every page.

``verify`` is the approval check: it reports any character still extractable under a mark
(PDFium and pypdf), any text the marks covered in the original still found in the output, image
pixels under a mark that are not uniform, other content under a mark, and anything the file must
not carry. Approval is refused while it reports anything.

``summarize`` / ``statement_lines`` count the marks per legal basis for the 区分处理说明 of the
reply letter and the applicant's page ("区分处理，N 处").
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageChops, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from gongkai.catalog.scan import mask, personal_data_matches
from gongkai.responses import stamps
from gongkai.responses.choices import REASON_ARTICLES, MarkSource, ProblemKind, RedactionReason
from gongkai.responses.pdfchars import (
    Box,
    Char,
    PageText,
    covered,
    covered_by_any,
    overlap,
    read_chars,
    read_page,
    union,
)
from gongkai.responses.sanitise import clean_page, structure_problems
from gongkai.responses.textlayer import TextLayerFont, content_stream, text_layer

#: Resolution of rasterised (marked) pages: the usual resolution of document scanners, at which
#: 5-point CJK print stays legible; see docs/decisions/1701-redaction-engine.md.
DEFAULT_DPI = 200
#: JPEG quality of rasterised colour and photographic pages (4:4:4, no chroma subsampling).
JPEG_QUALITY = 80
#: On JPEG pages painted boxes are widened to the JPEG block grid, so that every block under a
#: mark is solid and decodes to exactly uniform pixels.
JPEG_BLOCK = 8
#: A grey page whose pixels are at least this share paper-white is a document page, stored as
#: lossless 4-bit grey (smaller than JPEG for text, and exact).
PAPER_SHARE = 0.6
#: Largest rasterised page (pixels): bigger pages (posters, drawings) get a lower resolution.
MAX_PAGE_PIXELS = 40_000_000
#: zlib level for 4-bit grey pages: level 1 is four times faster than 6 for 10 % more bytes.
FLATE_LEVEL = 1
#: Colour is looked for on a rendering at this resolution; a page counts as colour when two
#: channels differ by more than COLOUR_TOLERANCE somewhere.
PROBE_DPI = 36
COLOUR_TOLERANCE = 24
#: A character counts as under a mark when its em box or ink overlaps the mark by more than
#: this (points, in both directions). ``verify`` uses a slightly larger tolerance, so that what
#: ``apply`` keeps never reads as under a mark because of rounding.
APPLY_TOLERANCE = 0.1
VERIFY_TOLERANCE = 0.15
#: Image pixels under a mark are uniform when no channel varies by more than this.
PIXEL_TOLERANCE = 2


class RedactionError(ValueError):
    """The PDF or the plan cannot be processed (the message is for people)."""


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One redaction mark: a box on a page, withheld for one legal reason.

    ``page`` is 0-based; ``box`` is ``(left, bottom, right, top)`` in PDF points in the page's
    unrotated user space (as PDFium reports character boxes). Marks made for one occurrence
    (a match running over two lines gives two boxes) share a ``group`` and count once.
    ``label`` says what the mark covers, for people: the searched string, or the masked
    finding of the personal-data scan (never the clear value).
    """

    page: int
    box: Box
    reason: str
    author: str = ""
    source: str = MarkSource.BOX
    group: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if self.reason not in RedactionReason.values:
            raise RedactionError(_("区分处理理由无效：%(reason)s") % {"reason": self.reason})
        if self.source not in MarkSource.values:
            raise RedactionError(_("遮盖来源无效：%(source)s") % {"source": self.source})
        if not isinstance(self.page, int) or self.page < 0:
            raise RedactionError(_("页码无效。"))
        if len(self.box) != 4 or not all(math.isfinite(float(v)) for v in self.box):
            raise RedactionError(_("遮盖区域无效。"))
        left, bottom, right, top = (float(v) for v in self.box)
        box = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            raise RedactionError(_("遮盖区域的宽度和高度都必须大于零。"))
        object.__setattr__(self, "box", box)

    @property
    def occurrence(self) -> str:
        """The identity of what this mark withholds (its group, or the mark itself)."""
        return self.group or f"{self.page}:{self.box}"

    def to_dict(self) -> dict[str, Any]:
        """The mark as JSON-ready data."""
        data = asdict(self)
        data["box"] = [round(v, 3) for v in self.box]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mark:
        """Read a mark written by ``to_dict`` (raises RedactionError on bad data)."""
        try:
            return cls(
                page=int(data["page"]),
                box=tuple(float(v) for v in data["box"]),  # type: ignore[arg-type]
                reason=str(data["reason"]),
                author=str(data.get("author", "")),
                source=str(data.get("source", MarkSource.BOX)),
                group=str(data.get("group", "")),
                label=str(data.get("label", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, RedactionError):
                raise
            raise RedactionError(_("遮盖数据无效。")) from exc


def plan_to_data(marks: Iterable[Mark]) -> list[dict[str, Any]]:
    """The plan as JSON-ready data (a list of marks)."""
    return [m.to_dict() for m in marks]


def plan_from_data(data: Iterable[dict[str, Any]]) -> list[Mark]:
    """Read a plan written by ``plan_to_data``."""
    return [Mark.from_dict(item) for item in data]


def merge(plan: Sequence[Mark], new: Iterable[Mark]) -> list[Mark]:
    """``plan`` plus the marks of ``new`` it does not already hold (same page, box and reason)."""
    have = {(m.page, m.box, m.reason) for m in plan}
    out = list(plan)
    for mark in new:
        key = (mark.page, mark.box, mark.reason)
        if key not in have:
            have.add(key)
            out.append(mark)
    return out


def view_to_pdf(view_box: Box, *, cropbox: Box, rotation: int, scale: float = 1.0) -> Box:
    """Turn a box drawn on a page image into a mark box in PDF points.

    ``view_box`` is ``(x0, y0, x1, y1)`` in pixels of an image of the page as displayed
    (``rotation`` applied, origin top left) rendered at ``scale`` pixels per point.
    """
    return _map_box(view_box, cropbox=cropbox, rotation=rotation, scale=scale, to_view=False)


def pdf_to_view(box: Box, *, cropbox: Box, rotation: int, scale: float = 1.0) -> Box:
    """Turn a mark box in PDF points into ``(x0, y0, x1, y1)`` pixels of the displayed page."""
    return _map_box(box, cropbox=cropbox, rotation=rotation, scale=scale, to_view=True)


def _map_box(box: Box, *, cropbox: Box, rotation: int, scale: float, to_view: bool) -> Box:
    left, bottom, right, top = cropbox
    width, height = right - left, top - bottom
    rot = rotation % 360
    if rot not in (0, 90, 180, 270):
        raise RedactionError(_("页面旋转角度无效。"))

    def forward(x: float, y: float) -> tuple[float, float]:  # PDF point -> view pixel
        u, v = x - left, y - bottom
        if rot == 0:
            vx, vy = u, height - v
        elif rot == 90:
            vx, vy = v, u
        elif rot == 180:
            vx, vy = width - u, v
        else:
            vx, vy = height - v, width - u
        return vx * scale, vy * scale

    def backward(px: float, py: float) -> tuple[float, float]:  # view pixel -> PDF point
        vx, vy = px / scale, py / scale
        if rot == 0:
            u, v = vx, height - vy
        elif rot == 90:
            u, v = vy, vx
        elif rot == 180:
            u, v = width - vx, vy
        else:
            u, v = width - vy, height - vx
        return u + left, v + bottom

    convert = forward if to_view else backward
    (x0, y0), (x1, y1) = convert(box[0], box[1]), convert(box[2], box[3])
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


# --------------------------------------------------------------------------------------------
# Finding marks
# --------------------------------------------------------------------------------------------


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise RedactionError(_("无法读取该 PDF 文件（文件损坏或已加密）。")) from exc


def read_text(pdf: bytes) -> list[PageText]:
    """The characters of every page of ``pdf``, for the search functions."""
    document = _open(pdf)
    try:
        return [read_page(document, number) for number in range(len(document))]
    finally:
        document.close()


def _on_same_line(prev: Char, nxt: Char) -> bool:
    a, b, c, d = prev.matrix
    norm = math.hypot(a, b) or 1.0
    dx, dy = nxt.x - prev.x, nxt.y - prev.y
    along = (dx * a + dy * b) / norm
    across = abs(-dx * b + dy * a) / norm
    em = max(prev.size * (math.hypot(c, d) or 1.0), 1e-6)
    return across <= 0.5 * em and -0.5 * em <= along <= prev.advance + 3 * em


def marks_for_chars(
    page: PageText,
    start: int,
    end: int,
    *,
    reason: str,
    author: str,
    source: str,
    label: str = "",
) -> list[Mark]:
    """Marks covering characters ``start``..``end`` (exclusive) of ``page``, one box per line."""
    chars = [c for c in page.chars[start:end] if not c.generated and not c.is_space]
    if not chars:
        return []
    lines: list[list[Char]] = [[chars[0]]]
    for char in chars[1:]:
        if _on_same_line(lines[-1][-1], char):
            lines[-1].append(char)
        else:
            lines.append([char])
    group = f"{page.page}:{chars[0].index}-{chars[-1].index}"
    marks = []
    for line in lines:
        box = union([c.em for c in line] + [c.tight for c in line if c.tight[2] > c.tight[0]])
        marks.append(Mark(page.page, box, reason, author, source, group, label))
    return marks


def _compact(page: PageText) -> tuple[str, list[int]]:
    """The page text without whitespace or generated characters, with each one's index."""
    keep = [c for c in page.chars if not c.generated and not c.is_space]
    return "".join(c.text for c in keep), [c.index for c in keep]


def search_text(
    pages: Sequence[PageText],
    needle: str,
    *,
    reason: str,
    author: str = "",
    ignore_case: bool = True,
) -> list[Mark]:
    """Mark every occurrence of ``needle`` (whitespace in the text and the needle ignored)."""
    compact_needle = "".join(needle.split())
    if not compact_needle:
        return []
    pattern = re.compile(re.escape(compact_needle), re.IGNORECASE if ignore_case else 0)
    marks: list[Mark] = []
    for page in pages:
        text, indices = _compact(page)
        for match in pattern.finditer(text):
            first, last = indices[match.start()], indices[match.end() - 1]
            marks += marks_for_chars(
                page,
                first,
                last + 1,
                reason=reason,
                author=author,
                source=MarkSource.TEXT_SEARCH,
                label=needle.strip(),
            )
    return marks


def search_pattern(
    pages: Sequence[PageText], pattern: str | re.Pattern[str], *, reason: str, author: str = ""
) -> list[Mark]:
    """Mark every match of a regular expression in the page text (PDFium's reading order)."""
    try:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    except re.error as exc:
        raise RedactionError(_("查找模式无效：%(error)s") % {"error": exc}) from exc
    label = regex.pattern
    marks: list[Mark] = []
    for page in pages:
        for match in regex.finditer(page.text):
            if match.end() > match.start():
                marks += marks_for_chars(
                    page,
                    match.start(),
                    match.end(),
                    reason=reason,
                    author=author,
                    source=MarkSource.PATTERN,
                    label=label,
                )
    return marks


def search_personal_data(
    pages: Sequence[PageText],
    *,
    reason: str = RedactionReason.PERSONAL_PRIVACY,
    author: str = "",
) -> list[Mark]:
    """Propose marks for the personal-data scan's findings (labels are masked values)."""
    marks: list[Mark] = []
    for page in pages:
        for found in personal_data_matches(page.text):
            marks += marks_for_chars(
                page,
                found.start,
                found.end,
                reason=reason,
                author=author,
                source=MarkSource.PERSONAL_DATA,
                label=mask(found.kind, found.value),
            )
    return marks


# --------------------------------------------------------------------------------------------
# Applying the plan
# --------------------------------------------------------------------------------------------


def _reader(pdf: bytes) -> PdfReader:
    """pypdf's reader of ``pdf``; a file encrypted with an owner password only is opened."""
    reader = PdfReader(io.BytesIO(pdf))
    if reader.is_encrypted and not reader.decrypt(""):
        raise RedactionError(_("无法读取该 PDF 文件（文件损坏或已加密）。"))
    return reader


def _dpi() -> int:
    return int(getattr(settings, "RESPONSE_REDACTION_DPI", DEFAULT_DPI))


def _by_page(marks: Iterable[Mark], page_count: int) -> dict[int, list[Mark]]:
    out: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.page >= page_count:
            raise RedactionError(
                _("遮盖所在页（第%(page)d页）超出文件页数（%(count)d页）。")
                % {"page": mark.page + 1, "count": page_count}
            )
        out[mark.page].append(mark)
    return out


def _flatten(document: pdfium.PdfDocument, pages: Iterable[int]) -> bool:
    """Flatten printable annotations (seals, filled forms) of ``pages`` into the page content,
    from their appearance streams."""
    changed = False
    for number in pages:
        page = document[number]
        if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS:
            changed = True
        page.close()
    return changed


def _is_colour(page: pdfium.PdfPage) -> bool:
    """True when a small rendering of the page shows colour (not only shades of grey)."""
    probe = page.render(scale=PROBE_DPI / 72, draw_annots=False, may_draw_forms=False).to_pil()
    red, green, blue = probe.convert("RGB").split()
    return any(
        cast(tuple[int, int], ImageChops.difference(one, other).getextrema())[1] > COLOUR_TOLERANCE
        for one, other in ((red, green), (green, blue))
    )


def _paint(
    image: Image.Image, boxes: Iterable[Box], *, cropbox: Box, scale: float, grid: int
) -> None:
    """Paint ``boxes`` (PDF points) solid black, widened outwards to a ``grid`` of pixels."""
    draw = ImageDraw.Draw(image)
    left, _bottom, _right, top = cropbox
    for box in boxes:
        x0 = math.floor((box[0] - left) * scale) // grid * grid
        y0 = math.floor((top - box[3]) * scale) // grid * grid
        x1 = -(-math.ceil((box[2] - left) * scale) // grid) * grid
        y1 = -(-math.ceil((top - box[1]) * scale) // grid) * grid
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(image.width, x1), min(image.height, y1)
        if x1 > x0 and y1 > y0:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=0)


def _image_object(
    image: Image.Image, boxes: Sequence[Box], *, cropbox: Box, scale: float
) -> StreamObject:
    """Paint the marks into the page image and encode it as an image XObject.

    Grey pages that are mostly paper (documents) become 4-bit grey, Flate-compressed and
    lossless: the boxes are painted exactly. Other pages (colour, photographs, grey scans)
    become JPEG without chroma subsampling, the boxes widened to the 8-pixel block grid so that
    every block under a mark is solid and decodes to exactly uniform pixels.
    """
    picture = StreamObject()
    histogram = image.histogram() if image.mode == "L" else []
    if histogram and sum(histogram[240:]) >= PAPER_SHARE * image.width * image.height:
        _paint(image, boxes, cropbox=cropbox, scale=scale, grid=1)
        levels = image.point(lambda v: (v * 15 + 127) // 255)
        picture._data = zlib.compress(levels.tobytes("raw", "L;4"), FLATE_LEVEL)
        bits, colour_space, filter_name = 4, "/DeviceGray", "/FlateDecode"
    else:
        _paint(image, boxes, cropbox=cropbox, scale=scale, grid=JPEG_BLOCK)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=JPEG_QUALITY, subsampling=0)
        picture._data = jpeg.getvalue()
        bits, filter_name = 8, "/DCTDecode"
        colour_space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
    picture.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject(colour_space),
            NameObject("/BitsPerComponent"): NumberObject(bits),
            NameObject("/Filter"): NameObject(filter_name),
        }
    )
    return picture


def _raster_page(
    writer: PdfWriter,
    document: pdfium.PdfDocument,
    number: int,
    marks: list[Mark],
    font: TextLayerFont,
    dpi: int,
) -> None:
    """Append page ``number`` rasterised, the marks painted, with its rebuilt text layer."""
    page = document[number]
    try:
        rotation = page.get_rotation()
        if rotation:
            page.set_rotation(0)  # render and place in unrotated user space; /Rotate kept below
        cropbox = page.get_cropbox()
        area = max(1.0, (cropbox[2] - cropbox[0]) * (cropbox[3] - cropbox[1]))
        scale = min(dpi / 72, math.sqrt(0.99 * MAX_PAGE_PIXELS / area))  # posters: fewer dots
        colour = _is_colour(page)
        bitmap = page.render(
            scale=scale, grayscale=not colour, draw_annots=False, may_draw_forms=False
        )
        image = bitmap.to_pil()
        image = image.convert("RGB") if colour else image.convert("L")
        textpage = page.get_textpage()
        chars = read_chars(textpage, number).chars
        textpage.close()
    finally:
        page.close()
    boxes = [m.box for m in marks]
    picture = _image_object(image, boxes, cropbox=cropbox, scale=scale)
    kept = [
        c
        for c in chars
        if not c.generated
        and c.text not in "\r\n"
        and not 0xD800 <= ord(c.text) <= 0xDFFF
        and not covered_by_any(c, boxes, tolerance=APPLY_TOLERANCE)
    ]
    left, bottom, right, top = cropbox
    ops = f"q {right - left:.4f} 0 0 {top - bottom:.4f} {left:.4f} {bottom:.4f} cm /Im0 Do Q\n"
    data = ops.encode("ascii") + text_layer(kept, font)
    new = writer.add_blank_page(right - left, top - bottom)
    new[NameObject("/MediaBox")] = ArrayObject(FloatObject(v) for v in cropbox)
    if rotation:
        new[NameObject("/Rotate")] = NumberObject(rotation)
    new[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/Im0"): writer._add_object(picture)}
            ),
            NameObject("/Font"): DictionaryObject({NameObject("/F0"): font.ref}),
        }
    )
    new[NameObject("/Contents")] = writer._add_object(content_stream(data).flate_encode())


def apply(
    original: bytes,
    marks: Sequence[Mark],
    *,
    stamp: str | None = None,
    dpi: int | None = None,
) -> bytes:
    """Return the provided PDF: ``original`` with ``marks`` applied, cleaned, optionally stamped.

    Call it with no marks for every provided PDF (cleaning and stamp only). The page count is
    unchanged. Raises RedactionError for an unreadable PDF or a mark outside the file.
    """
    dpi = dpi or _dpi()
    document = _open(original)
    try:
        by_page = _by_page(marks, len(document))
        reader = _reader(original)
        annotated = [i for i, page in enumerate(reader.pages) if "/Annots" in page]
        if annotated and _flatten(document, annotated):
            out = io.BytesIO()
            document.save(out, flags=pdfium_c.FPDF_REMOVE_SECURITY)
            document.close()
            document = _open(out.getvalue())
            reader = _reader(out.getvalue())
        writer = PdfWriter()
        font = TextLayerFont(writer) if by_page else None
        for number in range(len(document)):
            if number in by_page and font is not None:
                _raster_page(writer, document, number, by_page[number], font, dpi)
            else:
                page = reader.pages[number]
                clean_page(page)
                writer.add_page(page)
        if font is not None:
            font.finish()
    except PyPdfError as exc:
        raise RedactionError(_("无法读取该 PDF 文件（文件损坏或已加密）。")) from exc
    finally:
        document.close()
    if stamp:
        stamps.stamp_pages(writer, stamp, avoid=by_page)
    writer.metadata = None
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Checking the result
# --------------------------------------------------------------------------------------------


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
    document = _open(pdf)
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
    document = _open(pdf)
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


# --------------------------------------------------------------------------------------------
# 区分处理说明
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonCount:
    """How many places (occurrences) were withheld for one legal reason, and on which pages."""

    reason: str
    count: int
    pages: tuple[int, ...] = field(default=())  # 1-based, for people

    @property
    def label(self) -> str:
        """The reason's label (with its article)."""
        return str(RedactionReason(self.reason).label)

    @property
    def article(self) -> str:
        """The article of the Regulations the reason rests on."""
        return REASON_ARTICLES[self.reason]


def summarize(marks: Iterable[Mark]) -> list[ReasonCount]:
    """Count the withheld places per legal reason (a group of marks counts once)."""
    places: dict[str, set[str]] = defaultdict(set)
    pages: dict[str, set[int]] = defaultdict(set)
    for mark in marks:
        places[mark.reason].add(mark.occurrence)
        pages[mark.reason].add(mark.page + 1)
    return [
        ReasonCount(reason, len(places[reason]), tuple(sorted(pages[reason])))
        for reason in RedactionReason.values
        if reason in places
    ]


def occurrence_count(marks: Iterable[Mark]) -> int:
    """The number of withheld places ("区分处理，N 处")."""
    return sum(item.count for item in summarize(marks))


#: How a reason reads inside the 区分处理说明 where its label does not read as a predicate.
STATEMENT_WORDING: dict[str, Any] = {
    RedactionReason.LAW_PROHIBITED: gettext_lazy("属于法律、行政法规禁止公开的信息"),
    RedactionReason.SAFETY_STABILITY: gettext_lazy(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    ),
}


def statement_lines(marks: Iterable[Mark]) -> list[str]:
    """One sentence per legal reason for the 区分处理说明 of the reply letter."""
    lines = []
    for item in summarize(marks):
        pages = "、".join(f"第{p}页" for p in item.pages)
        wording = STATEMENT_WORDING.get(item.reason) or item.label.split("（", 1)[0]
        lines.append(
            _(
                "%(pages)s共%(count)d处内容%(wording)s，依据《中华人民共和国政府信息公开条例》"
                "%(article)s的规定不予公开。"
            )
            % {"pages": pages, "count": item.count, "wording": wording, "article": item.article}
        )
    return lines
