"""Reads of the calendar tables: the run-time ``WorkCalendar`` and what the admin pages show.

``get_calendar()`` is what every deadline computation uses. It is cached in the process and
rebuilt when the tables change: each call compares a cheap stamp of the tables (number of years,
latest ``loaded_at``) with the cached one, so a year loaded by another process (the web server,
the worker, the command line) is seen by the next call everywhere. Callers computing many
deadlines at once take the calendar once and reuse it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from gongkai.workcalendar.calendar import DayKind, DayOverride, WorkCalendar
from gongkai.workcalendar.choices import CalendarDayKind
from gongkai.workcalendar.models import CalendarDay, CalendarYear
from gongkai.workcalendar.schedule import (
    HolidayBlock,
    SourceNotice,
    WeekendWorkday,
    YearSchedule,
)
from gongkai.workcalendar.statutory import statutory_holidays


@dataclass
class _Cache:
    """The process's calendar and the stamp of the tables it was built from."""

    stamp: tuple[int, dt.datetime | None] | None = None
    calendar: WorkCalendar | None = None


_lock = threading.Lock()
_cache = _Cache()


def _stamp() -> tuple[int, dt.datetime | None]:
    totals = CalendarYear.objects.aggregate(years=Count("id"), last=Max("loaded_at"))
    return totals["years"], totals["last"]


def _build_calendar() -> WorkCalendar:
    years = list(CalendarYear.objects.values_list("year", flat=True))
    days = CalendarDay.objects.values_list("date", "kind", "holiday")
    return WorkCalendar(
        years,
        [DayOverride(date, DayKind(kind), holiday) for date, kind, holiday in days],
        provisional_holidays=provisional_holidays(years),
    )


#: The first year of the disclosure Regulations (2008-05-01): earlier years get no statutory days.
REG2008_YEAR = 2008


def provisional_holidays(known: list[int]) -> list[DayOverride]:
    """The statutory holidays of the years without a loaded schedule, from 2008 (the first
    year of the Regulations) to five years after the last loaded or current year."""
    last = max([*known, timezone.localdate().year]) + 5
    out: list[DayOverride] = []
    for year in range(REG2008_YEAR, last + 1):
        if year not in known:
            out.extend(statutory_holidays(year))
    return out


def get_calendar() -> WorkCalendar:
    """Return the platform's working-day calendar, built from the calendar tables."""
    stamp = _stamp()
    with _lock:
        if _cache.calendar is None or _cache.stamp != stamp:
            _cache.calendar = _build_calendar()
            _cache.stamp = stamp
        return _cache.calendar


def invalidate_calendar_cache() -> None:
    """Drop this process's cached calendar (other processes notice through the stamp)."""
    with _lock:
        _cache.stamp = None
        _cache.calendar = None


def known_years() -> list[int]:
    """Return the years whose official schedule is loaded, ascending."""
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def missing_years_warning(today: dt.date) -> list[int]:
    """Return the years the platform needs now (this year and next) that are not loaded.

    Deadlines reaching into such a year are provisional (暂定) until it is loaded; the platform
    admin's calendar page shows this list as a warning.
    """
    loaded = set(
        CalendarYear.objects.filter(year__in=(today.year, today.year + 1)).values_list(
            "year", flat=True
        )
    )
    return [y for y in (today.year, today.year + 1) if y not in loaded]


@dataclass(frozen=True)
class YearSummary:
    """One loaded year as listed for platform admins."""

    row: CalendarYear
    days_off: int
    weekend_workdays: int
    working_days: int


def year_summaries() -> list[YearSummary]:
    """Return every loaded year with its counts (two queries)."""
    rows = CalendarYear.objects.select_related("loaded_by").annotate(
        days_off=Count("days", filter=Q(days__kind=CalendarDayKind.HOLIDAY)),
        weekend_workdays=Count("days", filter=Q(days__kind=CalendarDayKind.WEEKEND_WORKDAY)),
    )
    calendar = get_calendar()
    return [
        YearSummary(
            row=row,
            days_off=row.days_off,
            weekend_workdays=row.weekend_workdays,
            working_days=calendar.working_days_in_year(row.year).days,
        )
        for row in rows
    ]


def year_row(year: int) -> CalendarYear | None:
    """Return the loaded year ``year``, or None."""
    return CalendarYear.objects.select_related("loaded_by").filter(year=year).first()


def _source(data: dict[str, Any]) -> SourceNotice:
    issued = data.get("issued_on")
    return SourceNotice(
        title=data["title"],
        url=data["url"],
        issued_on=dt.date.fromisoformat(issued) if issued else None,
        doc_number=data.get("doc_number") or None,
    )


def year_schedule(year: int) -> YearSchedule | None:
    """Return the loaded schedule of ``year`` in the year-file shape, or None if not loaded.

    Days off are grouped into blocks of consecutive dates of one holiday.
    """
    row = year_row(year)
    if row is None:
        return None
    blocks: list[tuple[str, list[dt.date]]] = []
    workdays: list[WeekendWorkday] = []
    for day in row.days.order_by("date"):
        if day.kind == CalendarDayKind.WEEKEND_WORKDAY:
            workdays.append(WeekendWorkday(date=day.date, holiday=day.holiday))
            continue
        if blocks and blocks[-1][0] == day.holiday and (day.date - blocks[-1][1][-1]).days == 1:
            blocks[-1][1].append(day.date)
        else:
            blocks.append((day.holiday, [day.date]))
    return YearSchedule(
        year=row.year,
        source=SourceNotice(
            title=row.source_title,
            url=row.source_url,
            issued_on=row.source_issued_on,
            doc_number=row.source_doc_number or None,
        ),
        holidays=tuple(HolidayBlock(name=name, off=tuple(days)) for name, days in blocks),
        weekend_workdays=tuple(workdays),
        amendments=tuple(_source(a) for a in row.amendments),
    )
