"""``gongkai audit verify``: check the audit trail's hash chain."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.audit import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计日志哈希链")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"OK：共 {result.count} 条审计记录，哈希链完整。")
            return
        raise CommandError(
            f"审计日志被篡改：第 {result.broken_seq} 条记录 — {result.reason}", returncode=1
        )
