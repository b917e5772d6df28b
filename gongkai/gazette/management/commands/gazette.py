"""``gongkai gazette build``: typeset issues to PDF or DOCX from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency
from gongkai.gazette.models import GazetteIssue
from gongkai.gazette.rendering import filename, render_docx, render_pdf


class Command(BaseCommand):
    help = "政府公报：生成各期公报的PDF或Word文件（build）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="生成公报文件（已出版的期次写出存档的PDF）")
        build.add_argument("--agency", required=True, help="主办机关的统一社会信用代码")
        build.add_argument("--year", type=int, required=True)
        build.add_argument("--number", type=int, help="期号（省略则该年度全部期次）")
        build.add_argument("--format", choices=("pdf", "docx"), default="pdf")
        build.add_argument("--output", default=".", help="输出目录")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(credit_code=options["agency"]).first()
        if agency is None:
            raise CommandError("没有这个统一社会信用代码的机关。")
        issues: Any = GazetteIssue.objects.filter(agency=agency, year=options["year"])
        if options["number"] is not None:
            issues = issues.filter(number=options["number"])
        issues = list(issues.select_related("agency").order_by("kind", "number", "pk"))
        if not issues:
            raise CommandError("没有符合条件的公报期次。")
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        fmt = options["format"]
        for issue in issues:
            if fmt == "pdf":
                data = issue.pdf.read() if issue.is_published and issue.pdf else render_pdf(issue)
            else:
                data = render_docx(issue)
            target = out / filename(issue, fmt)
            target.write_bytes(data)
            self.stdout.write(f"{target}（{len(data)}字节）")
