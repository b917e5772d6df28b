"""Checks on a file offered as a response document: type by content, size, pages, a safe name.

Accepted: PDF, DOCX, XLSX and PNG/JPEG/TIFF images — judged by the bytes, never by the name
or the declared content type. Each is opened as what it claims to be (PDFium for PDF, the zip
directory for DOCX/XLSX, Pillow for images), so a damaged, encrypted or oversized file is
refused with a message in Chinese before anything is stored. The stored and downloaded name
is derived from the detected type (``报告.exe`` holding a PDF is offered as ``报告.pdf``).

Pages: a PDF's page count; an image has one page per frame (multi-page TIFF scans). DOCX and
XLSX have no fixed pages: they are counted after conversion to PDF (``convert``), which is
also what the applicant receives and what the 信息处理费 per-page rules count.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from gongkai.catalog.attachments import detect_kind
from gongkai.catalog.choices import AttachmentKind
from gongkai.core.archives import ArchiveError, check_archive, open_archive
from gongkai.portal.uploads import clean_name
from gongkai.responses.choices import FileKind

#: File-name extension and content type of each kind.
EXTENSIONS = {
    FileKind.PDF: "pdf",
    FileKind.DOCX: "docx",
    FileKind.XLSX: "xlsx",
    FileKind.PNG: "png",
    FileKind.JPEG: "jpg",
    FileKind.TIFF: "tif",
}
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.TIFF: "image/tiff",
}
OFFICE_KINDS = frozenset({FileKind.DOCX, FileKind.XLSX})
IMAGE_KINDS = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.TIFF})
_FROM_ATTACHMENT = {
    AttachmentKind.PDF: FileKind.PDF,
    AttachmentKind.DOCX: FileKind.DOCX,
    AttachmentKind.XLSX: FileKind.XLSX,
    AttachmentKind.PNG: FileKind.PNG,
    AttachmentKind.JPEG: FileKind.JPEG,
}
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, and encrypted DOCX/XLSX
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class ResponseFileError(ValidationError):
    """The file cannot be a response document (type, size, pages or damaged content)."""


@dataclass(frozen=True)
class InspectedFile:
    """A file that passed the checks: its kind, size, digest, pages and a safe name."""

    kind: str
    size: int
    sha256: str
    pages: int | None  # None for DOCX/XLSX: counted after conversion to PDF
    name: str

    @property
    def content_type(self) -> str:
        """The content type of the detected kind."""
        return CONTENT_TYPES[FileKind(self.kind)]

    @property
    def needs_conversion(self) -> bool:
        """True for files that are converted to PDF before they are provided."""
        return self.kind != FileKind.PDF


def max_bytes() -> int:
    """The size limit of one response document (RESPONSE_FILE_MAX_BYTES)."""
    return int(getattr(settings, "RESPONSE_FILE_MAX_BYTES", 50 * 1024 * 1024))


def max_pages() -> int:
    """The page limit of one response document (RESPONSE_MAX_PAGES)."""
    return int(getattr(settings, "RESPONSE_MAX_PAGES", 2000))


def detect(data: bytes) -> str | None:
    """Return the FileKind the content shows, or None if it is not an accepted kind."""
    if data.startswith(_TIFF_MAGIC):
        return FileKind.TIFF
    found = detect_kind(data[:16], io.BytesIO(data))
    return _FROM_ATTACHMENT.get(found) if found else None  # type: ignore[call-overload]


def safe_name(name: str, kind: str) -> str:
    """A download name: the given name without path, unsafe characters or its own extension,
    and the extension of the detected ``kind``."""
    base = clean_name(name) if name.strip() else ""
    if "." in base:
        base = base.rsplit(".", 1)[0]
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or _("答复材料")
    return f"{base[:90]}.{EXTENSIONS[FileKind(kind)]}"


def _pdf_pages(data: bytes) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ResponseFileError(
                _("PDF 文件已加密，请提供未加密的文件。"), code="encrypted"
            ) from exc
        raise ResponseFileError(_("PDF 文件已损坏，无法打开。"), code="damaged") from exc
    try:
        return len(document)
    finally:
        document.close()


def _check_office(data: bytes, kind: str) -> None:
    main = "word/document.xml" if kind == FileKind.DOCX else "xl/workbook.xml"
    try:
        check_archive(data)  # size, total and ratio limits; every member's CRC
        with open_archive(data) as zf:
            types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
            if main not in zf:
                raise ArchiveError("missing", "")
    except ArchiveError as exc:
        if exc.code in {"too_large", "ratio"}:
            raise ResponseFileError(exc.message, code="too_large") from exc
        raise ResponseFileError(_("Office 文件已损坏，无法打开。"), code="damaged") from exc
    if "macroEnabled" in types or "vbaProject" in types:
        raise ResponseFileError(
            _("文件含有宏，不能作为答复材料；请另存为不含宏的 DOCX/XLSX 或 PDF。"), code="macro"
        )


def _image_frames(data: bytes) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                frames = getattr(image, "n_frames", 1)
                for index in range(frames):
                    image.seek(index)
                    image.load()
                return int(frames)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ResponseFileError(_("图片像素过多，无法处理。"), code="too_large") from exc
    except Exception as exc:  # noqa: BLE001 - any decoder failure means a damaged image
        raise ResponseFileError(_("图片文件已损坏，无法打开。"), code="damaged") from exc


def page_count(data: bytes, kind: str) -> int | None:
    """Pages of a PDF, frames of an image; None for DOCX/XLSX (count the converted PDF)."""
    if kind == FileKind.PDF:
        return _pdf_pages(data)
    if kind in IMAGE_KINDS:
        return _image_frames(data)
    return None


def inspect_file(data: bytes, name: str = "") -> InspectedFile:
    """Check a file offered as a response document; raise ResponseFileError saying what is wrong."""
    limit = max_bytes()
    if not data:
        raise ResponseFileError(_("文件为空。"), code="empty")
    if len(data) > limit:
        raise ResponseFileError(
            _("文件过大：%(size).1f MB，上限为 %(max).0f MB。")
            % {"size": len(data) / 1048576, "max": limit / 1048576},
            code="too_large",
        )
    kind = detect(data)
    if kind is None:
        if data.startswith(_OLE_MAGIC):
            raise ResponseFileError(
                _(
                    "不支持旧版 Office 文件（DOC/XLS）或加密的 Office 文件，请另存为 DOCX/XLSX 或 PDF。"
                ),
                code="bad_type",
            )
        raise ResponseFileError(
            _("只接受 PDF、DOCX、XLSX 文件和 PNG、JPEG、TIFF 图片（按文件内容判断）。"),
            code="bad_type",
        )
    if kind in OFFICE_KINDS:
        _check_office(data, kind)
    pages = page_count(data, kind)
    if pages is not None:
        check_pages(pages)
    return InspectedFile(
        kind, len(data), hashlib.sha256(data).hexdigest(), pages, safe_name(name, kind)
    )


def check_pages(pages: int) -> None:
    """Refuse a document without pages or with more than RESPONSE_MAX_PAGES."""
    if pages < 1:
        raise ResponseFileError(_("文件没有页面。"), code="empty")
    if pages > max_pages():
        raise ResponseFileError(
            _("文件共 %(pages)d 页，超过上限 %(max)d 页，请拆分后提供。")
            % {"pages": pages, "max": max_pages()},
            code="too_many_pages",
        )
