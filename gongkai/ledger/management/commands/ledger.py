"""``gongkai ledger import FILE --agency CODE`` and ``gongkai ledger export --agency CODE FILE``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.credit_code import normalise_credit_code
from gongkai.agencies.models import Agency
from gongkai.core.actors import SYSTEM
from gongkai.ledger import exports, services


class _Bar(services.Progress):
    """A progress bar on stderr (only when it is a terminal)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.total = 0
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def _draw(self, label: str, done: int) -> None:
        if not self.tty or not self.total:
            return
        width = 30
        filled = int(width * done / self.total)
        self.stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        self.stream.flush()

    def reading(self) -> None:
        if self.tty:
            self.stream.write("正在读取文件…\n")

    def validating(self, total: int) -> None:
        self.total = total

    def checked(self, rows: int) -> None:
        self._draw("校验", rows)

    def importing(self) -> None:
        if self.tty:
            self.stream.write("\n")

    def written(self, rows: int) -> None:
        self._draw("写入", rows)


class Command(BaseCommand):
    help = "台账（历史申请登记表）导入与导出"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入台账（XLSX 或 CSV）；有错误行时不导入任何记录")
        imp.add_argument("file", help="台账文件路径")
        imp.add_argument("--agency", required=True, help="导入机关的统一社会信用代码")
        exp = sub.add_parser("export", help="导出台账（XLSX 或 CSV，按文件扩展名）")
        exp.add_argument("file", help="输出文件路径（.xlsx 或 .csv）")
        exp.add_argument("--agency", required=True, help="机关的统一社会信用代码")
        exp.add_argument("--year", type=int, help="只导出该年度收到的申请")
        exp.add_argument(
            "--unmasked",
            action="store_true",
            help="导出完整的证件号码和联系电话（默认脱敏；此操作记入审计日志）",
        )

    def _agency(self, code: str) -> Agency:
        agency = Agency.objects.filter(credit_code=normalise_credit_code(code)).first()
        if agency is None:
            raise CommandError(f"没有统一社会信用代码为 {code} 的机关。")
        return agency

    def handle(self, *args: Any, **options: Any) -> None:
        agency = self._agency(options["agency"])
        if options["action"] == "import":
            self._import(agency, Path(options["file"]))
        else:
            self._export(agency, Path(options["file"]), options["year"], options["unmasked"])

    def _import(self, agency: Agency, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        outcome = services.ledger_import_file(
            by=SYSTEM, agency=agency, path=path, progress=_Bar(sys.stderr)
        )
        v = outcome.validation
        if not outcome.ok:
            for error in v.errors:
                self.stderr.write(str(error))
            if v.error_count > len(v.errors):
                self.stderr.write(f"……另有 {v.error_count - len(v.errors)} 处错误未列出")
            raise CommandError(
                f"有 {v.bad_rows or 1} 行存在错误（共 {v.error_count} 处），未导入任何记录。",
                returncode=1,
            )
        s = outcome.summary
        self.stdout.write(
            f"已导入 {outcome.imported} 条申请记录到 {agency.name}"
            f"（已办结 {s['concluded']}，在办 {s['open']}；平台分配受理编号 {s['numbers_allocated']}）。"
        )
        if s["masked_values_dropped"]:
            self.stdout.write(
                f"提示：{s['masked_values_dropped']} 行的证件号码或联系电话为脱敏值，未导入。"
            )

    def _export(self, agency: Agency, path: Path, year: int | None, unmasked: bool) -> None:
        fmt = "csv" if path.suffix.lower() == ".csv" else "xlsx"
        count = exports.ledger_export(
            by=SYSTEM, agency=agency, target=str(path), year=year, unmasked=unmasked, fmt=fmt
        )
        masked = "完整证件号码和联系电话" if unmasked else "证件号码和联系电话已脱敏"
        self.stdout.write(f"已导出 {count} 条申请记录到 {path}（{masked}）。")
