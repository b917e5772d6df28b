"""``gongkai stats verify`` / ``gongkai stats rebuild``: the maintained aggregates against a
recount of the records (decision 2006)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.stats.maintenance import rebuild, verify

#: Differences printed at most (the count is always printed).
SHOWN = 50


class Command(BaseCommand):
    help = "统计汇总：与记录重新计数核对（verify），或全部重建（rebuild）"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计数并与汇总表比较，有差异时以非零状态退出")
        sub.add_parser("rebuild", help="按记录重新生成全部汇总")

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        if options["action"] == "rebuild":
            rows = rebuild()
            self.stdout.write(
                f"已重建统计汇总：{rows} 行，用时 {time.perf_counter() - t0:.1f} 秒。"
            )
            return
        drift = verify()
        seconds = time.perf_counter() - t0
        if not drift:
            self.stdout.write(f"统计汇总与记录一致（核对用时 {seconds:.1f} 秒）。")
            return
        for table, node, own, key, kept, counted in drift[:SHOWN]:
            scope = "本机关" if own else "下级"
            self.stdout.write(f"{table} 机关 {node} {scope} {key}: 汇总 {kept}，重新计数 {counted}")
        raise CommandError(
            f"统计汇总与记录不一致：{len(drift)} 行（可运行 gongkai stats rebuild）。"
        )
