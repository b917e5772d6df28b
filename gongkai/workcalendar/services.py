"""Writes to the calendar tables: loading (or correcting) one year's official schedule."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit import record_audit
from gongkai.workcalendar.choices import CalendarDayKind
from gongkai.workcalendar.models import CalendarDay, CalendarYear
from gongkai.workcalendar.schedule import (
    ScheduleError,
    YearSchedule,
    parse_schedule,
    schedule_to_dict,
    source_to_dict,
)
from gongkai.workcalendar.selectors import invalidate_calendar_cache, year_schedule
from gongkai.workcalendar.signals import calendar_changed

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def _after_commit(year: int) -> None:
    invalidate_calendar_cache()
    calendar_changed.send(sender=CalendarYear, year=year)


def calendar_year_load(*, data: Mapping[str, Any], by: User | None) -> CalendarYear:
    """Make ``data`` (a decoded year file) the official schedule of its year; audited.

    Validate it (every date in the year, weekend working days on Saturday or Sunday, no date
    listed twice …) and raise ``ValidationError`` with the problems in Chinese. Otherwise
    replace that year's rows in one transaction, record the audit entry (before and after), and
    after commit drop the cached calendar and send ``calendar_changed`` so that open cases are
    recomputed.
    """
    try:
        schedule = parse_schedule(data)
    except ScheduleError as exc:
        raise ValidationError(list(exc.problems)) from exc
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().filter(year=schedule.year).first()
        before = None
        if row is not None:
            previous = year_schedule(schedule.year)
            before = schedule_to_dict(previous) if previous else None
        else:
            row = CalendarYear(year=schedule.year)
        _fill(row, schedule, by)
        row.full_clean()
        row.save()
        row.days.all().delete()
        CalendarDay.objects.bulk_create(_days(row, schedule))
        record_audit(
            action="calendar_year.load",
            actor=by,
            target=row,
            target_repr=f"{schedule.year}年节假日安排",
            before=before,
            after=schedule_to_dict(schedule),
        )
        transaction.on_commit(partial(_after_commit, schedule.year))
    return row


def _fill(row: CalendarYear, schedule: YearSchedule, by: User | None) -> None:
    row.source_title = schedule.source.title
    row.source_url = schedule.source.url
    row.source_issued_on = schedule.source.issued_on
    row.source_doc_number = schedule.source.doc_number or ""
    row.amendments = [source_to_dict(a) for a in schedule.amendments]
    row.loaded_at = timezone.now()
    row.loaded_by = by


def _days(row: CalendarYear, schedule: YearSchedule) -> list[CalendarDay]:
    days = [
        CalendarDay(calendar_year=row, date=day, kind=CalendarDayKind.HOLIDAY, holiday=name)
        for day, name in schedule.days_off()
    ]
    days.extend(
        CalendarDay(
            calendar_year=row,
            date=w.date,
            kind=CalendarDayKind.WEEKEND_WORKDAY,
            holiday=w.holiday,
        )
        for w in schedule.weekend_workdays
    )
    return days
