"""Checks on uploaded files: size, and the type read from the content (magic bytes), not the name.

Accepted: PDF, JPEG and PNG — what a phone camera or a scanner produces for an identity copy,
a corrected application or a payment receipt. The stored name is random; the applicant's file
name is kept only as text for display.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Content type -> stored file extension.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
#: Content type -> the file-name extensions a file of that type may carry.
NAME_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg", "jpe"},
    "image/png": {"png"},
}
#: Default size limit of one file (bytes); ``PORTAL_UPLOAD_MAX_BYTES`` overrides it.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_bytes() -> int:
    """The size limit of one uploaded file."""
    return int(getattr(settings, "PORTAL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> str | None:
    """Return the content type the first bytes show, or None if it is not an accepted type."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its bytes, sniffed type, a clean display name, digest."""

    data: bytes
    content_type: str
    name: str
    sha256: str

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


def clean_name(name: str) -> str:
    """A display name without path parts or control characters (at most 100 characters)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:100] or "file"


def _too_large(size: int, limit: int) -> str:
    return _("文件过大（%(size)s MB），单个文件不能超过%(limit)s MB。") % {
        "size": f"{size / 1024 / 1024:.1f}",
        "limit": limit // 1024 // 1024,
    }


def check_bytes(data: bytes, name: str) -> CheckedFile:
    """Check size and content type of ``data``; raise ValidationError with a message in the active language."""
    limit = max_bytes()
    if not data:
        raise ValidationError(_("上传的文件是空的，请重新选择。"), code="empty")
    if len(data) > limit:
        raise ValidationError(_too_large(len(data), limit), code="too_large")
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("只能上传 PDF、JPG 或 PNG 文件（按文件内容识别，改扩展名无效）。"), code="bad_type"
        )
    return CheckedFile(
        data, content_type, typed_name(name, content_type), hashlib.sha256(data).hexdigest()
    )


def typed_name(name: str, content_type: str) -> str:
    """The display (and download) name with the extension of the detected type.

    A name whose extension names another type (``statement.html`` holding a PDF) is refused;
    a name without one gets the detected type's extension.
    """
    base = clean_name(name)
    stem, dot, ext = base.rpartition(".")
    ext = ext.lower()
    if dot and stem and ext not in NAME_EXTENSIONS[content_type]:
        raise ValidationError(
            _("文件扩展名“.%(ext)s”与文件内容（%(kind)s）不符，请上传原始文件。")
            % {"ext": ext[:10], "kind": EXTENSIONS[content_type].upper()},
            code="bad_extension",
        )
    if not (dot and stem):
        base = f"{base[:95]}.{EXTENSIONS[content_type]}"
    return base


def check_upload(upload: object) -> CheckedFile:
    """Check an uploaded file (Django ``UploadedFile``) without reading more than the limit."""
    limit = max_bytes()
    size = int(getattr(upload, "size", 0) or 0)
    if size > limit:
        raise ValidationError(_too_large(size, limit), code="too_large")
    chunks = []
    total = 0
    for chunk in upload.chunks():  # type: ignore[attr-defined]
        total += len(chunk)
        if total > limit:
            raise ValidationError(
                _("文件过大，单个文件不能超过%(limit)s MB。") % {"limit": limit // 1024 // 1024},
                code="too_large",
            )
        chunks.append(chunk)
    return check_bytes(b"".join(chunks), getattr(upload, "name", "") or "")
