"""``gongkai report check-batch DIR --year Y``: 年报评查 of a folder of published reports."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from . import Subcommand, register


@register
class CheckBatch(Subcommand):
    """Review every report under a folder; print one row per report (JSON) or write XLSX."""

    name = "check-batch"
    help = "年报评查：逐份读取文件夹中的年度报告，输出每个机关的问题清单（JSON 或 XLSX）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare DIR, --year, --xlsx and --workers."""
        parser.add_argument("dir", help="报告所在文件夹（含子文件夹）")
        parser.add_argument("--year", type=int, default=None, help="只列出该年度的报告")
        parser.add_argument("--xlsx", default=None, help="另存为 XLSX 文件")
        parser.add_argument("--workers", type=int, default=None, help="并行进程数")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Review the folder; progress on stderr, the rows on stdout."""
        from ..batch import read_dir, review_files, to_xlsx

        folder = Path(options["dir"])
        if not folder.is_dir():
            err.write(f"找不到文件夹 {folder}\n")
            return 2
        items = read_dir(folder)
        if not items:
            err.write(f"文件夹 {folder} 中没有可读取的报告文件\n")
            return 2

        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                err.write(f"已读取 {done}/{total}\n")

        rows = review_files(
            items, year=options["year"], workers=options["workers"], progress=progress
        )
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(to_xlsx(rows))
        out.write(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        out.write("\n")
        problems = sum(1 for r in rows if r.problems)
        err.write(f"共 {len(rows)} 份报告，{problems} 份有问题\n")
        return 1 if problems else 0
