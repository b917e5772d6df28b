"""The demo city, built once through ``gongkai demo``: what the supervision pages and the portal
show of it (a late budget under the event-tied rule, the scorecard's report and guide
indicators with a spread — a few reports published late —, annual-report documents with a body)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.models import Agency
from gongkai.catalog.choices import PortalColumn, StatutoryItem
from gongkai.catalog.models import CatalogItem
from gongkai.reports.demo import YEAR as REPORT_YEAR
from gongkai.reports.models import AnnualReport
from gongkai.supervision import freshness, scorecard
from gongkai.supervision.choices import IndicatorKind as K
from gongkai.supervision.choices import RuleKind

pytestmark = pytest.mark.django_db


def test_demo_city_has_late_budget_report_checks_guides_and_report_bodies(capsys):
    call_command("demo")
    capsys.readouterr()
    office = Agency.objects.get(is_disclosure_office=True, parent__parent__isnull=True)
    rules = freshness.rules_of(office)
    budget = next(r for r in rules if r.statutory_item == StatutoryItem.BUDGET)
    assert budget.kind == RuleKind.AFTER_EVENT and budget.days == 20
    root = Agency.objects.get(parent=None)
    stale = freshness.stale_columns(root, rules, timezone.localdate())
    late = [s for s in stale if s["rule"].after_event]
    assert [s["agency"].name for s in late] == [
        a.name for a in Agency.objects.filter(name__endswith="教育局", is_active=True)[:1]
    ]
    cards = scorecard.compute(office, timezone.localdate().year, today=timezone.localdate())
    guide = [c.parts[[p.kind for p in c.parts].index(K.GUIDE_UPDATED)].points for c in cards]
    assert 0 < guide.count(0) < len(cards) / 2  # most units updated their guide this year
    after = scorecard.compute(
        office, REPORT_YEAR + 1, today=timezone.localdate()
    )  # the demo's reports
    checks = [p for c in after for p in c.parts if p.kind == K.REPORT_PASSES]
    assert checks and all(p.basis == "上年度报告通过体检" for p in checks)
    # 年度报告按时发布: most units published their report by the deadline, a few after it
    on_time = [p.points for c in after for p in c.parts if p.kind == K.REPORT_ON_TIME]
    assert len(on_time) == len(after)
    assert 0 < on_time.count(0) < len(after) / 4
    assert len({c.total for c in after}) > 1

    documents = CatalogItem.objects.filter(portal_column=PortalColumn.ANNUAL_REPORT)
    assert documents.exists() and not documents.filter(body="").exists()
    report = (
        AnnualReport.objects.published()
        .filter(agency__parent=root, agency__kind=AgencyKind.DEPARTMENT)
        .first()
    )
    assert report is not None
    item = documents.get(agency=report.agency, title__contains=f"{report.year}年政府信息公开")
    page = Client().get(reverse("portal:catalog_item", args=[item.pk])).content.decode()
    assert reverse("annual_reports:detail", args=[report.pk]) in page
    assert "一、总体情况" in page and "主动公开" in page
    older = documents.filter(agency=report.agency).exclude(pk=item.pk).first()
    assert older is not None and "主动公开政府信息" in older.body and "条" in older.body
