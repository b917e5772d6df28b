"""The maintained aggregates stay equal to a recount of the records through every kind of
write — services, queryset updates, bulk inserts, the ledger import, deletes, agency moves —
and the report and dashboard figures read from them equal the direct counts."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.agencies.services import agency_move
from gongkai.applications.choices import (
    ApplicantType,
    LawsuitKind,
    Result,
    ReviewResult,
    Status,
)
from gongkai.applications.models import Application, Lawsuit, Review
from gongkai.applications.services import application_withdraw, lawsuit_save, review_save
from gongkai.applications.tests.factories import make_application
from gongkai.catalog.choices import ItemStatus, StatutoryItem
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import make_item, make_published
from gongkai.core.actors import SYSTEM
from gongkai.ledger import services as ledger
from gongkai.ledger.tests.conftest import good_rows, write_ledger
from gongkai.reports import statistics
from gongkai.reports.tests.ledger import Case, insert_cases
from gongkai.stats.maintenance import fill_if_empty, rebuild, verify
from gongkai.stats.models import ApplicationTally, ColumnTally, OpenTally
from gongkai.stats.sources import TALLIES
from gongkai.supervision import dashboard, freshness
from gongkai.supervision.choices import RuleKind
from gongkai.supervision.freshness import Rule

pytestmark = pytest.mark.django_db
YEARS = (2024, 2025, 2026)
#: Column rules of every kind, for the dashboard's freshness figures.
RULES = [
    *freshness.DEFAULT_RULES,
    Rule(StatutoryItem.PROCUREMENT, RuleKind.YEARLY_BY, month=3, day=31),
    Rule(StatutoryItem.PLANS, RuleKind.EVERY_DAYS, days=30),
]


def _same_figures(tree, today: dt.date) -> None:
    """Every report selector and the dashboard equal their direct counts, for every scope."""
    agencies = [tree.city, tree.dept_a, tree.district, tree.district_dept]
    for agency in agencies:
        for consolidated in (False, True):
            for year in YEARS:
                c = consolidated
                a = statistics.application_figures(agency, year, consolidated=c)
                b = statistics.application_figures(agency, year, consolidated=c, recount=True)
                assert (a.table3, a.monthly) == (b.table3, b.monthly), (agency, year, c)
                assert statistics.table4(agency, year, consolidated=c) == statistics.table4(
                    agency, year, consolidated=c, recount=True
                )
            assert statistics.yearly_counts(
                agency, YEARS, consolidated=consolidated
            ) == statistics.yearly_counts(agency, YEARS, consolidated=consolidated, recount=True)
    excluded = [tree.dept_a.pk]
    assert statistics.table3(tree.city, 2026, consolidated=True, exclude=excluded) == (
        statistics.table3(tree.city, 2026, consolidated=True, exclude=excluded, recount=True)
    )
    for root in (tree.city, tree.district):
        for year in YEARS:
            mine = dashboard.build(root, year=year, today=today, rules=RULES)
            direct = dashboard.build(root, year=year, today=today, rules=RULES, recount=True)
            assert [(r.agency, r.figures, r.months) for r in mine["rows"]] == [
                (r.agency, r.figures, r.months) for r in direct["rows"]
            ]
            assert mine["stale"] == direct["stale"]


def test_intake_reply_review_lawsuit_withdraw_and_delete(tree, staff):
    """Registration, result, appeals through the services, a withdrawal, a delete: no drift."""
    unit = make_staff(tree.district_dept, Role.HANDLER, username="unit_handler")
    app = make_application(tree.dept_a, staff["handler_a"], received_on=dt.date(2026, 2, 10))
    other = make_application(tree.district_dept, unit, received_on=dt.date(2025, 12, 30))
    assert not verify()
    assert ApplicationTally.objects.filter(node=tree.city.pk, own=False).count() == 2
    Application.objects.filter(pk=app.pk).update(
        status=Status.CLOSED, result=Result.R1_OPEN, closed_on=dt.date(2026, 3, 1)
    )
    review = review_save(
        by=staff["handler_a"], application=app, body="测试市人民政府",
        applied_on=dt.date(2026, 3, 20),
    )  # fmt: skip
    review_save(
        by=staff["handler_a"], application=app, body="测试市人民政府",
        applied_on=dt.date(2026, 3, 20), decided_on=dt.date(2026, 5, 1),
        result=ReviewResult.CORRECTED, review=review,
    )  # fmt: skip
    lawsuit_save(
        by=staff["handler_a"], application=app, kind=LawsuitKind.DIRECT, court="测试法院",
        filed_on=dt.date(2026, 4, 1),
    )  # fmt: skip
    application_withdraw(by=unit, application=other, on=dt.date(2026, 1, 5))
    assert not verify()
    assert statistics.table4(tree.city, 2026, consolidated=True)["行政复议"] == [0, 1, 0, 0, 1]
    _same_figures(tree, dt.date(2026, 6, 1))
    Lawsuit.objects.filter(application=app).delete()
    Review.objects.filter(application=app).delete()
    # Cases with events are kept (the event log is append-only): delete one without events.
    (extra,) = insert_cases(tree.dept_b, [Case(dt.date(2026, 2, 11), ApplicantType.PERSON)])
    assert not verify()
    extra.delete()
    assert not verify()
    _same_figures(tree, dt.date(2026, 6, 1))


def test_ledger_import_and_bulk_inserts(tree, staff, tmp_path: Path):
    """The ledger import's bulk insert and ``bulk_create`` are counted in the same transaction."""
    outcome = ledger.ledger_import_file(
        by=staff["handler_a"],
        agency=tree.dept_a,
        path=write_ledger(tmp_path / "l.xlsx", good_rows()),
    )
    assert outcome.ok
    insert_cases(
        tree.district_dept,
        [
            Case(dt.date(2025, 5, 1), ApplicantType.PERSON, Result.R1_OPEN, dt.date(2026, 1, 3)),
            Case(dt.date(2026, 1, 9), ApplicantType.BUSINESS),
        ],
    )
    assert not verify()
    _same_figures(tree, dt.date(2026, 3, 2))


