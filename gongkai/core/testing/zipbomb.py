"""Build hostile ZIP files for tests: members that unpack to gigabytes from a few megabytes.

The deflate stream is one compressed megabyte of zeros ending in a full flush (so it is
byte-aligned and independent of what came before), repeated: a valid stream of any length
built without compressing gigabytes. Not used at run time.
"""

from __future__ import annotations

import struct
import zlib

_CHUNK = 1_000_000


def _segment() -> tuple[bytes, bytes]:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    co.compress(bytes(_CHUNK))
    co.flush(zlib.Z_FULL_FLUSH)
    segment = co.compress(bytes(_CHUNK)) + co.flush(zlib.Z_FULL_FLUSH)
    return segment, co.flush()


def zip_bomb(
    members: dict[str, int],
    *,
    extra: dict[str, bytes] | None = None,
    declared: dict[str, int] | None = None,
    honest_crc: bool = False,
) -> bytes:
    """A ZIP whose members (name → size in bytes, a multiple of 1,000,000) are zeros.

    ``extra`` members are stored as given. ``declared`` makes the directory lie about a member's
    size. Without ``honest_crc`` the CRC of the big members is left 0 (computing it takes
    seconds per gigabyte); readers that unpack them then fail at the end, as they should fail
    anyway — the point is what they allocate before.
    """
    segment, tail = _segment()
    out = bytearray()
    central = bytearray()
    entries = 0

    def add(name: str, method: int, payload: bytes | None, size: int, crc: int, csize: int):
        nonlocal entries
        raw = name.encode()
        offset = len(out)
        out.extend(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, csize, size, len(raw), 0
            )  # fmt: skip
        )
        out.extend(raw)
        if payload is not None:
            out.extend(payload)
        central.extend(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                csize,
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
        )
        central.extend(raw)
        entries += 1

    for name, data in (extra or {}).items():
        add(name, 0, data, len(data), zlib.crc32(data), len(data))
    for name, size in members.items():
        count = size // _CHUNK
        csize = len(segment) * count + len(tail)
        crc = 0
        if honest_crc:
            zero = bytes(_CHUNK)
            for _ in range(count):
                crc = zlib.crc32(zero, crc)
        shown = (declared or {}).get(name, size)
        add(name, 8, None, shown, crc, csize)
        for _ in range(count):
            out.extend(segment)
        out.extend(tail)
    cd_offset = len(out)
    out.extend(central)
    out.extend(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), cd_offset, 0)
    )
    return bytes(out)


def docx_bomb(document_bytes: int, media_bytes: int = 0) -> bytes:
    """A DOCX-shaped bomb: ``word/document.xml`` (and optionally a media file) of zeros."""
    members = {"word/document.xml": document_bytes}
    if media_bytes:
        members["word/media/image1.bin"] = media_bytes
    return zip_bomb(
        members,
        extra={"[Content_Types].xml": b'<?xml version="1.0"?><Types/>'},
    )
