"""Attachment files: detect the format from the content, and extract text for the scan.

Only PDF, DOCX, XLSX and PNG/JPEG/GIF images are accepted; the declared name and content type
are not trusted. Text comes back as units ``(page, line, text)``: for PDF the page number and
the line on that page, for DOCX the paragraph number (pages are not fixed in Word files), for
XLSX the sheet name and the row number.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.catalog.choices import AttachmentKind
from gongkai.core.archives import ArchiveError, check_archive, open_archive

#: File-name extensions accepted for each detected format.
EXTENSIONS: dict[str, set[str]] = {
    AttachmentKind.PDF: {"pdf"},
    AttachmentKind.DOCX: {"docx"},
    AttachmentKind.XLSX: {"xlsx"},
    AttachmentKind.PNG: {"png"},
    AttachmentKind.JPEG: {"jpg", "jpeg"},
    AttachmentKind.GIF: {"gif"},
}
CONTENT_TYPES: dict[str, str] = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
    AttachmentKind.GIF: "image/gif",
}


class AttachmentError(ValidationError):
    """The file is not an acceptable attachment (type, size or damaged content)."""


@dataclass(frozen=True)
class TextUnit:
    """One line of extracted text and where it is."""

    page: str
    line: int
    text: str


def detect_kind(head: bytes, data: IO[bytes] | None = None) -> str | None:
    """Return the AttachmentKind of a file from its first bytes (and zip directory), or None."""
    if head.startswith(b"%PDF-"):
        return AttachmentKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentKind.JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return AttachmentKind.GIF
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            with open_archive(data) as zf:
                names = set(zf.namelist())
        except ArchiveError:
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return AttachmentKind.DOCX
        if "xl/workbook.xml" in names:
            return AttachmentKind.XLSX
    return None


def check_file(name: str, data: bytes, *, max_bytes: int) -> str:
    """Return the detected kind of an upload, or raise AttachmentError saying what is wrong."""
    if not data:
        raise AttachmentError(_("文件为空。"))
    if len(data) > max_bytes:
        raise AttachmentError(
            _("文件过大：%(size).1f MB，上限为 %(max).0f MB。")
            % {"size": len(data) / 1048576, "max": max_bytes / 1048576}
        )
    if data.startswith(b"PK\x03\x04"):
        try:  # the bounded reader: size, total and ratio limits before any reader unpacks it
            check_archive(data)
        except ArchiveError as exc:
            raise AttachmentError(exc.message) from None
    kind = detect_kind(data[:16], io.BytesIO(data))
    if kind is None:
        raise AttachmentError(
            _("只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG、GIF 图片（按文件内容判断）。")
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EXTENSIONS[kind]:
        raise AttachmentError(
            _("文件扩展名“%(ext)s”与文件内容（%(kind)s）不符。")
            % {"ext": ext or "—", "kind": AttachmentKind(kind).label}
        )
    return kind


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n")]


def extract_text(kind: str, data: bytes) -> list[TextUnit]:
    """Extract the text of a PDF, DOCX or XLSX file as located lines (images give none)."""
    units: list[TextUnit] = []
    try:
        if kind in (AttachmentKind.DOCX, AttachmentKind.XLSX):
            check_archive(data, verify=False)
        if kind == AttachmentKind.PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            for page_no, page in enumerate(reader.pages, 1):
                for line_no, line in enumerate(_lines(page.extract_text() or ""), 1):
                    if line:
                        units.append(TextUnit(str(page_no), line_no, line))
        elif kind == AttachmentKind.DOCX:
            import docx

            document = docx.Document(io.BytesIO(data))
            n = 0
            for para in document.paragraphs:
                n += 1
                if para.text.strip():
                    units.append(TextUnit("", n, para.text.strip()))
            for table in document.tables:
                for row in table.rows:
                    n += 1
                    text = " ".join(c.text.strip() for c in row.cells)
                    if text.strip():
                        units.append(TextUnit("", n, text))
        elif kind == AttachmentKind.XLSX:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                for row_no, row in enumerate(ws.iter_rows(values_only=True), 1):
                    cells = [str(v) for v in row if v is not None and str(v).strip()]
                    if cells:
                        units.append(TextUnit(ws.title, row_no, " ".join(cells)))
            wb.close()
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        raise AttachmentError(_("无法读取文件内容：%(error)s") % {"error": exc}) from exc
    return units
