"""Consistent, compressed, checksummed backups of the database and uploaded files.

A backup is a ``.tar.gz`` holding:

- ``database.sqlite3`` (SQLite's online backup API: a consistent snapshot) or
  ``database.pgdump`` (``pg_dump --format=custom``: one transaction snapshot);
- ``media/…`` — every uploaded file;
- ``manifest.json`` — engine, creation time, and the SHA-256 and size of every member;
- ``manifest.sha256`` — the SHA-256 of ``manifest.json``.

``restore_backup`` verifies every checksum before touching anything, then restores into an
empty instance only (a database with no tables and an empty media directory).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup cannot be written, read, verified or restored."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tool(name: str) -> str:
    """Full path of a PostgreSQL client program."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}（请安装 postgresql-client）")
    return path


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target_dir: Path) -> str:
    """Write a consistent snapshot of the default database into ``target_dir``."""
    vendor = connection.vendor
    if connection.in_atomic_block:
        raise BackupError("备份不能在数据库事务中进行。")
    if vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target_dir / "database.sqlite3")
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return "database.sqlite3"
    if vendor == "postgresql":
        db = connection.settings_dict
        args, env = _pg_env(db)
        out = target_dir / "database.pgdump"
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "-f",
                str(out),
                db["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        return "database.pgdump"
    raise BackupError(f"不支持的数据库：{vendor}")


@dataclass(frozen=True)
class BackupResult:
    """Where the backup went and what it holds."""

    path: Path
    files: int
    size: int


def create_backup(output: Path, *, media_root: Path | None = None) -> BackupResult:
    """Write a backup of the database and the uploaded files to ``output`` (.tar.gz)."""
    media = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        db_member = _dump_database(staging)
        members: dict[str, dict[str, Any]] = {
            db_member: {
                "sha256": _sha256(staging / db_member),
                "size": (staging / db_member).stat().st_size,
            }
        }
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        for path in media_files:
            rel = "media/" + path.relative_to(media).as_posix()
            members[rel] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": db_member,
            "members": members,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        (staging / "manifest.json").write_bytes(manifest_bytes)
        (staging / "manifest.sha256").write_text(hashlib.sha256(manifest_bytes).hexdigest())
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as tar:
            tar.add(staging / "manifest.json", arcname="manifest.json")
            tar.add(staging / "manifest.sha256", arcname="manifest.sha256")
            tar.add(staging / db_member, arcname=db_member)
            for path in media_files:
                tar.add(path, arcname="media/" + path.relative_to(media).as_posix())
    return BackupResult(output, len(members), output.stat().st_size)


def verify_backup(archive: Path, extract_to: Path) -> dict[str, Any]:
    """Extract ``archive`` into ``extract_to`` and check every checksum; return the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(extract_to, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    manifest_path = extract_to / "manifest.json"
    if not manifest_path.exists():
        raise BackupError("备份文件缺少 manifest.json")
    manifest_bytes = manifest_path.read_bytes()
    expected = (extract_to / "manifest.sha256").read_text().strip()
    if hashlib.sha256(manifest_bytes).hexdigest() != expected:
        raise BackupError("manifest.json 校验失败（备份被修改）")
    manifest = json.loads(manifest_bytes)
    for name, info in manifest["members"].items():
        path = extract_to / name
        if not path.exists():
            raise BackupError(f"备份缺少文件：{name}")
        if _sha256(path) != info["sha256"]:
            raise BackupError(f"文件校验失败：{name}")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(archive: Path, *, media_root: Path | None = None) -> dict[str, Any]:
    """Verify ``archive`` and restore it into this (empty) instance; return the manifest."""
    media = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        manifest = verify_backup(archive, staging)
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['engine']}，不能恢复到 {connection.vendor}")
        if not _database_is_empty():
            raise BackupError("目标数据库不是空的：只能恢复到空实例。")
        if media.exists() and any(media.iterdir()):
            raise BackupError(f"目标文件目录 {media} 不是空的：只能恢复到空实例。")
        db_file = staging / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            src = sqlite3.connect(db_file)
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        else:
            db = connection.settings_dict
            args, env = _pg_env(db)
            connection.close()
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *args,
                    "-d",
                    db["NAME"],
                    str(db_file),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
        media_src = staging / "media"
        if media_src.exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_src, media, dirs_exist_ok=True)
    return manifest
