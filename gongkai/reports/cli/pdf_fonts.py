"""``gongkai report pdf-fonts``: cut the CJK fonts of the PDF exports down once (see
:mod:`gongkai.reports.builders.pdffonts`)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from gongkai.reports.builders import pdffonts

from . import Subcommand, register


@register
class PdfFonts(Subcommand):
    """Build the pre-subset faces into VAR_DIR/fonts (kept if already built)."""

    name = "pdf-fonts"
    help = "为PDF导出预先裁剪中文字体（GB2312常用字），每种字体约半分钟，已生成的保留"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare --force."""
        parser.add_argument("--force", action="store_true", help="重新生成已有的字体文件")

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Build and list the files written."""
        missing = [f.source for f in pdffonts.FACES if pdffonts.source_path(f) is None]
        if missing:
            err.write("未安装的字体（PDF将使用系统字体）：" + "、".join(missing) + "\n")
        for path in pdffonts.build(force=options["force"]):
            out.write(f"{path}\n")
        return 0
