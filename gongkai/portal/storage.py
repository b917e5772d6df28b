"""Private storage for the applicant's files: under MEDIA_ROOT, no public URL, random names."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from gongkai.portal.uploads import EXTENSIONS


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under ``settings.MEDIA_ROOT`` (followed when the setting changes), no URL."""

    def url(self, name: str | None) -> str:
        """Never a URL: files go out only through the checked download views."""
        raise ValueError("applicant files have no public URL")


def private_storage() -> PrivateStorage:
    """The storage of applicant files (a callable, so migrations do not freeze a path)."""
    return PrivateStorage()


def applicant_file_path(instance: Any, filename: str) -> str:
    """``portal/<year>/<random>.<ext>``: the applicant's file name is never used on disk."""
    ext = EXTENSIONS.get(getattr(instance, "content_type", ""), "bin")
    return f"portal/{timezone.localdate().year}/{secrets.token_hex(16)}.{ext}"