def test_agency_moved_moves_its_subtree_totals(tree, staff):
    """Moving the district's department under the city: the district loses it, the city keeps it."""
    unit = make_staff(tree.district_dept, Role.HANDLER, username="unit_handler")
    make_application(tree.district_dept, unit, received_on=dt.date(2026, 2, 10))
    before = statistics.table3(tree.district, 2026, consolidated=True)["new"][6]
    assert before == 1
    agency_move(by=staff["platform_admin"], agency=tree.district_dept, new_parent=tree.dept_a)
    assert not verify()
    tree.district.refresh_from_db()
    tree.dept_a.refresh_from_db()
    assert statistics.table3(tree.district, 2026, consolidated=True)["new"][6] == 0
    assert statistics.table3(tree.dept_a, 2026, consolidated=True)["new"][6] == 1


def test_verify_reports_drift_and_rebuild_repairs_it(tree):
    """A tampered aggregate row is found by the command (non-zero exit) and rebuilt."""
    insert_cases(tree.dept_a, [Case(dt.date(2026, 1, 9), ApplicantType.PERSON)])
    call_command("stats", "verify")
    OpenTally.objects.filter(node=tree.city.pk).update(n=5)
    with pytest.raises(CommandError, match="1 行"):
        call_command("stats", "verify")
    call_command("stats", "rebuild")
    call_command("stats", "verify")
    assert not verify()


def test_catalogue_items_published_per_year(tree):
    """Published items count in their year; a queryset update of the status moves them."""
    item = make_item(tree.district_dept)
    assert not verify()
    CatalogItem.objects.filter(pk=item.pk).update(published_year=2020)
    assert not verify()
    item.delete()
    assert not verify()


