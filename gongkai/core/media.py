"""Orphan files under MEDIA_ROOT: find them, move them to a quarantine folder (or delete them).

A file is written to disk before the row that names it is committed (``FieldFile.save`` inside
the service's transaction). Services remove the file again when Python sees the transaction
fail, but a SIGKILL, an OOM kill or a power cut leaves it behind with no row pointing at it
(bench/bench_load.py found one in two runs of 500 submissions with a kill). This module finds
such files and takes them away:

- The references are discovered from the app registry: every ``FileField`` (and subclass such
  as ``ImageField``) of every installed model, plus the plain text fields a model declares in a
  ``media_name_fields`` class attribute (names relative to MEDIA_ROOT, e.g. the letters' DOCX
  and PDF). A new model is covered without editing this module.
- The storage roots walked are MEDIA_ROOT and the location of every local storage those fields
  use. Symbolic links are never followed, moved or deleted; a root that would contain VAR_DIR
  (the database, the keys) is refused.
- Only files last modified before a grace period (24 h by default) are considered, so a file
  whose transaction is still open is never touched, and each candidate is checked again
  against the database right before it is moved.
- Orphans go to ``VAR_DIR/orphans/<date>/`` keeping their path relative to the root (with a
  ``manifest.jsonl``), or are deleted with ``delete=True``; ``dry_run`` only lists them.
  Quarantine folders older than ``keep_days`` (``MEDIA_QUARANTINE_DAYS``, default 30; 0 keeps
  them for ever) are removed by the same sweep.
- Staged uploads (``portal.StagedUpload``) older than their lifetime are expired first, by the
  step the portal registers (``register_sweep_step``; ``portal.services.purge_staged`` deletes
  their rows and files).

One audit entry with the counts is written per sweep that changes something (not in a dry run).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models, router
from django.db.models import Q
from django.utils import timezone

from gongkai.core.audit import record_audit

#: Class attribute naming a model's text fields that hold a file name relative to MEDIA_ROOT.
MEDIA_NAME_FIELDS = "media_name_fields"
DEFAULT_GRACE = dt.timedelta(hours=24)
QUARANTINE_DIR = "orphans"


class MediaSweepError(Exception):
    """The sweep cannot run safely (bad root, another sweep running)."""


@dataclass(frozen=True)
class FileReference:
    """A model field whose values name files in the storage rooted at ``location``."""

    model: type[models.Model]
    field: str
    location: str  # normalised absolute path of the storage root


@dataclass(frozen=True)
class Orphan:
    """An unreferenced file past the grace period."""

    path: str  # absolute
    relative: str  # to its root, POSIX separators
    root: str
    size: int


@dataclass
class SweepReport:
    """What a sweep found and did."""

    dry_run: bool
    delete: bool
    grace: dt.timedelta
    roots: list[str] = field(default_factory=list)
    files_scanned: int = 0
    referenced: int = 0
    recent_kept: int = 0  # unreferenced but inside the grace period
    symlinks_skipped: int = 0
    orphans: list[Orphan] = field(default_factory=list)
    removed: int = 0  # moved to quarantine or deleted
    removed_bytes: int = 0
    failed: int = 0
    missing: int = 0  # names in the database with no file on disk (reported only)
    staged_expired: int = 0
    staged_bytes: int = 0
    quarantine: Path | None = None
    pruned_folders: list[str] = field(default_factory=list)  # quarantine days removed
    pruned_bytes: int = 0

    @property
    def orphan_bytes(self) -> int:
        """Total size of the orphans found."""
        return sum(o.size for o in self.orphans)

    def as_audit(self) -> dict[str, object]:
        """The counts recorded in the audit entry (no file names)."""
        return {
            "mode": "delete" if self.delete else "quarantine",
            "grace_hours": self.grace.total_seconds() / 3600,
            "files_scanned": self.files_scanned,
            "referenced": self.referenced,
            "recent_kept": self.recent_kept,
            "orphans": len(self.orphans),
            "orphan_bytes": self.orphan_bytes,
            "removed": self.removed,
            "removed_bytes": self.removed_bytes,
            "failed": self.failed,
            "symlinks_skipped": self.symlinks_skipped,
            "missing": self.missing,
            "staged_expired": self.staged_expired,
            "staged_bytes": self.staged_bytes,
            "quarantine": str(self.quarantine) if self.quarantine else "",
            "quarantine_days_pruned": len(self.pruned_folders),
            "pruned_bytes": self.pruned_bytes,
        }


def _norm(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def _storage_location(storage: Storage) -> str | None:
    """The root directory of a local storage; None for remote storages (not swept)."""
    if isinstance(storage, FileSystemStorage):
        return _norm(storage.location)
    return None


def file_references() -> list[FileReference]:
    """Every model field that names a stored file, discovered from the app registry."""
    media = _norm(settings.MEDIA_ROOT)
    found: list[FileReference] = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy:
            continue
        for f in opts.local_concrete_fields:
            if isinstance(f, models.FileField):
                location = _storage_location(f.storage)
                if location is not None:
                    found.append(FileReference(model, f.name, location))
        for name in getattr(model, MEDIA_NAME_FIELDS, ()):
            opts.get_field(name)  # a typo in the declaration fails loudly
            found.append(FileReference(model, name, media))
    return found


def _names(ref: FileReference) -> Iterator[str]:
    """Non-empty values of ``ref``'s field, read from the primary (never a lagging replica)."""
    db = router.db_for_write(ref.model)
    rows = (
        ref.model._base_manager.using(db)
        .exclude(**{f"{ref.field}__isnull": True})
        .exclude(**{ref.field: ""})
        .values_list(ref.field, flat=True)
    )
    yield from rows.iterator(chunk_size=5000)


