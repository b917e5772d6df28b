"""The media sweep: orphan files under MEDIA_ROOT are quarantined, referenced ones never touched.

Real files in a per-test MEDIA_ROOT, real database rows written through the services; files are
aged with ``os.utime`` (the sweep reads the modification time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gongkai.applications.tests.factories import person
from gongkai.core.actors import SYSTEM
from gongkai.core.media import QUARANTINE_DIR, MediaSweepError, file_references, sweep_media
from gongkai.core.models import AuditEvent
from gongkai.portal import services as portal
from gongkai.portal.choices import FileKind
from gongkai.portal.models import ApplicantFile, StagedUpload, SubmissionToken
from gongkai.portal.uploads import CheckedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = 24 * 3600


@pytest.fixture(autouse=True)
def dirs(settings: Any, tmp_path: Path) -> tuple[Path, Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    (tmp_path / "media").mkdir()
    (tmp_path / "var").mkdir()
    return tmp_path / "media", tmp_path / "var"


def _checked(data: bytes = PDF) -> CheckedFile:
    return CheckedFile(data, "application/pdf", "身份证.pdf", hashlib.sha256(data).hexdigest())


def _age(path: Path, hours: float) -> Path:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def _write(media: Path, rel: str, data: bytes = b"x" * 10, hours: float = 48) -> Path:
    path = media / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return _age(path, hours)


def _submit(tree: Any, key: str, data: bytes = PDF) -> ApplicantFile:
    portal.submit_online(
        key=key,
        agency=tree.dept_a,
        applicant=person(),
        description="请公开2025年道路改造通知",
        files=[(FileKind.IDENTITY, _checked(data))],
    )
    return ApplicantFile.objects.get(application__portal_access__isnull=False, sha256=_sha(data))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_references_are_discovered_from_the_app_registry() -> None:
    found = {(r.model._meta.label, r.field) for r in file_references()}
    assert {
        ("portal.ApplicantFile", "file"),
        ("portal.StagedUpload", "file"),
        ("catalog.Attachment", "file"),
        ("ledger.LedgerImport", "file"),
        ("letters.Letter", "docx_file"),
        ("letters.Letter", "pdf_file"),
        ("letters.CaseArchive", "file"),
    } <= found


def test_every_text_field_named_like_a_file_is_declared() -> None:
    """A future model storing a file name in a CharField must declare it (or be a FileField)."""
    undeclared = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        for f in model._meta.local_concrete_fields
        if model.__module__.startswith("gongkai.")
        and type(f) in (models.CharField, models.TextField)
        and (f.name == "file" or f.name.endswith(("_file", "_path")))
        and f.name not in getattr(model, "media_name_fields", ())
    ]
    assert undeclared == []


def test_referenced_files_kept_unreferenced_old_quarantined_new_kept(
    tree: Any, dirs: tuple[Path, Path]
) -> None:
    media, var = dirs
    row = _submit(tree, "form:kept")
    _age(Path(row.file.path), 72)
    old = _write(media, "portal/2026/deadbeef.pdf", b"orphan bytes")
    new = _write(media, "portal/2026/fresh.pdf", hours=1)

    report = sweep_media()

    assert Path(row.file.path).read_bytes() == PDF
    assert not old.exists()
    assert new.exists()
    assert [o.relative for o in report.orphans] == ["portal/2026/deadbeef.pdf"]
    assert (report.referenced, report.recent_kept, report.removed) == (1, 1, 1)
    assert report.removed_bytes == len(b"orphan bytes")
    day = timezone.localdate().isoformat()
    moved = var / "orphans" / day / "portal/2026/deadbeef.pdf"
    assert moved.read_bytes() == b"orphan bytes"
    line = json.loads((var / "orphans" / day / "manifest.jsonl").read_text().splitlines()[0])
    assert line["from"] == str(old) and line["size"] == len(b"orphan bytes")


def test_delete_removes_orphans_without_quarantine(dirs: tuple[Path, Path], db: Any) -> None:
    media, var = dirs
    old = _write(media, "catalog/2025/gone.pdf")
    report = sweep_media(delete=True)
    assert not old.exists() and report.removed == 1
    assert not any((var / "orphans").rglob("gone.pdf"))


def test_dry_run_changes_nothing(tree: Any, dirs: tuple[Path, Path]) -> None:
    media, var = dirs
    _age(Path(_submit(tree, "form:dry").file.path), 72)
    _write(media, "portal/2026/orphan.pdf")
    staged = portal.stage_upload(token="form:old", field="identity_copy", checked=_checked())
    StagedUpload.objects.filter(pk=staged.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    before_files, before_audit = _files(media), AuditEvent.objects.count()

    report = sweep_media(dry_run=True)

    assert [o.relative for o in report.orphans] == ["portal/2026/orphan.pdf"]
    assert report.staged_expired == 1 and report.removed == 0
    assert _files(media) == before_files
    assert StagedUpload.objects.filter(pk=staged.pk).exists()
    assert AuditEvent.objects.count() == before_audit
    assert not (var / "orphans").exists()


def test_expired_staged_uploads_and_their_files_are_removed(
    dirs: tuple[Path, Path], db: Any
) -> None:
    old = portal.stage_upload(token="form:old", field="identity_copy", checked=_checked())
    fresh = portal.stage_upload(token="form:new", field="identity_copy", checked=_checked())
    StagedUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - portal.STAGED_LIFETIME - dt.timedelta(minutes=1)
    )
    _age(Path(fresh.file.path), 72)  # the row is young: its file stays even if the file is old

    report = sweep_media()

    assert report.staged_expired == 1 and report.staged_bytes == len(PDF)
    assert not StagedUpload.objects.filter(pk=old.pk).exists()
    assert not Path(old.file.path).exists()
    assert StagedUpload.objects.filter(pk=fresh.pk).exists()
    assert Path(fresh.file.path).exists()
    assert report.orphans == []


def test_submission_removes_its_staged_files_after_commit(
    tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staged = portal.stage_upload(token="form:s", field="identity_copy", checked=_checked())
    path = Path(staged.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        portal.submit_online(
            key="form:s",
            agency=tree.dept_a,
            applicant=person(),
            description="请公开2025年道路改造通知",
            files=[(FileKind.IDENTITY, portal.staged_file(staged))],
        )
    assert not StagedUpload.objects.filter(token="form:s").exists()
    assert not path.exists()


def test_audit_entry_with_counts(dirs: tuple[Path, Path], db: Any) -> None:
    media, _ = dirs
    _write(media, "portal/2026/a.pdf", b"aaaa")
    _write(media, "portal/2026/b.pdf", b"bb")
    sweep_media()
    event = AuditEvent.objects.filter(action="media.sweep").get()
    assert event.after is not None
    assert event.after["orphans"] == 2
    assert event.after["removed"] == 2
    assert event.after["removed_bytes"] == 6
    assert event.after["mode"] == "quarantine"


def test_file_of_a_catalogue_attachment_is_kept(tree: Any, dirs: tuple[Path, Path]) -> None:
    from gongkai.catalog.services import attachment_add
    from gongkai.catalog.tests.factories import make_item, pdf_bytes

    item = make_item(tree.dept_a)
    attachment = attachment_add(by=SYSTEM, item=item, name="通知.pdf", data=pdf_bytes([["notice"]]))
    _age(Path(attachment.file.path), 72)
    report = sweep_media()
    assert Path(attachment.file.path).exists()
    assert report.orphans == [] and report.referenced == 1


def test_letter_files_named_in_text_fields_are_kept(tree: Any, dirs: tuple[Path, Path]) -> None:
    from gongkai.letters.tests.factories import make_case, make_letter_row

    media, _ = dirs
    make_letter_row(
        make_case(tree.dept_a), docx_file="letters/1/a.docx", pdf_file="letters/1/a.pdf"
    )
    _write(media, "letters/1/a.docx")
    _write(media, "letters/1/a.pdf")
    _write(media, "letters/1/b.pdf")
    report = sweep_media()
    assert _files(media) == {"letters/1/a.docx", "letters/1/a.pdf"}
    assert [o.relative for o in report.orphans] == ["letters/1/b.pdf"]


def test_symlinks_are_never_followed_or_moved(
    dirs: tuple[Path, Path], tmp_path: Path, db: Any
) -> None:
    media, _ = dirs
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = _write(outside, "keep.txt")
    (media / "linked-dir").symlink_to(outside, target_is_directory=True)
    (media / "linked-file").symlink_to(secret)
    report = sweep_media()
    assert secret.exists() and (media / "linked-file").is_symlink()
    assert report.symlinks_skipped == 2 and report.orphans == []


def test_media_root_containing_var_dir_is_refused(settings: Any, tmp_path: Path, db: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(MediaSweepError):
        sweep_media()


def test_crash_after_the_file_was_written_leaves_an_orphan_the_sweep_finds(
    tree: Any, dirs: tuple[Path, Path]
) -> None:
    """What a SIGKILL mid-submit does: the file is on disk, the transaction never commits.

    The real submission runs inside an outer transaction that then fails on a real unique
    constraint (the same submission token again), so everything it wrote to the database is
    rolled back while its file stays — the service's own cleanup never sees the failure, just as
    it never runs when the process is killed.
    """
    media, var = dirs
    with pytest.raises(IntegrityError), transaction.atomic():
        portal.submit_online(
            key="api:crash",
            agency=tree.dept_a,
            applicant=person(),
            description="请公开2025年道路改造通知",
            files=[(FileKind.IDENTITY, _checked(b"%PDF-1.4 crash"))],
        )
        SubmissionToken.objects.create(key="api:crash")
    assert not SubmissionToken.objects.filter(key="api:crash").exists()
    assert not ApplicantFile.objects.exists()
    left = [media / rel for rel in _files(media)]
    assert len(left) == 1 and left[0].read_bytes() == b"%PDF-1.4 crash"

    assert sweep_media().orphans == []  # inside the grace period: could be an open transaction
    _age(left[0], 25)
    report = sweep_media()
    assert report.removed == 1 and _files(media) == set()
    assert [p.read_bytes() for p in (var / "orphans").rglob("*.pdf")] == [b"%PDF-1.4 crash"]


def test_a_file_row_that_fails_to_insert_removes_its_file(
    tree: Any, dirs: tuple[Path, Path]
) -> None:
    """A real check-constraint violation on the file row: the service cleans up the file."""
    media, _ = dirs
    with pytest.raises(IntegrityError):
        portal.submit_online(
            key="form:bad-kind",
            agency=tree.dept_a,
            applicant=person(),
            description="请公开2025年道路改造通知",
            files=[("NOT_A_KIND", _checked())],
        )
    assert _files(media) == set()


def test_command_prints_counts_in_chinese(dirs: tuple[Path, Path], db: Any) -> None:
    media, _ = dirs
    _write(media, "portal/2026/x.pdf", b"12345")
    out = StringIO()
    call_command("media", "sweep", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "试运行" in text and "孤儿文件 1 个" in text and "portal/2026/x.pdf" in text
    assert (media / "portal/2026/x.pdf").exists()

    out = StringIO()
    call_command("media", "sweep", "--older-than", "100", stdout=out)
    assert "宽限期内保留 1 个" in out.getvalue()
    out = StringIO()
    call_command("media", "sweep", stdout=out)
    assert "已隔离孤儿文件 1 个" in out.getvalue() and "5 字节" in out.getvalue()
    assert not (media / "portal/2026/x.pdf").exists()


def test_task_runs_the_sweep(dirs: tuple[Path, Path], db: Any) -> None:
    from gongkai.core.tasks import sweep_media as task

    media, _ = dirs
    _write(media, "portal/2026/t.pdf")
    result = task.enqueue(grace_hours=24).return_value
    assert result is not None
    assert result["removed"] == 1


def test_old_quarantine_folders_are_pruned_after_keep_days(
    dirs: tuple[Path, Path], db: Any, settings: Any
) -> None:
    """Day folders older than MEDIA_QUARANTINE_DAYS go (listed only in a dry run); newer ones,
    other names and symbolic links stay."""
    settings.MEDIA_QUARANTINE_DAYS = 30
    base = Path(settings.VAR_DIR) / QUARANTINE_DIR
    today = timezone.localdate()
    old = base / (today - dt.timedelta(days=31)).isoformat()
    recent = base / (today - dt.timedelta(days=29)).isoformat()
    for folder in (old, recent, base / "notes"):
        (folder / "portal").mkdir(parents=True)
        (folder / "portal" / "f.pdf").write_bytes(b"x" * 7)
    outside = base.parent / "elsewhere"
    outside.mkdir()
    link = base / (today - dt.timedelta(days=90)).isoformat()
    link.symlink_to(outside, target_is_directory=True)

    dry = sweep_media(dry_run=True)
    assert dry.pruned_folders == [old.name] and dry.pruned_bytes == 7 and old.exists()
    report = sweep_media()
    assert report.pruned_folders == [old.name]
    assert not old.exists() and recent.exists() and (base / "notes").exists()
    assert link.is_symlink() and outside.exists()
    entry = AuditEvent.objects.filter(action="media.sweep").latest("seq")
    assert entry.after is not None
    assert entry.after["quarantine_days_pruned"] == 1 and entry.after["pruned_bytes"] == 7
    # 0 keeps every folder; the command option overrides the setting.
    assert sweep_media(keep_days=0).pruned_folders == []
    out = StringIO()
    call_command("media", "sweep", "--keep-days", "1", stdout=out)
    assert "过期隔离目录：已删除 1 个" in out.getvalue() and not recent.exists()
