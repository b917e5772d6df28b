"""``gongkai report compare EARLIER LATER``: two reports of one agency side by side."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from . import Subcommand, register


@register
class Compare(Subcommand):
    """Print every cell's change (largest first) and the paragraph changes, as JSON."""

    name = "compare"
    help = "年度对比：两份年度报告逐格比较（变化量和百分比，变化大的在前），正文逐段比较"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the two files and --changed."""
        parser.add_argument("earlier", help="较早年度的报告文件")
        parser.add_argument("later", help="较晚年度的报告文件")
        parser.add_argument("--changed", action="store_true", help="只列出有变化的单元格")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Compare and print."""
        from ..compare import compare_reports

        try:
            a, b = Path(options["earlier"]), Path(options["later"])
            comparison = compare_reports(a.read_bytes(), b.read_bytes(), (a.name, b.name))
        except OSError as exc:
            err.write(f"无法读取文件：{exc}\n")
            return 2
        data = comparison.to_dict()
        if options["changed"]:
            data["cells"] = [c for c in data["cells"] if c["change"]]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        if comparison.before["agency"] != comparison.after["agency"]:
            err.write("注意：两份报告的机关名称不同\n")
        return 0