def referenced_paths(refs: list[FileReference]) -> set[str]:
    """Absolute, normalised paths of every file the database refers to."""
    paths: set[str] = set()
    for ref in refs:
        for name in _names(ref):
            paths.add(_norm(os.path.join(ref.location, str(name))))
    return paths


def _still_unreferenced(path: str, refs: list[FileReference]) -> bool:
    """Check one candidate against the database again (a row may have committed meanwhile)."""
    for ref in refs:
        prefix = ref.location.rstrip(os.sep) + os.sep
        if not path.startswith(prefix):
            continue
        name = path[len(prefix) :].replace(os.sep, "/")
        db = router.db_for_write(ref.model)
        if ref.model._base_manager.using(db).filter(Q(**{ref.field: name})).exists():
            return False
    return True


def sweep_roots(refs: list[FileReference]) -> list[str]:
    """MEDIA_ROOT and every storage location, without roots nested inside another root."""
    candidates = sorted({_norm(settings.MEDIA_ROOT), *(r.location for r in refs)})
    var = _norm(settings.VAR_DIR)
    roots: list[str] = []
    for root in candidates:
        if var == root or var.startswith(root.rstrip(os.sep) + os.sep):
            raise MediaSweepError(f"文件目录 {root} 包含 VAR_DIR（{var}），拒绝清理。")
        if any(root.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
            continue
        roots.append(root)
    return roots


def _walk(root: str, report: SweepReport, skip: str) -> Iterator[tuple[str, os.stat_result]]:
    """Regular files under ``root`` with their lstat; symlinks are counted and never entered."""
    if not os.path.isdir(root):
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        kept = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                report.symlinks_skipped += 1
            elif _norm(full) != skip:
                kept.append(d)
        dirnames[:] = kept
        for name in filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(st.st_mode):
                report.symlinks_skipped += 1
            elif stat.S_ISREG(st.st_mode):
                yield _norm(full), st


def _quarantine_target(base: Path, root: str, relative: str) -> Path:
    media = _norm(settings.MEDIA_ROOT)
    label = "" if root == media else "_" + root.strip(os.sep).replace(os.sep, "_")
    target = base / label / relative if label else base / relative
    n = 1
    while target.exists():
        target = target.with_name(f"{target.name}.{n}")
        n += 1
    return target


@contextmanager
def _sweep_lock(base: Path) -> Iterator[None]:
    """One sweep at a time on this machine (the timer and an operator may overlap)."""
    base.mkdir(parents=True, exist_ok=True)
    with (base / ".lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise MediaSweepError("另一个文件清理正在运行。") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: Steps every sweep runs first, registered by the apps above core from their ``ready`` (core
#: imports none of them): the portal expires its staged uploads (``portal.expiry``).
_sweep_steps: list[Callable[[SweepReport, dt.datetime], None]] = []


def register_sweep_step(step: Callable[[SweepReport, dt.datetime], None]) -> None:
    """Run ``step(report, now)`` at the start of every sweep (call from an app's ``ready``)."""
    if step not in _sweep_steps:
        _sweep_steps.append(step)


def sweep_media(
    *,
    grace: dt.timedelta = DEFAULT_GRACE,
    dry_run: bool = False,
    delete: bool = False,
    now: dt.datetime | None = None,
    keep_days: int | None = None,
) -> SweepReport:
    """Expire old staged uploads, then quarantine (or delete) unreferenced files past ``grace``,
    and remove quarantine folders older than ``keep_days`` (default ``MEDIA_QUARANTINE_DAYS``).

    With ``dry_run`` nothing is changed (no file, no row, no audit entry): the report lists
    what a sweep would do.
    """
    if grace < dt.timedelta(0):
        raise MediaSweepError("宽限期不能为负数。")
    now = now or timezone.now()
    report = SweepReport(dry_run=dry_run, delete=delete, grace=grace)
    orphans_base = Path(settings.VAR_DIR) / QUARANTINE_DIR
    lock: AbstractContextManager[None] = nullcontext() if dry_run else _sweep_lock(orphans_base)
    with lock:
        for step in _sweep_steps:
            step(report, now)
        refs = file_references()
        report.roots = sweep_roots(refs)
        cutoff = now.timestamp() - grace.total_seconds()
        # Walk first, then read the references: a row committed in between is seen.
        candidates: list[tuple[str, str, os.stat_result]] = []
        on_disk: set[str] = set()
        for root in report.roots:
            for path, st in _walk(root, report, skip=_norm(orphans_base)):
                report.files_scanned += 1
                on_disk.add(path)
                candidates.append((root, path, st))
        referenced = referenced_paths(refs)
        report.missing = sum(
            1
            for p in referenced
            if p not in on_disk and any(p.startswith(r + os.sep) for r in report.roots)
        )
        for root, path, st in candidates:
            if path in referenced:
                report.referenced += 1
            elif st.st_mtime > cutoff:
                report.recent_kept += 1
            else:
                relative = os.path.relpath(path, root).replace(os.sep, "/")
                report.orphans.append(Orphan(path, relative, root, st.st_size))
        if keep_days is None:
            keep_days = int(getattr(settings, "MEDIA_QUARANTINE_DAYS", 30))
        _prune_quarantine(report, orphans_base, now, keep_days)
        if not dry_run:
            _remove(report, refs, orphans_base, now)
            record_audit(action="media.sweep", after=report.as_audit(), target_repr="MEDIA_ROOT")
    return report


def _prune_quarantine(report: SweepReport, base: Path, now: dt.datetime, keep_days: int) -> None:
    """Remove the quarantine day folders older than ``keep_days`` (0 keeps them all).

    Only real directories named ``YYYY-MM-DD`` directly under ``base`` are candidates; a
    symbolic link is never followed or removed. In a dry run they are only listed.
    """
    if keep_days <= 0 or not base.is_dir():
        return
    oldest_kept = timezone.localtime(now).date() - dt.timedelta(days=keep_days)
    for entry in sorted(base.iterdir()):
        try:
            day = dt.date.fromisoformat(entry.name)
        except ValueError:
            continue
        if day >= oldest_kept or entry.is_symlink() or not entry.is_dir():
            continue
        size = sum(
            p.lstat().st_size for p in entry.rglob("*") if p.is_file() and not p.is_symlink()
        )
        report.pruned_folders.append(entry.name)
        report.pruned_bytes += size
        if not report.dry_run:
            shutil.rmtree(entry)


def _remove(report: SweepReport, refs: list[FileReference], base: Path, now: dt.datetime) -> None:
    quarantine = base / timezone.localtime(now).strftime("%Y-%m-%d")
    manifest = None
    try:
        for orphan in report.orphans:
            try:
                st = os.lstat(orphan.path)
            except FileNotFoundError:
                continue  # removed meanwhile by its owner
            if not stat.S_ISREG(st.st_mode) or not _still_unreferenced(orphan.path, refs):
                continue
            try:
                if report.delete:
                    os.unlink(orphan.path)
                else:
                    target = _quarantine_target(quarantine, orphan.root, orphan.relative)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(orphan.path, target)
                    if manifest is None:
                        manifest = (quarantine / "manifest.jsonl").open("a", encoding="utf-8")
                        report.quarantine = quarantine
                    line = {
                        "from": orphan.path,
                        "to": str(target),
                        "size": orphan.size,
                        "mtime": dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).isoformat(),
                        "moved_at": dt.datetime.fromtimestamp(time.time(), dt.UTC).isoformat(),
                    }
                    manifest.write(json.dumps(line, ensure_ascii=False) + "\n")
            except OSError:
                report.failed += 1
                continue
            report.removed += 1
            report.removed_bytes += orphan.size
    finally:
        if manifest is not None:
            manifest.close()


def format_bytes(size: int) -> str:
    """``1234567`` → ``1.2 MB（1234567 字节）`` for the command's output."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            shown = f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
            return f"{shown}（{size} 字节）"
        value /= 1024
    return f"{size} 字节"  # pragma: no cover
