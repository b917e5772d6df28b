"""Backups round-trip a populated instance; a tampered backup is refused."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongkai.core.audit import record_audit, verify_chain
from gongkai.core.backup import BackupError, create_backup, restore_backup, verify_backup


def _all_rows() -> dict[str, list[dict]]:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows[model._meta.db_table] = list(model._base_manager.order_by("pk").values())
    return rows


def _empty_the_database() -> None:
    """Make this database an empty instance (no tables at all)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cur):
                cur.execute(f'DROP TABLE "{table}"')
    assert connection.introspection.table_names() == []


@pytest.mark.django_db(transaction=True)
def test_backup_round_trips_every_record_and_file(tree, staff, tmp_path):
    """Backup, empty the instance, restore: every row and every file comes back identical."""
    record_audit(action="test.backup", agency=tree.dept_a, after={"note": "备份前的记录"})
    media = tmp_path / "media"
    (media / "letters" / "2026").mkdir(parents=True)
    (media / "letters" / "2026" / "答复书.pdf").write_bytes(b"%PDF-1.7 test \x00\xff" * 100)
    (media / "uploads.txt").write_text("上传文件", encoding="utf-8")
    before = _all_rows()
    assert sum(len(v) for v in before.values()) > 20
    archive = tmp_path / "backup.tar.gz"
    result = create_backup(archive, media_root=media)
    assert result.files == 3

    _empty_the_database()
    restored_media = tmp_path / "restored-media"
    manifest = restore_backup(archive, media_root=restored_media)
    assert manifest["engine"] == connection.vendor
    assert _all_rows() == before
    assert verify_chain().ok
    for path in media.rglob("*"):
        if path.is_file():
            assert (restored_media / path.relative_to(media)).read_bytes() == path.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_instance(tree, tmp_path):
    """Restoring over live data is refused."""
    archive = tmp_path / "b.tar.gz"
    create_backup(archive, media_root=tmp_path / "none")
    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive, media_root=tmp_path / "m")
    with pytest.raises(CommandError):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_tampered_backup_fails_verification(tree, tmp_path):
    """Changing one byte of a member is caught by its checksum."""
    media = tmp_path / "media"
    media.mkdir()
    (media / "a.txt").write_text("原始内容", encoding="utf-8")
    archive = tmp_path / "b.tar.gz"
    create_backup(archive, media_root=media)
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "media/a.txt":
                data = "篡改内容".encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    with pytest.raises(BackupError, match="media/a.txt"):
        verify_backup(tampered, tmp_path / "x")
    assert Path(archive).exists()
