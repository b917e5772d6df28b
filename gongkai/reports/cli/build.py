"""``gongkai report build --agency <统一社会信用代码> --year Y [--consolidated] [--format F]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from gongkai.agencies.models import Agency
from gongkai.reports import formats, narrative
from gongkai.reports.builders import exports
from gongkai.reports.builders.document import build_document
from gongkai.reports.compute import compute_report, report_checks
from gongkai.reports.models import AnnualReport

from . import Subcommand, register


@register
class Build(Subcommand):
    """Compute an agency's report from the record and write it in one format."""

    name = "build"
    help = "根据平台记录生成年度报告（JSON 默认输出到标准输出；进度和提示输出到标准错误）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare --agency, --year, --consolidated, --format and --output."""
        parser.add_argument("--agency", required=True, help="机关的统一社会信用代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--consolidated", action="store_true", help="汇总本机关及全部下级机关")
        parser.add_argument(
            "--format",
            default="json",
            choices=("json", "html", "pdf", "docx", "xlsx"),
            help="输出格式",
        )
        parser.add_argument("--output", help="输出文件（默认：标准输出）")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Compute, draft the prose, check, render; exit 1 if a hard identity fails."""
        agency = Agency.objects.filter(credit_code=options["agency"].strip().upper()).first()
        if agency is None:
            err.write(f"未找到统一社会信用代码为 {options['agency']} 的机关\n")
            return 2
        year = options["year"]
        if formats.format_for_year(year) == 2008:
            err.write(
                "2019年以前的年度报告使用2008年统计表，只能导入已发布的报告（gongkai report import）\n"
            )
            return 2
        consolidated = options["consolidated"]

        def progress(step: int, steps: int, message: str) -> None:
            err.write(f"[{step + 1}/{steps}] {message}\n")
            err.flush()

        data = compute_report(agency, year, consolidated=consolidated, progress=progress)
        previous = (
            AnnualReport.objects.filter(
                agency=agency, year=year - 1, published_version__isnull=False
            )
            .select_related("published_version")
            .first()
        )
        prev_data = previous.published.data if previous else None
        prose = narrative.draft(data, prev_data, previous.published.narrative if previous else None)
        failures = report_checks(data, prev_data)
        for failure in failures:
            err.write(f"{'错误' if failure.is_hard else '提示'}：{failure.message}\n")
        payload = exports.render(build_document(data, prose), options["format"])
        if options.get("output"):
            Path(options["output"]).write_bytes(payload)
            err.write(f"已写入 {options['output']}\n")
        elif options["format"] in ("json", "html"):
            out.write(payload.decode("utf-8"))
            out.write("\n")
        else:
            out.flush()
            buffer = getattr(out, "buffer", None) or sys.stdout.buffer
            buffer.write(payload)
            buffer.flush()
        return 1 if any(f.is_hard for f in failures) else 0
