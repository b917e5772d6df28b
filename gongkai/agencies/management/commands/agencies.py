"""``gongkai agencies import FILE`` / ``gongkai agencies export FILE``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.services import agencies_export_rows, agencies_import
from gongkai.core.actors import SYSTEM
from gongkai.core.tabular import TableFormatError, read_table, write_table


class Command(BaseCommand):
    help = "机关树：import 导入（CSV/XLSX）、export 导出"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入机关树（有任何错误行则全部不导入）")
        imp.add_argument("file")
        exp = sub.add_parser("export", help="按导入格式导出机关树")
        exp.add_argument("file", help="输出文件（.csv 或 .xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            table = agencies_export_rows()
            write_table(options["file"], table)
            self.stdout.write(f"已导出 {len(table) - 1} 个机关到 {options['file']}")
            return
        try:
            rows = read_table(options["file"])
        except (TableFormatError, FileNotFoundError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        report = agencies_import(by=SYSTEM, rows=rows)
        if not report.ok:
            for row, reason in report.errors:
                self.stderr.write(f"第{row}行：{reason}")
            raise CommandError(f"有 {len(report.errors)} 处错误，未导入任何机关。", returncode=1)
        self.stdout.write(f"已导入 {report.created} 个机关。")
