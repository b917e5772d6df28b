"""The scorecard: the default indicator set, ratios from the record, ranking with ties, each
score's figures, configurable weights (audited), and the export read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.choices import Result, Status
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_application
from gongkai.catalog.choices import PortalColumn
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import make_published
from gongkai.core.actors import SYSTEM
from gongkai.core.models import AuditEvent
from gongkai.reports import services as report_services
from gongkai.supervision import scorecard
from gongkai.supervision.choices import IndicatorKind as K
from gongkai.supervision.models import Task
from gongkai.supervision.tests.office_urls import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(tree):
    return make_staff(tree.office, Role.HANDLER, username="city_handler")


@pytest.fixture
def record(tree, staff):
    """Dept B: one case concluded late and an overdue task; dept A: one concluded on time."""
    old = timezone.localdate() - dt.timedelta(days=60)
    late = make_application(tree.dept_b, staff["handler_b"], received_on=old)
    ok = make_application(tree.dept_a, staff["handler_a"], received_on=old)
    for app, due in (
        (late, timezone.localdate() - dt.timedelta(1)),
        (ok, timezone.localdate() + dt.timedelta(1)),
    ):
        Application.objects.filter(pk=app.pk).update(
            status=Status.CLOSED,
            result=Result.R1_OPEN,
            closed_on=timezone.localdate(),
            reply_due_on=due,
        )
    task = make_task(tree.dept_b, tree.office)
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(1))


def _card(cards, agency):
    return next(c for c in cards if c.agency == agency)


def test_default_set_totals_100_and_scores_come_from_the_record(tree, record):
    """Dept B loses the on-time and task points; dept A only the report and publication ones."""
    assert sum(w for w, _t in scorecard.DEFAULTS.values()) == 100
    cards = scorecard.compute(tree.office, timezone.localdate().year, today=timezone.localdate())
    assert tree.office not in [c.agency for c in cards]  # the assessor is not scored
    a, b = _card(cards, tree.dept_a), _card(cards, tree.dept_b)
    parts_b = {p.kind: p for p in b.parts}
    assert parts_b[K.ON_TIME].points == 0 and parts_b[K.ON_TIME].basis == "按时办结 0/1"
    assert parts_b[K.TASKS_DONE].points == 0 and "0/1" in parts_b[K.TASKS_DONE].basis
    parts_a = {p.kind: p for p in a.parts}
    assert parts_a[K.ON_TIME].points == 20 and parts_a[K.TASKS_DONE].points == 15
    assert parts_a[K.COLUMNS_FRESH].basis == "按要求更新的栏目 无有更新要求的栏目，按满分计"
    assert parts_a[K.REPORT_ON_TIME].points == 0  # no report of last year published
    assert parts_a[K.PUBLISHED].basis == "发布 0 条（满分 12 条）"
    assert a.total - b.total == 35
    assert a.rank < b.rank
    ranks = [c.rank for c in cards]
    assert ranks == sorted(ranks) and ranks[0] == 1
    same = [c for c in cards if c.total == a.total]
    assert len({c.rank for c in same}) == 1  # ties share a rank


def test_weights_are_configurable_per_year_and_audited(tree, city, staff, record):
    """Saving weights replaces the default set for that year only; 0 drops an indicator."""
    values = dict.fromkeys(K.values, (0, 0)) | {K.ON_TIME: (60, 0), K.PUBLISHED: (40, 1)}
    scorecard.indicators_set(
        by=city, office=tree.office, year=timezone.localdate().year, values=values
    )
    cards = scorecard.compute(tree.office, timezone.localdate().year, today=timezone.localdate())
    assert [p.kind for p in cards[0].parts] == [K.ON_TIME, K.PUBLISHED]
    assert _card(cards, tree.dept_b).total == 0
    assert (
        len(
            scorecard.compute(
                tree.office, timezone.localdate().year - 1, today=timezone.localdate()
            )[0].parts
        )
        == 9
    )
    audit = AuditEvent.objects.filter(action="supervision.indicators").get()
    assert audit.after["indicators"][K.ON_TIME] == [60, 0]
    with pytest.raises(PermissionDenied):
        scorecard.indicators_set(by=staff["head_a"], office=tree.office, year=2026, values=values)
    with pytest.raises(ValidationError):
        scorecard.indicators_set(
            by=city, office=tree.office, year=2026, values=dict.fromkeys(K.values, (0, 0))
        )


def test_pages_rank_open_figures_and_export(tree, city, staff, record):
    """The ranking links each score to its figures; the form saves; the export reads back."""
    client = Client()
    client.force_login(city)
    page = client.get(reverse("supervision:scorecard")).content.decode()
    unit_url = reverse("supervision:scorecard_unit", args=[tree.dept_b.pk])
    assert unit_url in page
    detail = client.get(unit_url).content.decode()
    assert "按时办结 0/1" in detail
    form = {f"weight_{k}": 10 for k in K.values} | {f"target_{K.PUBLISHED}": 5}
    assert client.post(reverse("supervision:indicators"), form).status_code == 302
    bad = client.post(reverse("supervision:indicators"), form | {f"weight_{K.ON_TIME}": -1})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("supervision:scorecard_export")).content)
        ).active.values
    )
    assert rows[0][:3] == ("名次", "单位", "总分") and rows[0][3] == "依申请公开按时办结（10分）"
    b = next(r for r in rows if r[1] == tree.dept_b.name)
    assert b[3] == 0 and b[4] == "按时办结 0/1"
    other = Client()
    other.force_login(staff["handler_a"])
    assert other.get(reverse("supervision:scorecard")).status_code == 404


def test_pages_in_english_put_a_space_between_number_and_unit(tree, city, record):
    """Weights read "20 points", months "Month 1", the day-of-month field "Day" (not "days")."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city)
    ranking = client.get(reverse("supervision:scorecard")).content.decode()
    assert "（20 points）" in ranking
    board = client.get(reverse("supervision:index")).content.decode()
    assert "Month 1<" in board and "Month 12<" in board
    rules = client.get(reverse("supervision:column_rules")).content.decode()
    assert '<th scope="col">Day</th>' in rules and ">days<" not in rules
    for page in (ranking, board, rules):
        assert not re.search(r"\d(days?|copies|points?|Month)\b", page)
    export = load_workbook(io.BytesIO(client.get(reverse("supervision:scorecard_export")).content))
    assert "（20 points）" in next(export.active.values)[3]
    sheets = load_workbook(io.BytesIO(client.get(reverse("supervision:dashboard_export")).content))
    months = [ws for ws in sheets.worksheets if "Month 1" in next(ws.values)]
    assert months and "Month 12" in next(months[0].values)
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    chinese.force_login(city)
    assert "（20分）" in chinese.get(reverse("supervision:scorecard")).content.decode()


