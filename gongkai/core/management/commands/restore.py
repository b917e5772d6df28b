"""``gongkai restore FILE``: verify a backup and restore it into an empty instance."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "校验备份并恢复到空实例"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复并校验 {len(manifest['members'])} 个文件（备份时间 {manifest['created_at']}）。"
        )