@pytest.mark.parametrize("seed", range(4))
def test_random_event_orders_keep_aggregates_equal_to_a_recount(tree, seed):
    """Random creates, results, reopenings, deadlines, appeals, deletes and moves, in random
    order: after every step the aggregates equal a recount; at the end every report and
    dashboard figure equals its direct count."""
    rng = random.Random(seed)
    units = [tree.dept_a, tree.dept_b, tree.office, tree.district_dept, tree.district]
    results = [Result.R1_OPEN, Result.R2_PARTIAL, Result.R4_1, Result.R6_3]
    today = dt.date(2026, 6, 1)

    def day() -> dt.date:
        return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))

    apps: list[Application] = []
    items: list[CatalogItem] = []
    columns = [StatutoryItem.BUDGET, StatutoryItem.FEES, StatutoryItem.PLANS, None]
    actions = ["new", "new", "close", "reopen", "due", "review", "delete", "move"]
    actions += ["publish", "publish", "redate", "unpublish", "drop"]
    for step in range(60):
        action = rng.choice(actions)
        if action in ("redate", "unpublish", "drop") and not items:
            action = "publish"
        if action == "new" or not apps:
            received = day()
            result = rng.choice([None, *results])
            closed = received + dt.timedelta(days=rng.randrange(-5, 60)) if result else None
            apps += insert_cases(
                rng.choice(units),
                [Case(received, rng.choice(ApplicantType.values), result, closed)],
            )
        elif action == "close":
            app = rng.choice(apps)
            app.result, app.status = rng.choice(results), Status.CLOSED
            app.closed_on = app.received_on + dt.timedelta(days=rng.randrange(40))
            app.save()
        elif action == "reopen":
            Application.objects.filter(pk=rng.choice(apps).pk).update(
                result=None, closed_on=None, status=Status.HANDLING
            )
        elif action == "due":
            app = rng.choice(apps)
            app.due_on = today + dt.timedelta(days=rng.randrange(-20, 20))
            app.reply_due_on = app.due_on
            Application.objects.bulk_update([app], ["due_on", "reply_due_on"])
        elif action == "review":
            app = rng.choice(apps)
            decided = rng.random() < 0.6
            Review.objects.create(
                application=app, body="复议机关", applied_on=app.received_on + dt.timedelta(days=30),
                decided_on=app.received_on + dt.timedelta(days=200) if decided else None,
                result=rng.choice(ReviewResult.values) if decided else ReviewResult.PENDING,
            )  # fmt: skip
        elif action == "delete":
            app = apps.pop(rng.randrange(len(apps)))
            Review.objects.filter(application=app).delete()
            Application.objects.filter(pk=app.pk).delete()
        elif action == "publish":
            written = day()
            item = make_published(
                rng.choice(units), statutory_item=rng.choice(columns), written_on=written
            )
            item.published_on = written + dt.timedelta(days=rng.randrange(60))
            item.is_late = rng.random() < 0.4
            item.save()
            items.append(item)
        elif action == "redate":
            item = rng.choice(items)
            on = day()
            CatalogItem.objects.filter(pk=item.pk).update(
                published_on=on, published_year=on.year, is_late=rng.random() < 0.5
            )
        elif action == "unpublish":
            status = rng.choice([ItemStatus.WITHDRAWN, ItemStatus.PUBLISHED, ItemStatus.DRAFT])
            CatalogItem.objects.filter(pk=rng.choice(items).pk).update(status=status)
        elif action == "drop":
            items.pop(rng.randrange(len(items))).delete()
        elif action == "move":
            moved = rng.choice([tree.district_dept, tree.dept_b])
            moved.refresh_from_db()
            parent = rng.choice([tree.city, tree.district, tree.dept_a])
            parent.refresh_from_db()
            if not parent.path.startswith(moved.path):
                agency_move(by=SYSTEM, agency=moved, new_parent=parent)
        assert not verify(), (seed, step, action)
    for agency in (tree.city, tree.dept_a, tree.district, tree.district_dept, tree.dept_b):
        agency.refresh_from_db()
    _same_figures(tree, today)
    assert rebuild() > 0 and not verify()


def test_latest_publication_per_column_follows_unpublish_redate_and_delete(tree):
    """The latest date of a column goes back to the previous item when the newest one is
    withdrawn, redated or deleted; ``verify`` checks the dates as well."""
    budget = StatutoryItem.BUDGET
    older = make_published(tree.dept_a, statutory_item=budget)
    newer = make_published(tree.dept_a, statutory_item=budget)
    CatalogItem.objects.filter(pk=older.pk).update(published_on=dt.date(2025, 1, 6))
    CatalogItem.objects.filter(pk=newer.pk).update(published_on=dt.date(2026, 2, 3))

    def last() -> dt.date | None:
        row = ColumnTally.objects.get(node=tree.dept_a.pk, own=True, statutory_item=budget)
        return row.last

    assert last() == dt.date(2026, 2, 3) and not verify()
    CatalogItem.objects.filter(pk=newer.pk).update(status=ItemStatus.WITHDRAWN)
    assert last() == dt.date(2025, 1, 6) and not verify()
    CatalogItem.objects.filter(pk=newer.pk).update(status=ItemStatus.PUBLISHED)
    CatalogItem.objects.filter(pk=newer.pk).update(published_on=dt.date(2024, 5, 5))
    assert last() == dt.date(2025, 1, 6) and not verify()
    CatalogItem.objects.get(pk=older.pk).delete()
    assert last() == dt.date(2024, 5, 5) and not verify()
    ColumnTally.objects.filter(node=tree.dept_a.pk, own=True).update(last=dt.date(2020, 1, 1))
    assert [d[0] for d in verify()] == ["ColumnTally.last"]
    rebuild()
    assert last() == dt.date(2024, 5, 5) and not verify()


def test_empty_aggregates_of_existing_records_are_filled_once(tree):
    """After the upgrade that adds the tables, the first migrate counts the existing records."""
    insert_cases(tree.dept_a, [Case(dt.date(2026, 1, 9), ApplicantType.PERSON)])
    make_published(tree.dept_a, statutory_item=StatutoryItem.FEES)
    for model in TALLIES:
        model.objects.all().delete()
    assert verify()
    assert fill_if_empty() is True
    assert not verify()
    assert fill_if_empty() is False
