"""``gongkai letters verify-archive FILE``: check a case archive's hashes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.letters.archive import verify_zip
from gongkai.letters.models import CaseArchive


class Command(BaseCommand):
    help = "告知书与归档：verify-archive 校验归档文件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify-archive", help="校验归档 ZIP 中每个文件的 SHA-256")
        verify.add_argument("file", help="归档 ZIP 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify-archive":
            self._verify(options["file"])

    def _verify(self, path: str) -> None:
        check = verify_zip(path)
        if not check.ok:
            where = f"{check.member}：" if check.member else ""
            raise CommandError(f"校验失败：{where}{check.reason}", returncode=1)
        self.stdout.write(
            f"OK：{check.checked} 个文件的 SHA-256 与清单一致；清单 SHA-256 {check.manifest_sha256}"
        )
        registered = self._registered(check)
        if registered:
            self.stdout.write(registered)

    def _registered(self, check: Any) -> str:
        """Compare with the platform's record of the archive, when the database is reachable."""
        from django.db import DatabaseError

        archive_id = (check.manifest or {}).get("archive_id")
        if not archive_id:
            return ""
        try:
            record = CaseArchive.objects.filter(uid=archive_id).first()
        except (DatabaseError, ValueError):
            return ""
        if record is None:
            return "提示：本平台没有该归档的登记记录。"
        if record.manifest_sha256 != check.manifest_sha256:
            raise CommandError(
                "校验失败：manifest.json：清单与平台登记的 SHA-256 不一致", returncode=1
            )
        return "与平台登记的归档记录一致。"
