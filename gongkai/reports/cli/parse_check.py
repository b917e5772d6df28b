"""``gongkai report parse FILE`` and ``gongkai report check FILE.json``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..checks import CheckFailure, check_prose_against_tables, has_hard_failure, run_checks
from ..schema import ReportValidationError, load_report
from . import Subcommand, register


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _prose_checks(report: dict[str, Any]) -> list[CheckFailure]:
    """Re-run the prose identities (P1–P4, S6) on the figures a parse recorded."""
    from ..parsing.prose import ProseFigure, check_figures

    try:
        figures = [ProseFigure(**item) for item in report["prose_figures"]]
    except TypeError:
        return []
    return [*check_figures(figures), *check_prose_against_tables(report["prose_figures"], report)]


@register
class Parse(Subcommand):
    """Read a published report and print its figures as JSON."""

    name = "parse"
    help = "读取已发布的年度报告（文本、HTML、DOCX 或文本型 PDF），输出 JSON"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare FILE and --compact."""
        parser.add_argument("file", help="报告文件；“-”表示从标准输入读取")
        parser.add_argument("--compact", action="store_true", help="不缩进输出 JSON")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Parse the file, print the JSON, and summarise gaps and failures on stderr."""
        from ..parsing import parse_report

        path = options["file"]
        try:
            data = _read(path)
        except OSError as exc:
            err.write(f"无法读取文件 {path}：{exc}\n")
            return 2
        result = parse_report(data, None if path == "-" else path)
        out.write(
            json.dumps(
                result.to_json(), ensure_ascii=False, indent=None if options["compact"] else 2
            )
        )
        out.write("\n")
        err.write(
            f"格式：{result.format or '未知'}；机关：{result.agency_name or '未找到'}；"
            f"年度：{result.year or '未找到'}\n"
        )
        for item in result.not_found:
            err.write(f"未找到：{item}\n")
        for failure in result.checks:
            err.write(f"{'错误' if failure.is_hard else '提示'}：{failure.message}\n")
        return 0


@register
class Check(Subcommand):
    """Run the identities on a JSON report; non-zero exit when a hard identity fails."""

    name = "check"
    help = "核对 JSON 报告的勾稽关系；硬性等式不成立时以非零状态退出"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare FILE and --previous."""
        parser.add_argument("file", help="JSON 报告文件；“-”表示从标准输入读取")
        parser.add_argument("--previous", help="上一年度的 JSON 报告（核对 S1–S3 跨年关系）")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Validate, run the checks, print each failure; exit 1 on a hard failure, 2 if invalid."""
        try:
            report = load_report(_read(options["file"]), partial=True)
            previous = (
                load_report(_read(options["previous"]), partial=True)
                if options.get("previous")
                else None
            )
        except OSError as exc:
            err.write(f"无法读取文件：{exc}\n")
            return 2
        except ReportValidationError as exc:
            for message in exc.errors:
                err.write(f"格式错误：{message}\n")
            return 2
        failures = run_checks(report, previous)
        if isinstance(report.get("prose_figures"), list):  # the output of `report parse`
            failures += _prose_checks(report)
        for failure in failures:
            out.write(
                f"{'错误' if failure.is_hard else '提示'}\t{failure.code}\t{failure.message}\n"
            )
        hard = has_hard_failure(failures)
        if not failures:
            err.write("全部勾稽关系成立。\n")
        else:
            n_hard = sum(1 for f in failures if f.is_hard)
            err.write(f"共{len(failures)}项不符，其中硬性等式{n_hard}项。\n")
        return 1 if hard else 0
