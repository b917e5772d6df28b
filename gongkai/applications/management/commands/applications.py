"""``gongkai applications …``: recompute deadlines, verify a case archive, import and export
a legacy ledger (台账).

``verify-archive`` delegates to ``gongkai letters verify-archive`` (the archive code lives in
the letters app); ``import`` and ``export`` delegate to ``gongkai ledger import|export``, so
each behaviour has one implementation and the issue's command names work as well.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications.services import (
    RecomputeReport,
    recompute_run_create,
    recompute_run_execute,
)


class Command(BaseCommand):
    help = (
        "依申请公开：recompute-deadlines 重新计算在办申请的期限；verify-archive 校验归档文件；"
        "import / export 导入、导出台账"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recompute-deadlines", help="按当前工作日历重新计算在办申请的期限")
        rec.add_argument("--reason", default="手动重新计算期限")
        verify = sub.add_parser("verify-archive", help="校验归档 ZIP 中每个文件的 SHA-256")
        verify.add_argument("file", help="归档 ZIP 文件路径")
        imp = sub.add_parser("import", help="导入台账（XLSX 或 CSV）；有错误行时不导入任何记录")
        imp.add_argument("file", help="台账文件路径")
        imp.add_argument("--agency", required=True, help="导入机关的统一社会信用代码")
        exp = sub.add_parser("export", help="导出台账（与导入相同的格式，按文件扩展名）")
        exp.add_argument("file", help="输出文件路径（.xlsx 或 .csv）")
        exp.add_argument("--agency", required=True, help="机关的统一社会信用代码")
        exp.add_argument("--year", type=int, help="只导出该年度收到的申请")
        exp.add_argument(
            "--unmasked",
            action="store_true",
            help="导出完整的证件号码和联系电话（默认脱敏；此操作记入审计日志）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        streams = {"stdout": self.stdout, "stderr": self.stderr}
        if action == "recompute-deadlines":
            self._recompute(options["reason"])
        elif action == "verify-archive":
            call_command("letters", "verify-archive", options["file"], **streams)
        elif action == "import":
            call_command(
                "ledger", "import", options["file"], "--agency", options["agency"], **streams
            )
        elif action == "export":
            extra = ["--year", str(options["year"])] if options["year"] else []
            if options["unmasked"]:
                extra.append("--unmasked")
            call_command(
                "ledger",
                "export",
                options["file"],
                "--agency",
                options["agency"],
                *extra,
                **streams,
            )

    def _recompute(self, reason: str) -> None:
        width = 30

        def show(report: RecomputeReport) -> None:
            filled = width * report.done // max(report.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(
                f"\r[{bar}] {report.done}/{report.total}，期限变化 {report.changed} 件", ending=""
            )
            self.stdout.flush()

        run = recompute_run_create(reason=reason)
        run = recompute_run_execute(run_id=run.pk, progress=show)
        self.stdout.write("")
        self.stdout.write(
            f"已重新计算 {run.total} 件在办申请，其中 {run.changed} 件期限有变化（已记入审计日志）。"
        )
