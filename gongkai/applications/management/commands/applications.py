"""``gongkai applications recompute-deadlines``: recompute every open case's deadlines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications.services import RecomputeReport, applications_recompute_open


class Command(BaseCommand):
    help = "依申请公开：recompute-deadlines 重新计算所有在办申请的期限"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recompute-deadlines", help="按当前工作日历重新计算在办申请的期限")
        rec.add_argument("--reason", default="手动重新计算期限")

    def handle(self, *args: Any, **options: Any) -> None:
        width = 30

        def show(report: RecomputeReport) -> None:
            filled = width * report.done // max(report.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(
                f"\r[{bar}] {report.done}/{report.total}，期限变化 {report.changed} 件", ending=""
            )
            self.stdout.flush()

        report = applications_recompute_open(reason=options["reason"], progress=show)
        self.stdout.write("")
        self.stdout.write(
            f"已重新计算 {report.total} 件在办申请，其中 {report.changed} 件期限有变化（已记入审计日志）。"
        )
