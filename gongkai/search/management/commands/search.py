"""``gongkai search rebuild|check|sync [INDEX ...]``: rebuild, compare and refresh indexes."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.search.backends import backend_name, get_backend
from gongkai.search.services import check_index, indexes_named, rebuild_index, sync_index


class Command(BaseCommand):
    """Maintain the search indexes."""

    help = "维护全文检索索引：rebuild 重建，check 核对索引与数据库，sync 应用待处理的变更。"

    def add_arguments(self, parser: CommandParser) -> None:
        """Sub-command and optional index names."""
        parser.add_argument("action", choices=["rebuild", "check", "sync"])
        parser.add_argument("indexes", nargs="*", help="索引名称（默认全部）")
        parser.add_argument("--backend", default=None, help="tantivy 或 postgres（默认按配置）")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="rebuild：并行分词的进程数（默认为 CPU 核数；1 为不并行）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the sub-command over the chosen indexes."""
        try:
            indexes = indexes_named(options["indexes"])
        except KeyError as exc:
            raise CommandError(f"没有这个索引：{exc}") from exc
        name = options["backend"] or backend_name()
        drift = False
        for index in indexes:
            backend = get_backend(index, name)
            if options["action"] == "rebuild":
                self._rebuild(index, backend, max(1, options["workers"]))
            elif options["action"] == "sync":
                report = sync_index(index, backend)
                self.stdout.write(
                    f"{index.name}: rebuilt={report.rebuilt} applied={report.applied} "
                    f"upserted={report.upserted} deleted={report.deleted}"
                )
            else:
                drift |= self._check(index, backend)
        if drift:
            raise CommandError("索引与数据库不一致（运行 gongkai search rebuild 或 sync 修复）")

    def _rebuild(self, index: Any, backend: Any, workers: int) -> None:
        started = time.monotonic()
        out = self.stdout

        def progress(done: int, total: int) -> None:
            width = 30
            filled = min(width, int(width * done / total)) if total else width
            pct = min(100, 100 * done // total) if total else 100
            elapsed = max(time.monotonic() - started, 1e-6)
            rate = done / elapsed
            left = f"，约剩 {(total - done) / rate:.0f} 秒" if rate and total > done else ""
            out.write(
                f"\r{index.name} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {pct}% "
                f"{rate:,.0f} 篇/秒{left}   ",
                ending="",
            )
            if hasattr(out, "flush"):
                out.flush()

        n = rebuild_index(index, backend, progress=progress, workers=workers)
        stats = backend.stats()
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{index.name}: {n} documents in {elapsed:.1f} s "
                f"({n / max(elapsed, 1e-6):,.0f} documents/s, {workers} segmenting processes), "
                f"{stats['bytes'] / 1e6:.1f} MB"
            )
        )

    def _check(self, index: Any, backend: Any) -> bool:
        report = check_index(index, backend)
        line = (
            f"{index.name}: database {report.in_database}, index {report.in_index}, "
            f"missing {len(report.missing)}, extra {len(report.extra)}, stale {len(report.stale)}, "
            f"pending changes {report.pending}"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(line + " — OK"))
            return False
        self.stdout.write(self.style.WARNING(line))
        for label, pks in (
            ("missing", report.missing),
            ("extra", report.extra),
            ("stale", report.stale),
        ):
            if pks:
                shown = ", ".join(map(str, pks[:20])) + (" …" if len(pks) > 20 else "")
                self.stdout.write(f"  {label}: {shown}")
        sys.stdout.flush()
        return True
