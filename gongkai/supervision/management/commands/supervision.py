"""``gongkai supervision remind [--date YYYY-MM-DD]``: remind before 督办 deadlines, escalate after.

Run it daily from cron (or the worker's scheduler through ``supervision.tasks``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.supervision.demo import PASSWORD, build_supervision_demo
from gongkai.supervision.services import remind_and_escalate


class Command(BaseCommand):
    help = "督办：时限前催办提醒，逾期未反馈的报送被督办单位负责人"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="催办提醒与逾期报送")
        remind.add_argument("--date", help="按此日期计算（默认今天）")
        sub.add_parser("demo", help="为演示城市生成督办演示数据")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "demo":
            self.demo()
            return

        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        counts = remind_and_escalate(today=today)
        self.stdout.write(
            f"催办提醒 {counts['reminded']} 件，逾期报送负责人 {counts['escalated']} 件。"
        )

    def demo(self) -> None:

        logins = build_supervision_demo()
        if not logins:
            self.stdout.write("督办演示数据已存在或缺少演示城市，未生成。")
            return
        self.stdout.write(f"已生成督办演示数据。演示账号（密码均为 {PASSWORD}）：")
        for username, roles in logins:
            self.stdout.write(f"  {username:<14} {roles}")
