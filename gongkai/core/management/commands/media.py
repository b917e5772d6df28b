"""``gongkai media sweep``: expire old staged uploads, quarantine or delete orphan files."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.media import (
    DEFAULT_GRACE,
    MediaSweepError,
    SweepReport,
    format_bytes,
    sweep_media,
)

LISTED = 50  # orphans listed one by one; the rest are counted


class Command(BaseCommand):
    help = "上传文件目录维护：sweep 清理孤儿文件（数据库中无记录引用的文件）和过期暂存文件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser(
            "sweep",
            help="将超过宽限期、无记录引用的文件移入 VAR_DIR/orphans/日期/（隔离），并清除过期暂存文件",
        )
        sweep.add_argument(
            "--dry-run", action="store_true", help="只列出将被处理的文件，不做任何修改"
        )
        sweep.add_argument(
            "--older-than",
            type=float,
            default=DEFAULT_GRACE.total_seconds() / 3600,
            metavar="HOURS",
            help="宽限期（小时，默认 24）：更新的文件不处理；服务运行时不要小于 24",
        )
        sweep.add_argument("--delete", action="store_true", help="直接删除孤儿文件，不隔离")
        sweep.add_argument(
            "--keep-days",
            type=int,
            default=None,
            metavar="DAYS",
            help="隔离目录保留天数（默认取 MEDIA_QUARANTINE_DAYS，即 30；0 表示永久保留）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = sweep_media(
                grace=dt.timedelta(hours=options["older_than"]),
                dry_run=options["dry_run"],
                delete=options["delete"],
                keep_days=options["keep_days"],
            )
        except MediaSweepError as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)

    def _print(self, r: SweepReport) -> None:
        out = self.stdout.write
        hours = r.grace.total_seconds() / 3600
        out(("【试运行，未做任何修改】" if r.dry_run else "") + f"宽限期 {hours:g} 小时")
        for root in r.roots:
            out(f"扫描目录：{root}")
        staged = "将清除" if r.dry_run else "已清除"
        out(f"过期暂存文件：{staged} {r.staged_expired} 个，{format_bytes(r.staged_bytes)}")
        out(
            f"已扫描文件 {r.files_scanned} 个：有记录引用 {r.referenced} 个，"
            f"宽限期内保留 {r.recent_kept} 个，孤儿文件 {len(r.orphans)} 个"
            f"（{format_bytes(r.orphan_bytes)}）"
        )
        for orphan in r.orphans[:LISTED]:
            out(f"  {orphan.relative}（{orphan.size} 字节）")
        if len(r.orphans) > LISTED:
            out(f"  ……另有 {len(r.orphans) - LISTED} 个")
        if r.symlinks_skipped:
            out(f"跳过符号链接 {r.symlinks_skipped} 个（从不跟随、移动或删除）")
        if r.missing:
            out(f"注意：数据库引用但磁盘上不存在的文件 {r.missing} 个（未处理）")
        if r.pruned_folders:
            verb = "将删除" if r.dry_run else "已删除"
            out(
                f"过期隔离目录：{verb} {len(r.pruned_folders)} 个（{'、'.join(r.pruned_folders)}），"
                f"{format_bytes(r.pruned_bytes)}"
            )
        if r.dry_run:
            return
        if r.delete:
            out(f"已删除孤儿文件 {r.removed} 个，{format_bytes(r.removed_bytes)}")
        else:
            where = f"，隔离目录：{r.quarantine}" if r.quarantine else ""
            out(f"已隔离孤儿文件 {r.removed} 个，{format_bytes(r.removed_bytes)}{where}")
        if r.failed:
            raise CommandError(f"{r.failed} 个文件无法处理（见上）。", returncode=1)
