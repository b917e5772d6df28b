"""The calendar tables: seeded years, the run-time calendar, loading a year (audited)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent
from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.models import CalendarDay, CalendarYear
from gongkai.workcalendar.schedule import OFFICIAL_DATA_DIR, schedule_to_dict
from gongkai.workcalendar.selectors import (
    get_calendar,
    known_years,
    missing_years_warning,
    year_schedule,
    year_summaries,
)
from gongkai.workcalendar.services import calendar_year_load
from gongkai.workcalendar.signals import calendar_changed
from gongkai.workcalendar.tests.year2027 import year_2027

D = dt.date.fromisoformat
SPEC_COUNTS = {
    2019: 250,
    2020: 249,
    2021: 250,
    2022: 249,
    2023: 249,
    2024: 251,
    2025: 248,
    2026: 248,
}

pytestmark = pytest.mark.django_db


def test_shipped_years_are_in_the_tables_with_the_spec_counts() -> None:
    """The data migration seeds 2019–2026; the DB calendar has the spec's working-day counts."""
    assert known_years() == list(range(2019, 2027))
    calendar = get_calendar()
    for year, count in SPEC_COUNTS.items():
        assert calendar.working_days_in_year(year) == (count, False), year
    assert {s.row.year: s.working_days for s in year_summaries()} == SPEC_COUNTS


def test_the_tables_reproduce_the_shipped_files(official: WorkCalendar) -> None:
    """Each year read back from the tables equals its JSON file; every day agrees."""
    for path in sorted(OFFICIAL_DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        schedule = year_schedule(data["year"])
        assert schedule is not None
        assert schedule_to_dict(schedule) == data, path.name
    calendar = get_calendar()
    day = D("2019-01-01")
    while day.year < 2027:
        assert calendar.is_working_day(day) == official.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_loading_2027_ends_provisional_results(
    platform_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Before: 2027 deadlines are 暂定. After loading 2027 they are final and follow the file."""
    before = get_calendar().add_working_days(D("2026-12-31"), 1)
    # 元旦 is a statutory holiday before the notice too (decision 1608); still provisional.
    assert before == (D("2027-01-04"), True)
    assert get_calendar().add_working_days(D("2027-02-04"), 1) == (D("2027-02-09"), True)
    assert missing_years_warning(D("2026-11-22")) == [2027]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(data=year_2027(), by=platform_admin)
    after = get_calendar().add_working_days(D("2026-12-31"), 1)
    assert after == (D("2027-01-04"), False)
    # The file's Spring Festival (02-05..02-11) replaces the statutory days.
    assert get_calendar().add_working_days(D("2027-02-04"), 1) == (D("2027-02-12"), False)
    assert missing_years_warning(D("2026-11-22")) == []
    assert missing_years_warning(D("2027-03-01")) == [2028]


def test_loading_is_audited(platform_admin: User) -> None:
    """A load writes one audit entry with the actor, the year and the full schedule."""
    row = calendar_year_load(data=year_2027(), by=platform_admin)
    entry = AuditEvent.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == "calendar_year.load"
    assert entry.actor == platform_admin
    assert entry.target_id == str(row.pk)
    assert entry.target_repr == "2027年节假日安排"
    assert entry.before is None
    assert entry.after == year_2027()
    assert row.loaded_by == platform_admin


def test_correcting_a_year_replaces_it_whole(platform_admin: User) -> None:
    """Loading a loaded year replaces all its rows; the audit entry keeps the old schedule."""
    old = year_schedule(2026)
    assert old is not None
    corrected = schedule_to_dict(old)
    holidays = corrected["holidays"]
    assert isinstance(holidays, list)
    corrected["holidays"] = [h for h in holidays if h["name"] != "端午节"]
    calendar_year_load(data=corrected, by=None)
    assert not CalendarDay.objects.filter(date=D("2026-06-19")).exists()
    assert get_calendar().is_working_day(D("2026-06-19"))
    assert CalendarYear.objects.filter(year=2026).count() == 1
    entry = AuditEvent.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.before == schedule_to_dict(old)
    assert entry.after == corrected
    assert entry.actor is None


def test_invalid_data_is_refused_with_chinese_messages() -> None:
    """Nothing is stored when the file is wrong; the ValidationError lists the problems."""
    data = year_2027()
    data["weekend_workdays"] = [{"date": "2027-02-15", "holiday": "春节"}]
    data["holidays"][0]["off"].append("2026-12-31")
    with pytest.raises(ValidationError) as info:
        calendar_year_load(data=data, by=None)
    assert "调休上班日2027-02-15是星期一，只有星期六、星期日才能调为上班日" in info.value.messages
    assert any("2026-12-31不在2027年内" in m for m in info.value.messages)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar_year.load").exists()


def test_change_signal_is_sent_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    """calendar_changed(year=…) reaches receivers once the load has committed."""
    received: list[int] = []

    def receiver(sender: Any, year: int, **kwargs: Any) -> None:
        received.append(year)

    calendar_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            calendar_year_load(data=year_2027(), by=None)
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [2027]
    finally:
        calendar_changed.disconnect(receiver)


def test_other_processes_changes_are_seen() -> None:
    """A change written by another process (no local invalidation) is picked up by the stamp."""
    assert get_calendar().is_working_day(D("2026-06-19")) is False
    CalendarDay.objects.filter(date=D("2026-06-19")).delete()
    later = timezone.now() + dt.timedelta(seconds=1)
    CalendarYear.objects.filter(year=2026).update(loaded_at=later)  # as a load elsewhere does
    assert get_calendar().is_working_day(D("2026-06-19")) is True


def test_the_calendar_is_cached_between_calls(django_assert_num_queries: Any) -> None:
    """Unchanged tables: one cheap stamp query per call, no rebuild."""
    first = get_calendar()
    with django_assert_num_queries(1):
        assert get_calendar() is first


def test_data_migration_is_reversible() -> None:
    """Unapplying 0002 removes the shipped years; applying it again restores them."""
    migration = importlib.import_module("gongkai.workcalendar.migrations.0002_load_official_years")
    migration.unload_official_years(apps, None)
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()
    migration.load_official_years(apps, None)
    assert known_years() == list(range(2019, 2027))
    assert get_calendar().working_days_in_year(2026) == (248, False)
