"""Generated files live under MEDIA_ROOT (outside the web root), served only by checked views."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """The storage for letters and archives (no public URL)."""
    return FileSystemStorage(location=str(settings.MEDIA_ROOT), base_url=None)


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def save_bytes(name: str, data: bytes) -> str:
    """Store ``data`` under ``name`` (made unique if taken); return the stored name."""
    return private_storage().save(name, ContentFile(data))


def read_bytes(name: str) -> bytes:
    """Return the stored file's content."""
    with private_storage().open(name, "rb") as fh:
        return fh.read()


def delete_quietly(name: str) -> None:
    """Remove a stored file, ignoring a missing one (cleanup after a rollback)."""
    try:
        private_storage().delete(name)
    except OSError:
        pass
