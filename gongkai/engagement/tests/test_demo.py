"""The demo city's gazette and engagement: two years of issues, consultations with feedback,
interviews and press conferences — and the 2025 report states them."""

from __future__ import annotations

import pytest

from gongkai.catalog.models import CatalogItem
from gongkai.engagement.demo import build_engagement_demo
from gongkai.engagement.models import Consultation
from gongkai.gazette.demo import build_gazette_demo
from gongkai.gazette.models import GazetteIssue
from gongkai.gazette.tests.factories import make_documents
from gongkai.reports.compute import compute_report
from gongkai.reports.narrative import draft


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.django_db
def test_demo_builds_two_years_and_the_report_states_them(tree):
    """Five issues over 2024–2025 (a 增刊, a 更正), three concluded consultations; only once."""
    docs = make_documents([tree.city, tree.office, tree.dept_a], 5)
    more = make_documents([tree.dept_b], 5)
    CatalogItem.objects.filter(pk__in=[d.pk for d in docs]).update(published_year=2024)
    CatalogItem.objects.filter(pk__in=[d.pk for d in more]).update(published_year=2025)
    assert build_gazette_demo(tree.city) >= 3
    assert build_engagement_demo(tree.city, tree.office) == 3
    assert {i.year for i in GazetteIssue.objects.all()} == {2024, 2025}
    assert all(c.is_concluded for c in Consultation.objects.all())
    assert build_gazette_demo(tree.city) == 0 and build_engagement_demo(tree.city, tree.office) == 0
    text = draft(compute_report(tree.city, 2025, consolidated=False))["一"]
    assert "召开新闻发布会2场，开展在线访谈2次" in text
    assert "就2件草案公开征求意见，收到并受理意见8条，其中采纳4条、部分采纳2条、未采纳2条" in text
    assert "编印《测试市人民政府公报》" in text
