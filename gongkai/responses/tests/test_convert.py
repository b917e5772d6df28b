"""Conversion to PDF: a real LibreOffice run for DOCX, Pillow for images, and the guard rails
(timeout kills the whole process group, failures and a missing binary give messages)."""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from gongkai.responses.choices import FileKind
from gongkai.responses.convert import ConversionError, image_to_pdf, office_to_pdf, to_pdf
from gongkai.responses.inspect import page_count
from gongkai.responses.tests.documents import ID_NUMBER, text_pages


def _text(pdf: bytes) -> str:
    return "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_docx_is_converted_by_libreoffice():
    """A small Chinese DOCX becomes a one-page PDF whose text can be read back."""
    document = docx.Document()
    document.add_heading("政府信息公开申请答复材料", level=1)
    document.add_paragraph(f"申请人身份证号码{ID_NUMBER}，本机关经审查，现答复如下。")
    source = io.BytesIO()
    document.save(source)
    pdf = to_pdf(source.getvalue(), FileKind.DOCX)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf, FileKind.PDF) == 1
    text = _text(pdf)
    assert "政府信息公开申请答复材料" in text
    assert ID_NUMBER in text


def _script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-soffice"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child may linger as a zombie until its parent reaps it; a zombie is not running.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] != "Z"


def test_a_conversion_that_hangs_is_killed_with_its_children(tmp_path):
    """Past the timeout the run and everything it started are killed; the message says so."""
    pids = tmp_path / "pids"
    soffice = _script(tmp_path, f"sleep 300 &\necho $! > {pids}\necho $$ >> {pids}\nsleep 300\n")
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        office_to_pdf(b"PK fake", FileKind.DOCX, timeout=1, soffice=soffice)
    assert time.monotonic() - started < 30
    assert caught.value.code == "timeout"
    assert "超时" in caught.value.messages[0]
    numbers = [int(line) for line in pids.read_text().split()]
    assert len(numbers) == 2
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in numbers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in numbers)


def test_a_failed_conversion_gives_a_message(tmp_path):
    """A run that exits without a PDF is a ConversionError naming what it said."""
    soffice = _script(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(ConversionError, match="could not be loaded"):
        office_to_pdf(b"PK fake", FileKind.XLSX, soffice=soffice)


def test_a_missing_libreoffice_gives_a_message():
    """No binary: the message says LibreOffice is not installed."""
    with pytest.raises(ConversionError, match="未安装 LibreOffice"):
        office_to_pdf(b"PK fake", FileKind.DOCX, soffice="/nonexistent/soffice")


def test_a_photo_loses_its_exif_and_is_turned_upright():
    """A phone photo stored sideways (EXIF orientation 6) with a GPS position becomes an upright
    page, and nothing of the EXIF block reaches the PDF."""
    image = Image.new("RGB", (400, 200), "white")
    image.paste((200, 30, 30), (0, 0, 100, 200))  # a red band on the left before rotation
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (39.0, 54.0, 27.0)  # GPS latitude
    source = io.BytesIO()
    image.save(source, "JPEG", exif=exif.tobytes(), dpi=(72, 72))
    pdf = image_to_pdf(source.getvalue())
    assert b"PhoneMaker" not in pdf and b"Exif" not in pdf
    document = pdfium.PdfDocument(pdf)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (200, 400)  # upright: taller than wide, 72 dpi
    rendered = document[0].render().to_pil().convert("RGB")
    document.close()
    assert rendered.getpixel((100, 20))[0] > 150 > rendered.getpixel((100, 20))[1]  # red on top


def test_a_multipage_tiff_gives_one_page_per_frame_fitted_to_a4():
    """Three scanned frames without a resolution: three pages, the size of A4 at most."""
    frames = [Image.new("1", (1654, 2339), 1) for _ in range(3)]
    source = io.BytesIO()
    frames[0].save(source, "TIFF", save_all=True, append_images=frames[1:], compression="group4")
    pdf = to_pdf(source.getvalue(), FileKind.TIFF)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 3
    width, height = document[0].get_size()
    document.close()
    assert width <= 596 and height <= 843 and max(width / 595, height / 842) > 0.99


def test_a_transparent_png_is_put_on_white_paper():
    """Transparency becomes white, not black."""
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    source = io.BytesIO()
    image.save(source, "PNG")
    document = pdfium.PdfDocument(to_pdf(source.getvalue(), FileKind.PNG))
    pixel = document[0].render().to_pil().convert("L").getpixel((10, 10))
    document.close()
    assert pixel > 250


def test_a_pdf_is_passed_through():
    """PDFs are not converted (apply cleans them)."""
    pdf = text_pages(1)
    assert to_pdf(pdf, FileKind.PDF) is pdf
