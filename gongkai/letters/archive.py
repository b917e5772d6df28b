"""The sealed case archive format (ZIP) and its verification; pure functions, no database.

Layout: ``application.pdf``, ``letters/…`` (DOCX and PDF of every letter), ``attachments/…``,
``timeline.pdf``, then ``manifest.json`` (every other member with its SHA-256 and size) and
``manifest.sha256`` (the SHA-256 of manifest.json in ``sha256sum`` format, so that
``sha256sum -c manifest.sha256`` works on an extracted archive as well).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.core.archives import SEALED_LIMITS, ArchiveError, BoundedArchive, open_archive
from gongkai.letters.storage import sha256_hex

FORMAT = "gongkai-case-archive/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
# A fixed timestamp for members keeps the ZIP bytes a function of the contents.
_MEMBER_TIME = (2000, 1, 1, 0, 0, 0)


def build_zip(members: list[tuple[str, bytes]], meta: dict[str, Any]) -> tuple[bytes, str]:
    """Return (ZIP bytes, manifest SHA-256) for ``members`` (path, content) and manifest meta."""
    names = [name for name, _ in members]
    if len(set(names)) != len(names) or {MANIFEST, MANIFEST_HASH} & set(names):
        raise ValueError("duplicate or reserved member name")
    files = [
        {"path": name, "sha256": sha256_hex(data), "size": len(data)} for name, data in members
    ]
    manifest = {"format": FORMAT, "algorithm": "SHA-256", **meta, "files": files}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False).encode()
    manifest_hash = sha256_hex(manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in [
            *members,
            (MANIFEST, manifest_bytes),
            (MANIFEST_HASH, f"{manifest_hash}  {MANIFEST}\n".encode()),
        ]:
            info = zipfile.ZipInfo(name, date_time=_MEMBER_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue(), manifest_hash


@dataclass(frozen=True)
class ArchiveCheck:
    """Outcome of verifying an archive: ``ok``, files checked, the first bad member and why."""

    ok: bool
    checked: int = 0
    member: str = ""
    reason: str = ""
    manifest: dict[str, Any] | None = None
    manifest_sha256: str = ""


def _read(zf: BoundedArchive, name: str) -> bytes:
    return zf.read(name)


def verify_zip(source: str | Path | bytes) -> ArchiveCheck:
    """Check every member's SHA-256 against the manifest and the manifest against its hash."""
    try:
        zf = open_archive(source, limits=SEALED_LIMITS)
    except ArchiveError as exc:
        return ArchiveCheck(False, reason=f"不是有效的归档文件：{exc.message}")
    with zf:
        names = zf.namelist()
        for required in (MANIFEST, MANIFEST_HASH):
            if required not in names:
                return ArchiveCheck(False, member=required, reason="缺少文件")
        try:
            manifest_bytes = _read(zf, MANIFEST)
            hash_line = _read(zf, MANIFEST_HASH).decode("ascii", "replace")
        except ArchiveError as exc:
            return ArchiveCheck(False, member=MANIFEST, reason=f"数据损坏：{exc}")
        manifest_hash = sha256_hex(manifest_bytes)
        if hash_line.split()[:1] != [manifest_hash]:
            return ArchiveCheck(
                False, member=MANIFEST, reason="清单的 SHA-256 与 manifest.sha256 不符"
            )
        try:
            manifest = json.loads(manifest_bytes)
            files = manifest["files"]
        except (ValueError, KeyError, TypeError):
            return ArchiveCheck(False, member=MANIFEST, reason="清单格式错误")
        checked = 0
        listed = set()
        for entry in files:
            name = entry.get("path", "")
            listed.add(name)
            if name not in names:
                return ArchiveCheck(False, checked, name, "缺少文件", manifest, manifest_hash)
            try:
                data = _read(zf, name)
            except ArchiveError as exc:
                return ArchiveCheck(
                    False, checked, name, f"数据损坏（{exc}）", manifest, manifest_hash
                )
            if sha256_hex(data) != entry.get("sha256") or len(data) != entry.get("size"):
                return ArchiveCheck(
                    False, checked, name, "SHA-256 与清单不符", manifest, manifest_hash
                )
            checked += 1
        for name in names:
            if name not in listed and name not in (MANIFEST, MANIFEST_HASH):
                return ArchiveCheck(
                    False, checked, name, "清单中没有此文件", manifest, manifest_hash
                )
    return ArchiveCheck(True, checked, manifest=manifest, manifest_sha256=manifest_hash)
