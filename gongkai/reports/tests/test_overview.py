"""Section 一's figures from the record: 公报, 解读, 发布会/访谈, 征求意见, 信箱, 热线 — in the
drafted narrative, for one agency and consolidated up the tree."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.catalog.choices import Genre
from gongkai.catalog.tests.factories import make_published
from gongkai.core.actors import SYSTEM
from gongkai.engagement.choices import InteractionKind
from gongkai.engagement.services import hotline_count_record, interaction_record
from gongkai.gazette.choices import IssueKind
from gongkai.gazette.services import issue_publish
from gongkai.gazette.tests.factories import make_documents, make_issue
from gongkai.reports.choices import Scope
from gongkai.reports.narrative import engagement_sentences, gazette_sentences
from gongkai.reports.overview import overview_figures
from gongkai.reports.services import report_start


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_sentences_only_for_what_happened():
    """No sentence for a figure that is zero; shares with two decimals."""
    assert gazette_sentences({"gazette": {"issues": 0}}, 2025) == []
    assert engagement_sentences({}) == []
    text = gazette_sentences(
        {
            "gazette_name": "茂名市人民政府公报",
            "gazette": {"issues": 12, "extra_issues": 0, "copies": 48000, "documents": 71},
        },
        2016,
    )[0]
    assert text.startswith("2016年编印《茂名市人民政府公报》12期，共印发48000册，刊登文件71份")
    lines = engagement_sentences(
        {
            "interpretations": 61,
            "engagement": {"press_conferences": 3, "messages": 1172, "messages_replied": 1151},
        }
    )
    assert lines[0] == "全年发布政策解读61篇，召开新闻发布会3场。"
    assert lines[1] == "政务信箱收到留言1172件，已答复1151件，办结率98.21%。"


@pytest.mark.django_db
def test_report_narrative_states_the_counts_own_and_consolidated(tree, settings):
    """The 2025 report of the city government states its gazette and engagement figures; the
    consolidated report adds the district's."""
    settings.GONGKAI_REQUIRE_2FA = False
    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="ov_handler")
    head = make_staff(tree.city, Role.HEAD, sub=True, username="ov_head")
    docs = make_documents([tree.city, tree.office], 3)
    for kind, run in [(IssueKind.REGULAR, 4000), (IssueKind.SUPPLEMENT, 1000)]:
        issue_publish(
            by=head, issue=make_issue(tree.city, docs, by=handler, kind=kind, print_run=run)
        )
    district_doc = make_published(tree.district, title="东区文件", doc_number="东府〔2025〕1号")
    issue_publish(
        by=head, issue=make_issue(tree.district, [district_doc], by=handler, print_run=600)
    )
    make_published(tree.city, title="《实施方案》政策解读", genre=Genre.INTERPRETATION)
    for agency in (tree.city, tree.city, tree.district):
        interaction_record(
            by=SYSTEM, agency=agency, kind=InteractionKind.PRESS_CONFERENCE,
            held_on=dt.date(2025, 5, 1), topic="新闻发布会",
        )  # fmt: skip
    hotline_count_record(by=SYSTEM, agency=tree.city, year=2025, referred=100, completed=90, source="12345热线系统")  # fmt: skip
    own = report_start(by=handler, agency=tree.city, year=2025)
    text = own.narrative["一"]
    assert (
        "2025年编印《测试市人民政府公报》2期（其中增刊、特刊1期），共印发5000册，刊登文件6份"
        in text
    )
    assert "召开新闻发布会2场" in text
    assert "热线转办工单100件，办结90件，办结率90.00%" in text
    this_year = overview_figures(tree.city, docs[0].published_on.year, consolidated=False)
    assert this_year["interpretations"] == 1  # counted in the year it was published
    figures = own.data["figures"]["overview"]
    assert figures["gazette"]["issues"] == 2 and figures["engagement"]["press_conferences"] == 2
    total = report_start(by=handler, agency=tree.city, year=2025, scope=Scope.CONSOLIDATED)
    assert "3期（其中增刊、特刊1期），共印发5600册，刊登文件7份" in total.narrative["一"]
    assert "召开新闻发布会3场" in total.narrative["一"]