def test_report_checks_and_guide_indicators_come_from_the_record(tree, staff):
    """The district's report of last year adds up (full points); dept B's imported one breaks a
    hard identity (0, its messages shown); dept A published none. Dept A's guide was published
    this year; dept B's only last year."""
    last = timezone.localdate().year - 1
    data = report_services.report_start(by=staff["handler_a"], agency=tree.dept_a, year=last).data
    report_services.report_import(by=SYSTEM, agency=tree.district, year=last, data=data)
    broken = json.loads(json.dumps(data))
    broken["table3"][0]["values"][0] += 1
    _report, failures = report_services.report_import(
        by=SYSTEM, agency=tree.dept_b, year=last, data=broken
    )
    assert any(f.is_hard for f in failures)
    make_published(
        tree.dept_a, title="测试市甲局政府信息公开指南", portal_column=PortalColumn.RULES
    )
    old = make_published(
        tree.dept_b, title="测试市乙局政府信息公开指南", portal_column=PortalColumn.RULES
    )
    CatalogItem.objects.filter(pk=old.pk).update(
        published_on=dt.date(last, 3, 1), published_year=last
    )
    make_published(tree.district, title="关于做好政府信息公开指南宣传的通知")  # not the guide
    cards = {c.agency: {p.kind: p for p in c.parts} for c in scorecard.compute(
        tree.office, timezone.localdate().year, today=timezone.localdate()
    )}  # fmt: skip
    assert cards[tree.district][K.REPORT_PASSES].points == 10
    assert cards[tree.district][K.REPORT_PASSES].basis == "上年度报告通过体检"
    b = cards[tree.dept_b][K.REPORT_PASSES]
    assert b.points == 0 and "勾稽关系不成立" in b.basis and b.details
    assert cards[tree.dept_a][K.REPORT_PASSES].basis == "上年度报告未发布，无法体检"
    assert cards[tree.dept_a][K.GUIDE_UPDATED].points == 5
    assert cards[tree.dept_b][K.GUIDE_UPDATED].points == 0
    assert cards[tree.district][K.GUIDE_UPDATED].points == 0
    assert f"{timezone.localdate().year}年未发布或修订" in cards[tree.dept_b][K.GUIDE_UPDATED].basis
    client = Client()
    client.force_login(make_staff(tree.office, Role.HANDLER, username="city_handler"))
    detail = client.get(
        reverse("supervision:scorecard_unit", args=[tree.dept_b.pk])
    ).content.decode()
    assert "年度报告通过体检" in detail and b.details[0] in detail


def test_scorecard_from_the_aggregates_equals_a_recount_from_the_records(tree, staff, record):
    """Every unit's parts (ratio, basis) read from the maintained aggregates are those counted
    directly from the records: applications, a decided review, published and late items."""
    make_published(tree.dept_a, title="年度预算公开")
    make_published(tree.district, title="政策解读")
    last = timezone.localdate() - dt.timedelta(days=30)
    corrected = make_application(tree.dept_a, staff["handler_a"], received_on=last)
    Application.objects.filter(pk=corrected.pk).update(
        status=Status.CLOSED,
        result=Result.R1_OPEN,
        closed_on=timezone.localdate(),
        reply_due_on=timezone.localdate(),
    )
    fast = scorecard.compute(tree.office, timezone.localdate().year, today=timezone.localdate())
    slow = scorecard.compute(
        tree.office, timezone.localdate().year, today=timezone.localdate(), recount=True
    )

    def parts(cards):
        return {
            c.agency.pk: [(p.kind, p.ratio, p.basis) for p in c.parts] + [c.rank] for c in cards
        }

    assert parts(fast) == parts(slow)
    a = _card(fast, tree.dept_a)
    assert {p.kind: p for p in a.parts}[K.PUBLISHED].basis == "发布 1 条（满分 12 条）"
    assert {p.kind: p for p in a.parts}[K.ON_TIME].basis == "按时办结 2/2"
