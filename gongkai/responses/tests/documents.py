"""Real test documents, built in code: PDFs with CJK text, personal data in text and in pixels,
and everything a provided PDF must lose (metadata, XMP, annotations, attachments, JavaScript).

Also used by ``bench/bench_redaction.py`` for its 100-page document.
"""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from gongkai.catalog.scan import id_check_char

#: A valid 18-digit 居民身份证号码 (real birth date, correct GB 11643 check character).
ID_NUMBER = "11010119900307757" + id_check_char("11010119900307757")
MOBILE = "13812345678"
NAME = "张三丰"
#: Text that must survive redaction on the marked page.
KEPT = "本机关经审查"
SECRET_TITLE = "内部讨论稿"
PAGE = (595.0, 842.0)
#: Where the scanned picture sits on page 1 (points: left, bottom, width, height).
PICTURE = (72.0, 300.0, 360.0, 120.0)


@functools.cache
def cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@dataclass(frozen=True)
class Sample:
    """A sample PDF and where its scanned numbers are (boxes in PDF points, page 0)."""

    data: bytes
    id_box: tuple[float, float, float, float]
    mobile_box: tuple[float, float, float, float]


def scanned_picture() -> tuple[Image.Image, tuple[int, int, int, int], tuple[int, int, int, int]]:
    """A 'scan': grey noise, a frame and the two numbers drawn as pixels; with their pixel boxes."""
    width, height = 1200, 400
    rng = random.Random(7)
    image = Image.new("RGB", (width, height), (236, 232, 224))
    pixels = image.load()
    assert pixels is not None
    for _ in range(6000):  # paper grain, so that "uniform" means painted, not blank
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = (200, 196, 190)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, width - 10, height - 10), outline=(90, 90, 90), width=4)
    font = ImageFont.load_default(size=56)
    id_box = draw.textbbox((60, 80), ID_NUMBER, font=font)
    draw.text((60, 80), ID_NUMBER, fill=(20, 20, 30), font=font)
    mobile_box = draw.textbbox((60, 240), MOBILE, font=font)
    draw.text((60, 240), MOBILE, fill=(20, 20, 30), font=font)
    return image, id_box, mobile_box  # type: ignore[return-value]


