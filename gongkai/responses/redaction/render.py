"""Applying a plan: the provided PDF, with marked pages rasterised and their text rebuilt."""

from __future__ import annotations

import io
import math
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.utils.translation import gettext as _
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

from gongkai.responses import stamps
from gongkai.responses.pdfchars import APPLY_TOLERANCE, Box, covered_by_any, read_chars
from gongkai.responses.redaction.plan import Mark, RedactionError, open_pdf
from gongkai.responses.sanitise import clean_page
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
    left, bottom, right, top = cropbox
    kept = [
        c
        for c in chars
        if not c.generated
        and c.text not in "\r\n"
        and not 0xD800 <= ord(c.text) <= 0xDFFF
        and left <= (c.em[0] + c.em[2]) / 2 <= right  # on the page as shown: text off the
        and bottom <= (c.em[1] + c.em[3]) / 2 <= top  # crop box is not in the picture either
        and not covered_by_any(c, boxes, tolerance=APPLY_TOLERANCE)
    ]
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
    document = open_pdf(original)
    try:
        by_page = _by_page(marks, len(document))
        reader = _reader(original)
        annotated = [i for i, page in enumerate(reader.pages) if "/Annots" in page]
        if annotated and _flatten(document, annotated):
            out = io.BytesIO()
            document.save(out, flags=pdfium_c.FPDF_REMOVE_SECURITY)
            document.close()
            document = open_pdf(out.getvalue())
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
