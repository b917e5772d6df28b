"""``gongkai demo``: build the deterministic demo city (only into an empty platform)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongkai.agencies.demo import DEMO_PASSWORD, build_demo
from gongkai.agencies.models import Agency
from gongkai.applications.demo import build_applications_demo
from gongkai.engagement.demo import build_engagement_demo
from gongkai.gazette.demo import build_gazette_demo
from gongkai.reports.demo import build_reports_demo
from gongkai.responses.demo import build_response_demo


class Command(BaseCommand):
    help = "生成演示数据（临江市：约100个机关和各角色工作人员）"

    def handle(self, *args: Any, **options: Any) -> None:
        logins = build_demo()
        if not logins:
            self.stdout.write("平台已有机关数据，未生成演示数据。")
            return
        self.stdout.write(f"已生成演示数据。演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.roles}")
        call_command("catalog", "demo", stdout=self.stdout)
        self._engagement()

        made = build_applications_demo()
        self.stdout.write(
            f"已生成演示申请：台账导入 {made['imported']} 件，在办和流转中 {made['walked']} 件，"
            f"行政复议和诉讼 {made['appeals']} 件。"
        )
        self.stdout.write(f"已编制并发布2025年度报告 {build_reports_demo()} 份（含汇总报告）。")
        build_response_demo(stdout=self.stdout)
        call_command("supervision", "demo", stdout=self.stdout)

    def _engagement(self) -> None:
        """The city's gazette (two years) and public engagement, from the demo catalogue."""
        city = Agency.objects.filter(parent=None).first()
        unit = city.children.filter(is_disclosure_office=True).first() if city else None
        if city is None or unit is None:
            return
        issues = build_gazette_demo(city)
        consultations = build_engagement_demo(city, unit)
        self.stdout.write(f"政府公报{issues}期，征求意见{consultations}次（含采纳情况）。")
