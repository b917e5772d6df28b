"""The one bounded reader for every ZIP-based file the platform opens (DOCX, XLSX, ZIP archives).

A ZIP member can unpack to a thousand times its compressed size, so a few megabytes of upload
can become gigabytes in memory. Every path that opens such a file goes through this module:

* :func:`open_archive` returns a :class:`BoundedArchive` after checking the central directory
  against :class:`Limits` — number of members, each member's size, the total size and the
  compression ratio of every member larger than ``ratio_floor``. Its :meth:`BoundedArchive.read`
  decompresses in chunks and stops at the member limit whatever the header claims.
* :func:`check_archive` makes the same checks (and, with ``verify=True``, decompresses every
  member in chunks, keeping nothing, so that a header that lies about a size fails its CRC
  check) before a file is handed to a third-party reader (python-docx, openpyxl, calamine)
  that opens the ZIP itself. Python's ``zipfile`` never returns more bytes than the central
  directory declares for a member, so the declared sizes checked here bound what those
  readers can unpack.

Refusals raise :class:`ArchiveError` (a ``ValueError``) with a machine code and a Chinese
message; callers turn it into their own error type.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one archive may unpack to."""

    max_members: int = 5000
    max_member_bytes: int = 100 * MB
    max_total_bytes: int = 300 * MB
    #: Largest uncompressed/compressed ratio of one member (ordinary XML is 5–30).
    max_ratio: int = 100
    #: Members smaller than this are not judged by their ratio (tiny files compress oddly).
    ratio_floor: int = 1 * MB


#: Uploaded office documents (catalogue attachments, response documents, report imports).
DEFAULT_LIMITS = Limits()
#: The public report checker: a report's text is small; anything near these limits is not one.
CHECKER_LIMITS = Limits(max_members=2000, max_member_bytes=32 * MB, max_total_bytes=64 * MB)
#: Streamed table imports (ledger, catalogue, agencies): large sheets, read row by row.
TABLE_LIMITS = Limits(max_member_bytes=2048 * MB, max_total_bytes=4096 * MB)
#: Sealed letter archives (PDF/DOCX members, read and hashed one at a time).
SEALED_LIMITS = Limits(max_members=100_000, max_member_bytes=512 * MB, max_total_bytes=8192 * MB)

DAMAGED = _("文件已损坏，无法作为压缩包（DOCX/XLSX/ZIP）打开。")
TOO_MANY = _("压缩包内文件过多（%(count)d 个，上限 %(max)d 个）。")
TOO_LARGE = _("文件解压后过大（%(size)s，上限 %(max)s），无法处理。")
RATIO = _("文件“%(name)s”的压缩比异常（%(ratio)d 倍），疑似压缩炸弹，已拒绝。")
ENCRYPTED = _("压缩包内的文件已加密，无法读取。")
MISSING = _("压缩包内缺少“%(name)s”。")


class ArchiveError(ValueError):
    """An archive refused: ``code`` (damaged, too_large, ratio, encrypted, missing) and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} B"


Source = bytes | bytearray | memoryview | IO[bytes] | str | Path


def _open_zip(source: Source) -> zipfile.ZipFile:
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError("damaged", str(DAMAGED)) from exc


def _check_directory(zf: zipfile.ZipFile, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise ArchiveError(
            "too_large", str(TOO_MANY) % {"count": len(infos), "max": limits.max_members}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveError("encrypted", str(ENCRYPTED))
        if info.file_size > limits.max_member_bytes:
            raise ArchiveError(
                "too_large",
                str(TOO_LARGE)
                % {"size": _size(info.file_size), "max": _size(limits.max_member_bytes)},
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveError(
                "too_large",
                str(TOO_LARGE) % {"size": _size(total), "max": _size(limits.max_total_bytes)},
            )
        if info.file_size >= limits.ratio_floor:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ArchiveError(
                    "ratio", str(RATIO) % {"name": info.filename[:80], "ratio": ratio}
                )


class BoundedArchive:
    """A ZIP file whose directory passed :class:`Limits`; members are read with a hard cap."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits) -> None:
        self._zf = zf
        self.limits = limits
        self._read_total = 0

    def __enter__(self) -> BoundedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def namelist(self) -> list[str]:
        return self._zf.namelist()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._zf.infolist()

    def __contains__(self, name: str) -> bool:
        try:
            self._zf.getinfo(name)
        except KeyError:
            return False
        return True

    def read(self, name: str, *, max_bytes: int | None = None) -> bytes:
        """The member's bytes, decompressed in chunks; refused beyond the member/total limits."""
        cap = min(max_bytes or self.limits.max_member_bytes, self.limits.max_member_bytes)
        buffer = io.BytesIO()
        for chunk in self.iter_chunks(name):
            if buffer.tell() + len(chunk) > cap:
                raise ArchiveError(
                    "too_large", str(TOO_LARGE) % {"size": f"> {_size(cap)}", "max": _size(cap)}
                )
            buffer.write(chunk)
        return buffer.getvalue()

    def iter_chunks(self, name: str) -> Iterator[bytes]:
        """Yield the member's bytes in chunks (the CRC is checked at the end by ``zipfile``)."""
        try:
            info = self._zf.getinfo(name)
        except KeyError:
            raise ArchiveError("missing", str(MISSING) % {"name": name[:80]}) from None
        try:
            with self._zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    self._read_total += len(chunk)
                    if self._read_total > self.limits.max_total_bytes:
                        raise ArchiveError(
                            "too_large",
                            str(TOO_LARGE)
                            % {
                                "size": f"> {_size(self.limits.max_total_bytes)}",
                                "max": _size(self.limits.max_total_bytes),
                            },
                        )
                    yield chunk
        except ArchiveError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as exc:  # fmt: skip
            raise ArchiveError("damaged", str(DAMAGED)) from exc


def open_archive(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> BoundedArchive:
    """Open a ZIP file (bytes, file object or path) whose directory is within ``limits``."""
    zf = _open_zip(source)
    try:
        _check_directory(zf, limits)
    except ArchiveError:
        zf.close()
        raise
    return BoundedArchive(zf, limits)


def check_archive(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, verify: bool = True
) -> list[str]:
    """Check an archive before a third-party reader opens it; return its member names.

    With ``verify`` every member is decompressed in chunks (nothing kept) so that damaged data
    or a header that lies about a size is refused here, not inside the reader.
    """
    with open_archive(source, limits=limits) as archive:
        names = archive.namelist()
        if verify:
            for name in names:
                for _chunk in archive.iter_chunks(name):
                    pass
    if hasattr(source, "seek"):
        source.seek(0)  # type: ignore[union-attr]
    return names


def is_zip(head: bytes) -> bool:
    """True when the bytes start like a ZIP file (a local file header)."""
    return head.startswith(b"PK\x03\x04")
