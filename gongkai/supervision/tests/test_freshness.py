"""Freshness of the statutory columns: the rules (yearly by a date, every N days), the units and
columns out of date on the dashboard and 督办-able, the 第二十六条 late items per unit, and the
office's own rules (audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.catalog.choices import ItemStatus, StatutoryItem
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import make_item, make_published, publish
from gongkai.core.models import AuditEvent
from gongkai.supervision import dashboard, freshness
from gongkai.supervision.choices import RuleKind, Source
from gongkai.supervision.freshness import Rule
from gongkai.workcalendar.selectors import get_calendar

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "last", "today", "stale"),
    [
        (Rule(7, RuleKind.YEARLY_BY, 3, 31), dt.date(2025, 6, 1), dt.date(2026, 3, 31), False),
        (Rule(7, RuleKind.YEARLY_BY, 3, 31), dt.date(2025, 6, 1), dt.date(2026, 4, 1), True),
        (Rule(7, RuleKind.YEARLY_BY, 3, 31), dt.date(2026, 1, 1), dt.date(2026, 4, 1), False),
        (Rule(7, RuleKind.YEARLY_BY, 3, 31), None, dt.date(2026, 12, 31), True),
        (Rule(4, RuleKind.EVERY_DAYS, days=92), dt.date(2026, 1, 1), dt.date(2026, 4, 3), False),
        (Rule(4, RuleKind.EVERY_DAYS, days=92), dt.date(2026, 1, 1), dt.date(2026, 4, 4), True),
    ],
)
def test_rules(rule, last, today, stale):
    """Yearly: from the day after the date, something of this year is needed; every N days."""
    assert rule.stale(last, today) is stale


@pytest.fixture
def city(tree):
    return make_staff(tree.office, Role.HANDLER, username="city_handler")


def test_stale_columns_and_late_items_per_unit(tree, city):
    """Dept A's budget column is a year old; dept B never published one (not held to it).
    Under the default rule (within 20 working days of the 成文日期) dept A's new budget, written
    60 days ago and still unpublished, puts the column on the dashboard."""
    old = make_published(tree.dept_a, statutory_item=StatutoryItem.BUDGET, title="2025年部门预算")
    CatalogItem.objects.filter(pk=old.pk).update(
        written_on=timezone.localdate() - dt.timedelta(days=420),
        published_on=timezone.localdate() - dt.timedelta(days=400),
    )
    make_item(
        tree.dept_a, statutory_item=StatutoryItem.BUDGET, title="2026年部门预算",
        written_on=timezone.localdate() - dt.timedelta(days=60),
    )  # fmt: skip
    make_published(tree.district_dept, statutory_item=StatutoryItem.STATISTICS)
    late = make_published(tree.dept_b, written_on=timezone.localdate() - dt.timedelta(days=60))
    assert late.is_late
    rules = [Rule(StatutoryItem.BUDGET, RuleKind.EVERY_DAYS, days=366)]
    stale = freshness.stale_columns(tree.city, rules, timezone.localdate())
    assert [(s["agency"], s["rule"].statutory_item) for s in stale] == [
        (tree.dept_a, StatutoryItem.BUDGET)
    ]
    data = dashboard.build(
        tree.city, year=timezone.localdate().year, today=timezone.localdate(), rules=rules
    )
    row = {r.agency: r.figures for r in data["rows"]}
    assert row[tree.dept_a]["stale_columns"] == 1 and row[tree.dept_b]["late_items"] == 1
    assert row[tree.district]["stale_columns"] == 0
    client = Client()
    client.force_login(city)
    page = client.get(reverse("supervision:index")).content.decode()
    assert "stale-columns" in page and f"column={StatutoryItem.BUDGET}" in page
    form = client.get(
        reverse("supervision:order_new"),
        {"agency": tree.dept_a.pk, "source": Source.COLUMN, "column": StatutoryItem.BUDGET},
    )
    assert form.context["form"].initial["subject"].startswith("法定主动公开栏目未按要求更新")


def test_office_sets_its_rules_audited(tree, city, staff):
    """The office replaces the default rules; bad dates and missing day counts are refused."""
    assert freshness.rules_of(tree.office) == list(freshness.DEFAULT_RULES)
    client = Client()
    client.force_login(city)
    data = {f"kind_{StatutoryItem.PLANS}": RuleKind.YEARLY_BY, f"month_{StatutoryItem.PLANS}": 2,
            f"day_{StatutoryItem.PLANS}": 30}  # fmt: skip
    bad = client.post(reverse("supervision:column_rules"), data)
    assert bad.status_code == 200 and "日期无效" in bad.content.decode()
    data[f"day_{StatutoryItem.PLANS}"] = 28
    assert client.post(reverse("supervision:column_rules"), data).status_code == 302
    assert freshness.rules_of(tree.office) == [
        Rule(StatutoryItem.PLANS, RuleKind.YEARLY_BY, 2, 28, None)
    ]
    assert AuditEvent.objects.filter(action="supervision.column_rules").count() == 1
    with pytest.raises(ValidationError):
        freshness.rules_set(
            by=city, office=tree.office, rules=[Rule(4, RuleKind.EVERY_DAYS, days=None)]
        )
    with pytest.raises(PermissionDenied):
        freshness.rules_set(by=staff["head_a"], office=tree.office, rules=[])


def test_event_tied_rule_checks_each_item_from_its_written_date(tree, city):
    """预决算 within 20 working days of the 成文日期: dept A published one 40 days after it was
    written (late), the district department on time; dept B's draft written 60 days ago is still
    unpublished (late, though it never published in the column); items outside the year's window
    and catalogued-only ones are not judged."""
    rule = Rule(StatutoryItem.BUDGET, RuleKind.AFTER_EVENT, days=20)
    assert rule.describe() == "成文后20个工作日内公开"

    def budget(agency, written_ago, published_ago=None, **values):
        item = make_item(agency, statutory_item=StatutoryItem.BUDGET,
                         written_on=timezone.localdate() - dt.timedelta(days=written_ago), **values)  # fmt: skip
        if published_ago is None:
            return item
        item = publish(item)
        on = timezone.localdate() - dt.timedelta(days=published_ago)
        CatalogItem.objects.filter(pk=item.pk).update(published_on=on)
        return item

    budget(tree.dept_a, 50, 10)
    budget(tree.dept_a, 30, 28)  # two days after: on time
    budget(tree.district_dept, 30, 25)
    budget(tree.dept_b, 60)
    budget(tree.district, 500, 400)  # outside the window
    kept = budget(tree.district, 100)
    CatalogItem.objects.filter(pk=kept.pk).update(status=ItemStatus.CATALOGUED)
    held: dict[int, int] = {}
    stale = freshness.stale_columns(tree.city, [rule], timezone.localdate(), held)
    assert [(s["agency"], s["late"]) for s in stale] == [(tree.dept_a, 1), (tree.dept_b, 1)]
    assert held[tree.dept_b.pk] == 1 and held[tree.district.pk] == 1  # held, not stale
    data = dashboard.build(
        tree.city, year=timezone.localdate().year, today=timezone.localdate(), rules=[rule]
    )
    row = {r.agency: r.figures for r in data["rows"]}
    assert row[tree.dept_a]["stale_columns"] == 1 and row[tree.district]["stale_columns"] == 0
    assert row[tree.dept_b]["held_columns"] == row[tree.dept_b]["stale_columns"] == 1
    client = Client()
    client.force_login(city)
    page = client.get(reverse("supervision:index")).content.decode()  # the default rules
    assert "成文后20个工作日内公开" in page and "1条逾期公开" in page


@pytest.mark.parametrize(
    ("written", "published", "late"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 30), False),  # the 20th working day
        (dt.date(2026, 3, 2), dt.date(2026, 3, 31), True),
        (dt.date(2026, 3, 2), None, True),  # unpublished on 1 April
        (dt.date(2026, 3, 20), None, False),
    ],
)
def test_event_rule_counts_working_days_on_the_calendar(written, published, late):
    rule = Rule(StatutoryItem.BUDGET, RuleKind.AFTER_EVENT, days=20)
    cal = get_calendar()
    assert rule.late_item(written, published, dt.date(2026, 4, 1), cal) is late
    assert not rule.stale(None, dt.date(2026, 4, 1))  # checked per item, never by date


def test_office_saves_an_event_tied_rule_through_the_page(tree, city):
    """The page takes the working days in the days field; none given is refused."""
    client = Client()
    client.force_login(city)
    item = StatutoryItem.PROCUREMENT
    data = {f"kind_{item}": RuleKind.AFTER_EVENT}
    bad = client.post(reverse("supervision:column_rules"), data)
    assert bad.status_code == 200 and "请填写天数" in bad.content.decode()
    data[f"days_{item}"] = 7
    assert client.post(reverse("supervision:column_rules"), data).status_code == 302
    assert freshness.rules_of(tree.office) == [Rule(item, RuleKind.AFTER_EVENT, None, None, 7)]
    page = client.get(reverse("supervision:index")).content.decode()
    assert "成文后7个工作日内公开" not in page  # nothing late in that column yet