def _to_points(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[float, ...]:
    left, bottom, width, height = PICTURE
    sx, sy = width / size[0], height / size[1]
    pad = 4  # pixels around the drawn glyphs
    return (
        left + (box[0] - pad) * sx,
        bottom + height - (box[3] + pad) * sy,
        left + (box[2] + pad) * sx,
        bottom + height - (box[1] - pad) * sy,
    )


def sample_pdf() -> Sample:
    """Two pages: page 1 with the personal data in text and in a scanned picture; page 2 clean."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font()
    picture, id_px, mobile_px = scanned_picture()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    c.setAuthor("经办人甲")
    c.setTitle(SECRET_TITLE)
    c.setFont(font, 14)
    c.drawString(72, 760, "政府信息公开申请答复材料")
    c.setFont(font, 11)
    c.drawString(72, 730, f"申请人{NAME}，身份证号码{ID_NUMBER}，联系电话{MOBILE}。")
    c.drawString(72, 710, f"{KEPT}，现将有关情况说明如下。")
    c.setFont("Helvetica", 10)
    c.drawString(72, 690, f"Contact: mobile {MOBILE} ID {ID_NUMBER} (Latin font).")
    c.drawImage(ImageReader(picture), *PICTURE)
    c.setFont(font, 11)
    c.drawString(72, 270, "以上为扫描件。")
    c.linkURL("https://example.org/secret", (72, 250, 200, 262))
    c.showPage()
    c.setFont(font, 11)
    c.drawString(72, 760, "第二页：公开内容，不作遮盖。")
    c.drawString(72, 740, f"经办人联系电话{MOBILE}（本页不遮盖）。")
    c.showPage()
    c.save()
    return Sample(
        _add_hazards(out.getvalue()),
        _to_points(id_px, picture.size),  # type: ignore[arg-type]
        _to_points(mobile_px, picture.size),  # type: ignore[arg-type]
    )


def _add_hazards(pdf: bytes) -> bytes:
    """Add XMP, an attachment, document JavaScript, an open action and annotations."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Subject": "保密", "/Keywords": ID_NUMBER})
    xmp = StreamObject()
    xmp.set_data(
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/></x:xmpmeta>"
        b'<?xpacket end="w"?>'
    )
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.add_attachment("secret.txt", f"{NAME} {ID_NUMBER}".encode())
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)
    for number in (0, 1):
        writer.add_annotation(
            number,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Text"),
                    NameObject("/Rect"): ArrayObject(
                        [NumberObject(400), NumberObject(760), NumberObject(420), NumberObject(780)]
                    ),
                    NameObject("/Contents"): TextStringObject(f"批注：{ID_NUMBER}"),
                }
            ),
        )
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pages(pages: int, *, seed: int = 1, dense: bool = False, rotate: int = 0) -> bytes:
    """A text PDF of ``pages`` A4 pages; every page carries the ID and the mobile number.

    The layout is the official one of GB/T 9704 (公文格式: 22 lines of 28 characters in 16-point
    type, about 620 characters a page); ``dense`` packs 36 lines of 38 characters in 11-point
    type instead (about 1,400 characters a page, a worst case).
    """
    from reportlab.pdfgen import canvas

    font = cjk_font()
    rng = random.Random(seed)
    words = "政府信息公开条例申请人依据规定答复本机关经审查现将有关事项告知如下涉及商业秘密"
    size, lines, per_line, left, top, step = (
        (11, 36, 38, 60.0, 780.0, 19.0) if dense else (16, 22, 28, 79.4, 700.0, 28.9)
    )
    out = io.BytesIO()
    # reportlab swaps the media box of a page turned by 90° or 270° (it keeps the size as
    # shown); swap it back so that the text is laid out on an upright A4 media box.
    c = canvas.Canvas(out, pagesize=(PAGE[1], PAGE[0]) if rotate in (90, 270) else PAGE)
    for _page in range(pages):
        c.setFont(font, size)
        y = top
        for line in range(lines):
            text = "".join(rng.choice(words) for _ in range(per_line))
            if line == 3:
                text = f"申请人{NAME}身份证号码{ID_NUMBER}" + text[: per_line - 26]
            if line == 9:
                text = text[:6] + f"电话{MOBILE}" + text[6 : per_line - 8]
            c.drawString(left, y, text)
            y -= step
        if rotate:
            c.setPageRotation(rotate)
        c.showPage()
    c.save()
    return out.getvalue()


def mixed_page() -> bytes:
    """One page of varied text: CJK and Latin fonts in several sizes, scaled and rotated text
    (30° and 90°), tight lines, and a picture; for property tests with random marks."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font()
    picture, _id_px, _mobile_px = scanned_picture()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    y = 790.0
    for size in (9, 12, 16):
        c.setFont(font, size)
        c.drawString(50, y, f"第{size}号字：申请人{NAME}的身份证号码{ID_NUMBER}。")
        y -= size * 1.05  # tight lines: neighbouring em boxes almost touch
        c.setFont("Helvetica", size)
        c.drawString(50, y, f"Latin {size}pt: call {MOBILE}, ref. A-{size}07/2026.")
        y -= size * 1.6
    c.saveState()
    c.translate(120, 420)
    c.rotate(30)
    c.setFont(font, 12)
    c.drawString(0, 0, f"旋转文字{MOBILE}与{NAME}")
    c.restoreState()
    c.saveState()
    c.translate(520, 200)
    c.rotate(90)
    c.setFont("Helvetica", 10)
    c.drawString(0, 0, f"Vertical {ID_NUMBER} text")
    c.restoreState()
    c.saveState()
    c.translate(300, 520)
    c.scale(1.8, 1.2)
    c.setFont(font, 10)
    c.drawString(0, 0, f"缩放{KEPT}")
    c.restoreState()
    c.drawImage(ImageReader(picture), 60, 120, 300, 100)
    c.showPage()
    c.save()
    return out.getvalue()
