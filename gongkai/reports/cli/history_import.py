"""``gongkai report import FILE --agency <统一社会信用代码> --year Y``: keep a published report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from gongkai.agencies.models import Agency
from gongkai.core.actors import SYSTEM
from gongkai.reports.builders import exports
from gongkai.reports.choices import Scope, Source
from gongkai.reports.parsing import parse_report
from gongkai.reports.schema import ReportValidationError, load_report
from gongkai.reports.services import report_import

from . import Subcommand, register


@register
class Import(Subcommand):
    """Store a published report (text, HTML, DOCX, PDF, or the platform's JSON/XLSX) as history."""

    name = "import"
    help = "将已发布的年度报告（文本、HTML、DOCX、PDF 或平台 JSON、Excel）保存为该机关该年度的报告"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare FILE, --agency, --year, --consolidated, --submitted, --replace."""
        parser.add_argument("file", help="报告文件")
        parser.add_argument("--agency", required=True, help="机关的统一社会信用代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--consolidated", action="store_true", help="该报告为汇总报告")
        parser.add_argument(
            "--submitted",
            action="store_true",
            help="未上平台机关报送的本年度报告（须通过全部勾稽关系核对）；默认为历史报告",
        )
        parser.add_argument(
            "--replace", action="store_true", help="替换已导入的同年度报告（保留旧版本）"
        )

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Read, check, store; print the stored figures' checks; exit 2 if refused."""
        from django.core.exceptions import ValidationError

        agency = Agency.objects.filter(credit_code=options["agency"].strip().upper()).first()
        if agency is None:
            err.write(f"未找到统一社会信用代码为 {options['agency']} 的机关\n")
            return 2
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            err.write(f"无法读取文件 {path}：{exc}\n")
            return 2
        try:
            if path.suffix.lower() == ".json":
                data = load_report(raw, partial=True)
            elif path.suffix.lower() == ".xlsx":
                data = exports.read_xlsx(raw)
            else:
                result = parse_report(raw, str(path))
                for item in result.not_found:
                    err.write(f"未找到：{item}\n")
                if result.format is None:
                    err.write("未能从文件中识别出年度报告的统计表\n")
                    return 2
                if result.year and result.year != options["year"]:
                    err.write(
                        f"提示：报告正文中的年度为{result.year}，与 --year {options['year']} 不同\n"
                    )
                data = result.report()
        except (ReportValidationError, exports.XlsxReadError) as exc:
            for message in exc.errors:
                err.write(f"格式错误：{message}\n")
            return 2
        try:
            report, failures = report_import(
                by=SYSTEM,
                agency=agency,
                year=options["year"],
                data=data,
                source=Source.SUBMITTED if options["submitted"] else Source.IMPORTED,
                scope=Scope.CONSOLIDATED if options["consolidated"] else Scope.OWN,
                replace=options["replace"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                err.write(f"未导入：{message}\n")
            return 2
        for failure in failures:
            err.write(f"{'错误' if failure.is_hard else '提示'}：{failure.message}\n")
        out.write(
            f"已导入：{agency.name}{report.year}年度报告（{report.get_scope_display()}，{report.get_source_display()}，"
            f"{report.format}年格式，第{report.published.number}版）\n"
        )
        return 0
