"""``gongkai catalog import|demo|publish_due``: the catalogue's command-line tools."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.catalog.demo import build_catalog_demo
from gongkai.catalog.importer import import_catalog
from gongkai.catalog.services import publish_due
from gongkai.core.tabular import TableFormatError


class Command(BaseCommand):
    help = (
        "政府信息公开目录：迁移导入（import）、演示数据（demo）、发布到期的定时信息（publish_due）"
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="从旧网站导出的 XLSX/CSV 导入目录（先校验全部行）")
        imp.add_argument("file")
        imp.add_argument("--files", help="附件所在目录")
        sub.add_parser("demo", help="为演示城市生成目录数据（目录为空时）")
        sub.add_parser("publish_due", help="发布已到时间的定时发布信息（可由定时任务每分钟调用）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "demo":
            if not build_catalog_demo(stdout=self.stdout):
                self.stdout.write("目录已有数据（或尚无机关），未生成演示目录。")
        elif action == "publish_due":
            self.stdout.write(f"已发布 {publish_due()} 条定时信息。")
        else:
            self._import(options["file"], options.get("files"))

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        phase = "校验" if done * 2 <= total else "导入"
        self.stdout.write(
            f"\r{phase} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        self.stdout.flush()

    def _import(self, path: str, files: str | None) -> None:
        try:
            result = import_catalog(path, files=files, progress=self._progress)
        except TableFormatError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        if result.errors:
            for row, problem in result.errors:
                self.stderr.write(f"第{row}行：{problem}")
            raise CommandError(
                f"共 {len({r for r, _ in result.errors})} 行有问题，未导入任何数据。请修改后重新导入。"
            )
        self.stdout.write(
            f"已导入 {result.imported} 条；错敏检测发现 {result.findings} 处待处理的问题。"
        )
