"""The demo city's 2025 annual reports: computed from the record, written, reviewed, published.

Every agency's own report and every government's 汇总 report go through the report services
(start, narrative, submit, review, approve) in the name of the city's 机关管理员, whose role
covers the whole tree (docs/report-roles.md). The narrative gaps that only an office can fill
are filled with plausible prose of that office. Each agency publishes on a plausible day:
most some days before the statutory deadline (31 January for a department, 31 March for a
government, REG2019 Art. 49), about one in nine some weeks after it, so the scorecard's
年度报告按时发布 has late units to show; a government's 汇总 report comes out with its own.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gongkai.accounts.models import User
from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.models import Agency
from gongkai.catalog.choices import PortalColumn
from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor
from gongkai.reports import services as s
from gongkai.reports.choices import Scope
from gongkai.reports.models import AnnualReport
from gongkai.reports.narrative import GAP_CLOSE, GAP_OPEN
from gongkai.reports.selectors import statutory_deadline
from gongkai.search.services import record_changes

YEAR = 2025
#: The demo's fixed seed (decision 1503), and one report in this many published late.
SEED = 2026
LATE_ONE_IN = 9
#: What the office writes where the draft leaves a gap (keyed by the start of the gap's hint).
FILL = {
    "主动公开工作的主要做法": "{name}围绕重点领域信息公开，及时发布政策文件并同步开展政策解读，"
    "对社会关切的热点问题通过新闻发布会和政务新媒体作出回应",
    "政府信息管理工作情况": "{name}落实公开属性源头认定制度，公文拟制时同步确定公开属性；"
    "信息发布前严格履行保密审查程序，并对现行有效的规范性文件开展清理",
    "政府网站、政务新媒体": "{name}依托政府门户网站政府信息公开专栏集中发布信息，"
    "政务新媒体同步推送，查阅点全年正常开放",
    "工作考核、社会评议": "{name}将政府信息公开工作纳入年度绩效考核，组织业务培训两次，"
    "全年未发生责任追究情况",
    "上年问题逐项改进的情况": "针对上年度依申请公开答复文书不够规范的问题，{name}统一使用平台文书模板，"
    "答复文书均经审核后制发",
    "本年工作中存在的主要问题及改进措施": "政策解读形式还不够丰富，部分信息更新不够及时。"
    "下一步，{name}将丰富图解、视频等解读形式，建立信息更新提醒机制",
    "本年度政务公开工作要点的落实情况": "{name}按照年度政务公开工作要点，逐项分解任务并按期完成",
    "人大代表建议和政协提案办理结果公开情况": "{name}承办的人大代表建议和政协提案办理复文均已按规定公开",
    "政务公开工作创新情况": "{name}推行依申请公开全流程线上办理，申请人可在线查询办理进度",
}
GAP = re.compile(re.escape(GAP_OPEN) + "(.*?)" + re.escape(GAP_CLOSE), re.S)


def fill_gaps(narrative: dict[str, str], agency: Agency) -> dict[str, str]:
    """The narrative with every 【请填写：…】 replaced by the office's own prose."""

    def text(match: re.Match[str]) -> str:
        hint = match.group(1)
        for key, prose in FILL.items():
            if hint.startswith(key):
                return prose.format(name=agency.short_name or agency.name)
        return f"{agency.short_name or agency.name}已按要求落实{hint}"

    return {key: GAP.sub(text, value or "") for key, value in narrative.items()}


def publication_date(agency: Agency, year: int, rng: random.Random, today: dt.date) -> dt.date:
    """The day the agency publishes its report of ``year``: most 0–20 days before the statutory
    deadline, one in :data:`LATE_ONE_IN` 3–45 days after it; never after ``today``."""
    due = statutory_deadline(agency, year)
    if rng.randrange(LATE_ONE_IN) == 0:
        on = due + dt.timedelta(days=rng.randrange(3, 46))
    else:
        on = due - dt.timedelta(days=rng.randrange(0, 21))
    return min(on, today)


def publish(
    *,
    by: Actor,
    agency: Agency,
    scope: str = Scope.OWN,
    year: int = YEAR,
    on: dt.date | None = None,
) -> Any:
    """Open, write, submit, review and publish one report (on ``on``, default today); return it."""
    report = s.report_start(by=by, agency=agency, year=year, scope=scope)
    report = s.report_edit_narrative(
        by=by, report=report, sections=fill_gaps(report.narrative, agency)
    )
    report = s.report_submit(by=by, report=report)
    report = s.report_review(by=by, report=report, passed=True, comment="数据与台账核对一致。")
    return s.report_approve(by=by, report=report, comment="同意发布。", today=on)


def build_reports_demo(*, year: int = YEAR) -> int:
    """Every agency's own report and every government's 汇总 report for ``year``, published."""
    admin = User.objects.filter(username="bgs_admin").first()
    if admin is None:
        return 0
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(is_active=True).order_by("-depth", "path"))
    dates = {a.pk: publication_date(a, year, rng, today) for a in agencies}
    for agency in agencies:
        publish(by=admin, agency=agency, year=year, on=dates[agency.pk])
    governments = [a for a in agencies if a.kind == AgencyKind.GOVERNMENT]
    for government in governments:  # deepest first: a county's 汇总 before the city's
        publish(
            by=admin,
            agency=government,
            scope=Scope.CONSOLIDATED,
            year=year,
            on=dates[government.pk],
        )
    link_catalogue_documents(year)
    return len(agencies) + len(governments)


def link_catalogue_documents(year: int = YEAR) -> int:
    """Give the catalogue's annual-report documents of ``year`` the published report's 总体情况
    and a link to the report's page (a government's 汇总 report, a department's own)."""
    reports = (
        AnnualReport.objects.published()
        .filter(year=year)
        .select_related("agency", "published_version")
        .order_by("scope")  # CONSOLIDATED before OWN
    )
    done: set[int] = set()
    for report in reports:
        if report.agency_id in done:
            continue
        done.add(report.agency_id)
        title = f"{report.agency.name}{year}年政府信息公开工作年度报告"
        overview = report.published.narrative.get("一") or ""
        url = reverse("annual_reports:detail", args=[report.pk])
        body = "<p>一、总体情况</p>" + "".join(
            f"<p>{escape(line)}</p>" for line in overview.splitlines() if line.strip()
        )
        body += f'<p>报告全文及统计表见<a href="{url}">{escape(title)}</a>。</p>'
        items = CatalogItem.objects.filter(
            agency=report.agency, title=title, portal_column=PortalColumn.ANNUAL_REPORT
        )
        pks = list(items.values_list("pk", flat=True))
        items.update(body=body)
        record_changes("catalog", pks)  # a bulk write: the search index is told itself
    return len(done)
