"""``gongkai backup [--output FILE]``: back up the database and uploaded files."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和上传文件（压缩、带校验和）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="备份文件路径（默认 var/backups/gongkai-时间.tar.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(
            options["output"]
            or settings.VAR_DIR / "backups" / f"gongkai-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            result = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份：{result.path}（{result.files} 个文件，{result.size} 字节）")
