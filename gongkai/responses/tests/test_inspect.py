"""Checks on offered files: the type comes from the content, damaged or unsafe files are refused
with a message, pages are counted, and the download name follows the detected type."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from gongkai.responses.choices import FileKind
from gongkai.responses.inspect import (
    ResponseFileError,
    detect,
    inspect_file,
    page_count,
    safe_name,
)
from gongkai.responses.tests.documents import sample_pdf, text_pages


def _docx(text: str = "答复材料正文") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "姓名"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _image(fmt: str, frames: int = 1) -> bytes:
    images = [Image.new("L", (200, 100), 255 - 40 * i) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, fmt, save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind", "pages"),
    [
        (text_pages(3), FileKind.PDF, 3),
        (_docx(), FileKind.DOCX, None),
        (_xlsx(), FileKind.XLSX, None),
        (_image("PNG"), FileKind.PNG, 1),
        (_image("JPEG"), FileKind.JPEG, 1),
        (_image("TIFF", frames=3), FileKind.TIFF, 3),
    ],
)
def test_kind_and_pages_come_from_the_content(data, kind, pages):
    """Every accepted kind is recognised whatever its name; PDFs and images are counted."""
    found = inspect_file(data, "文件.bin")
    assert found.kind == kind
    assert found.pages == pages
    assert found.size == len(data)
    assert len(found.sha256) == 64
    assert found.name.endswith("." + {"TIFF": "tif", "JPEG": "jpg"}.get(kind, kind.lower()))
    assert found.needs_conversion == (kind != FileKind.PDF)


def test_a_renamed_file_gets_the_name_of_what_it_is():
    """A PDF called .exe is offered as .pdf; paths and unsafe characters are dropped."""
    found = inspect_file(text_pages(1), r"C:\\temp\\..\\报告:最终?.exe")
    assert found.name == "报告_最终_.pdf"
    assert safe_name("", FileKind.DOCX) == "答复材料.docx"
    assert safe_name("../../etc/passwd", FileKind.PDF) == "passwd.pdf"
    assert safe_name('a"b<c>.jpeg', FileKind.JPEG) == "a_b_c_.jpg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"MZ\x90\x00 an executable", "只接受 PDF、DOCX、XLSX"),
        (b"<html><script>alert(1)</script></html>", "只接受 PDF、DOCX、XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Office"),
        (b"%PDF-1.7\n1 0 obj garbage", "PDF 文件已损坏"),
        (_image("PNG")[:60], "图片文件已损坏"),
        (_docx()[:300], "只接受"),  # a cut zip is not recognised as DOCX at all
    ],
)
def test_bad_files_are_refused_with_a_message(data, message):
    """Empty, unknown, old-Office, damaged files: a ResponseFileError in Chinese."""
    with pytest.raises(ResponseFileError) as caught:
        inspect_file(data, "x.pdf")
    assert message in caught.value.messages[0]


def test_an_encrypted_pdf_is_refused():
    """A PDF that needs a password cannot be redacted: say so."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pages(1))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ResponseFileError, match="已加密"):
        inspect_file(out.getvalue(), "a.pdf")


def test_macro_enabled_office_files_are_refused():
    """A DOCX whose package declares macros (a renamed .docm) is refused."""
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    assert detect(out.getvalue()) == FileKind.DOCX
    with pytest.raises(ResponseFileError, match="含有宏"):
        inspect_file(out.getvalue(), "a.docx")


def test_size_and_page_limits_come_from_settings(settings):
    """RESPONSE_FILE_MAX_BYTES and RESPONSE_MAX_PAGES are enforced with the figures named."""
    pdf = text_pages(3)
    settings.RESPONSE_FILE_MAX_BYTES = len(pdf) - 1
    with pytest.raises(ResponseFileError, match="文件过大"):
        inspect_file(pdf, "a.pdf")
    settings.RESPONSE_FILE_MAX_BYTES = len(pdf)
    settings.RESPONSE_MAX_PAGES = 2
    with pytest.raises(ResponseFileError, match="共 3 页，超过上限 2 页"):
        inspect_file(pdf, "a.pdf")
    settings.RESPONSE_MAX_PAGES = 3
    assert inspect_file(pdf, "a.pdf").pages == 3


def test_decompression_bombs_are_refused(monkeypatch):
    """An image with more pixels than Pillow's limit is refused, not decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(ResponseFileError, match="像素过多"):
        inspect_file(_image("PNG"), "a.png")  # 200 × 100 = 20,000 pixels > 10,000


def test_page_count_of_the_sample_pdf():
    """The two-page sample counts two pages; office files are counted after conversion."""
    assert page_count(sample_pdf().data, FileKind.PDF) == 2
    assert page_count(_docx(), FileKind.DOCX) is None
