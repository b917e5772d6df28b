"""The official working-day calendar (工作日) and its arithmetic.

A ``WorkCalendar`` is the weekday rule (Monday to Friday) plus per-date overrides — days off
(放假) and weekend working days (调休上班) — for the years whose State Council notice is known.
Years without official data follow the weekday rule, and every answer that touches such a year
says so (``provisional``), so that nothing is silently computed on a guess.

Counting convention (see docs/decisions/0100-working-day-counting.md): the start day is never
counted. ``add_working_days(start, n)`` is the n-th working day strictly after ``start``;
``working_days_between(a, b)`` counts the working days in the half-open interval (a, b].

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from gongkai.workcalendar.schedule import MAX_YEAR, MIN_YEAR, YearSchedule

__all__ = [
    "CalendarRangeError",
    "DayInfo",
    "DayKind",
    "DayOverride",
    "HolidaySpan",
    "WorkCalendar",
    "WorkdayCount",
    "WorkdayResult",
]


class DayKind(StrEnum):
    """How an official notice overrides the weekday rule for one date."""

    HOLIDAY = "HOLIDAY"  # 放假: a day off, whatever the weekday
    WEEKEND_WORKDAY = "WEEKEND_WORKDAY"  # 调休上班: a Saturday or Sunday that is a working day


@dataclass(frozen=True, slots=True)
class DayOverride:
    """One date whose status the official notice sets, with the holiday it belongs to."""

    date: dt.date
    kind: DayKind
    name: str


class WorkdayResult(NamedTuple):
    """A date computed on the calendar; ``provisional`` if it relied on a year without data."""

    date: dt.date
    provisional: bool


class WorkdayCount(NamedTuple):
    """A number of working days; ``provisional`` if it relied on a year without data."""

    days: int
    provisional: bool


class DayInfo(NamedTuple):
    """The status of one date and why."""

    date: dt.date
    working: bool
    override: DayOverride | None
    provisional: bool


@dataclass(frozen=True, slots=True)
class HolidaySpan:
    """Consecutive days off of one holiday, as shown in explanations."""

    name: str
    first: dt.date
    last: dt.date
    weekdays_off: int  # Monday–Friday dates inside the span (the days it actually costs)

    @property
    def days(self) -> int:
        """Return the number of calendar days in the span."""
        return (self.last - self.first).days + 1


class CalendarRangeError(ValueError):
    """A date or result outside the range the calendar covers."""


class WorkCalendar:
    """An immutable working-day calendar; O(log n) arithmetic on precomputed ordinals.

    Build it with ``WorkCalendar.from_schedules(...)`` or from the known years and their
    overrides. Overrides must lie in a known year. Dates outside ``first_day``..``last_day``
    raise ``CalendarRangeError``.
    """

    __slots__ = (
        "_base",
        "_end",
        "_known_years",
        "_ordinals",
        "_overrides",
        "_override_ordinals",
        "_unknown_prefix",
        "_working",
        "first_day",
        "last_day",
    )

    _base: int
    _end: int
    _known_years: frozenset[int]
    _ordinals: list[int]
    _overrides: dict[int, DayOverride]
    _override_ordinals: list[int]
    _unknown_prefix: list[int]
    _working: bytearray
    first_day: dt.date
    last_day: dt.date

    def __init__(
        self,
        known_years: Iterable[int],
        overrides: Iterable[DayOverride],
        *,
        first_year: int = MIN_YEAR,
        last_year: int = MAX_YEAR,
        provisional_holidays: Iterable[DayOverride] = (),
    ) -> None:
        """``provisional_holidays``: statutory holidays of years without an official schedule
        (decision 1608); ignored for known years, whose loaded schedule is authoritative."""
        known = frozenset(known_years)
        first_year = min([first_year, *known])
        last_year = max([last_year, *known])
        set_ = object.__setattr__
        first_day = dt.date(first_year, 1, 1)
        last_day = dt.date(last_year, 12, 31)
        base = first_day.toordinal()
        end = last_day.toordinal()
        span = end - base + 1

        by_ordinal: dict[int, DayOverride] = {}
        for override in overrides:
            if override.date.year not in known:
                msg = f"{override.date.isoformat()}所在年份没有载入官方安排，不能单独设置"
                raise ValueError(msg)
            if override.kind is DayKind.WEEKEND_WORKDAY and override.date.weekday() < 5:
                msg = f"{override.date.isoformat()}不是星期六或星期日，不能设为调休上班日"
                raise ValueError(msg)
            ordinal = override.date.toordinal()
            if ordinal in by_ordinal:
                msg = f"{override.date.isoformat()}重复设置"
                raise ValueError(msg)
            by_ordinal[ordinal] = override
        for override in provisional_holidays:
            if override.date.year in known or override.kind is not DayKind.HOLIDAY:
                continue
            by_ordinal.setdefault(override.date.toordinal(), override)

        working = bytearray(span)
        unknown_prefix = [0] * (span + 1)
        ordinals: list[int] = []
        unknown_so_far = 0
        # 0001-01-01 (ordinal 1) was a Monday, so (ordinal - 1) % 7 is the weekday (0 = Monday).
        for i in range(span):
            ordinal = base + i
            set_by = by_ordinal.get(ordinal)
            if set_by is None:
                is_working = (ordinal - 1) % 7 < 5
            else:
                is_working = set_by.kind is DayKind.WEEKEND_WORKDAY
            if is_working:
                working[i] = 1
                ordinals.append(ordinal)
            unknown_prefix[i] = unknown_so_far
            if dt.date.fromordinal(ordinal).year not in known:
                unknown_so_far += 1
        unknown_prefix[span] = unknown_so_far

        set_(self, "_base", base)
        set_(self, "_end", end)
        set_(self, "_known_years", known)
        set_(self, "_ordinals", ordinals)
        set_(self, "_overrides", by_ordinal)
        set_(self, "_override_ordinals", sorted(by_ordinal))
        set_(self, "_unknown_prefix", unknown_prefix)
        set_(self, "_working", working)
        set_(self, "first_day", first_day)
        set_(self, "last_day", last_day)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkCalendar is immutable")

    def __repr__(self) -> str:
        years = sorted(self._known_years)
        shown = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<WorkCalendar known years {shown} ({len(years)}), span {self.first_day}..{self.last_day}>"

    @classmethod
    def from_schedules(
        cls,
        schedules: Iterable[YearSchedule],
        *,
        first_year: int = MIN_YEAR,
        last_year: int = MAX_YEAR,
    ) -> WorkCalendar:
        """Build a calendar whose known years are exactly the given schedules' years."""
        schedule_list = list(schedules)
        overrides: list[DayOverride] = []
        for schedule in schedule_list:
            overrides.extend(
                DayOverride(date=day, kind=DayKind.HOLIDAY, name=name)
                for day, name in schedule.days_off()
            )
            overrides.extend(
                DayOverride(date=w.date, kind=DayKind.WEEKEND_WORKDAY, name=w.holiday)
                for w in schedule.weekend_workdays
            )
        return cls(
            (s.year for s in schedule_list),
            overrides,
            first_year=first_year,
            last_year=last_year,
        )

    # -- queries ------------------------------------------------------------------------------

    @property
    def known_years(self) -> frozenset[int]:
        """The years with official data."""
        return self._known_years

    def is_known_year(self, year: int) -> bool:
        """Return whether ``year`` has official data."""
        return year in self._known_years

    def _index(self, day: dt.date) -> int:
        ordinal = day.toordinal()
        if not self._base <= ordinal <= self._end:
            msg = f"日期{day.isoformat()}超出日历范围（{self.first_day.isoformat()}至{self.last_day.isoformat()}）"
            raise CalendarRangeError(msg)
        return ordinal - self._base

    def is_working_day(self, day: dt.date) -> bool:
        """Return whether ``day`` is a working day (provisionally, in a year without data)."""
        return self._working[self._index(day)] == 1

    def day(self, day: dt.date) -> DayInfo:
        """Return ``day``'s status, the override that set it (if any) and whether it is provisional."""
        index = self._index(day)
        return DayInfo(
            date=day,
            working=self._working[index] == 1,
            override=self._overrides.get(day.toordinal()),
            provisional=day.year not in self._known_years,
        )

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        """Return the n-th working day strictly after ``start`` (``start`` itself not counted).

        ``n == 0`` returns ``start`` unchanged. Provisional when any day in (start, result]
        lies in a year without official data.
        """
        if n < 0:
            msg = f"工作日数不能为负数：{n}"
            raise ValueError(msg)
        ordinal = start.toordinal()
        base = self._base
        if not base <= ordinal <= self._end:
            self._index(start)  # raises with the message
        if n == 0:
            return WorkdayResult(start, False)
        ordinals = self._ordinals
        k = bisect_right(ordinals, ordinal) + n - 1
        if k >= len(ordinals):
            msg = (
                f"{start.isoformat()}之后第{n}个工作日超出日历范围（至{self.last_day.isoformat()}）"
            )
            raise CalendarRangeError(msg)
        result = ordinals[k]
        prefix = self._unknown_prefix
        return WorkdayResult(
            dt.date.fromordinal(result),
            prefix[result - base + 1] != prefix[ordinal - base + 1],
        )

    def working_days_between(self, a: dt.date, b: dt.date) -> WorkdayCount:
        """Return the number of working days in (a, b]; negative (the count in (b, a]) if b < a."""
        oa = a.toordinal()
        ob = b.toordinal()
        base = self._base
        end = self._end
        if not (base <= oa <= end and base <= ob <= end):
            self._index(a)
            self._index(b)  # one of them raises with the message
        ordinals = self._ordinals
        days = bisect_right(ordinals, ob) - bisect_right(ordinals, oa)
        lo, hi = (oa - base, ob - base) if oa <= ob else (ob - base, oa - base)
        prefix = self._unknown_prefix
        return WorkdayCount(days, prefix[hi + 1] != prefix[lo + 1])

    def touches_unknown_year(self, a: dt.date, b: dt.date) -> bool:
        """Return whether any day in (min(a, b), max(a, b)] lies in a year without official data."""
        ia = self._index(a)
        ib = self._index(b)
        lo, hi = (ia, ib) if ia <= ib else (ib, ia)
        return self._unknown_prefix[hi + 1] != self._unknown_prefix[lo + 1]

    def unknown_years_between(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """Return the years without official data that (min(a, b), max(a, b)] reaches into."""
        lo, hi = (a, b) if a <= b else (b, a)
        if lo == hi:
            return ()
        first = (lo + dt.timedelta(days=1)).year
        return tuple(y for y in range(first, hi.year + 1) if y not in self._known_years)

    def _overrides_between(self, a: dt.date, b: dt.date) -> list[DayOverride]:
        lo = bisect_right(self._override_ordinals, a.toordinal())
        hi = bisect_right(self._override_ordinals, b.toordinal())
        return [self._overrides[o] for o in self._override_ordinals[lo:hi]]

    def holidays_between(self, a: dt.date, b: dt.date) -> tuple[HolidaySpan, ...]:
        """Return the days off in (a, b] grouped into spans of consecutive days of one holiday."""
        spans: list[HolidaySpan] = []
        for override in self._overrides_between(a, b):
            if override.kind is not DayKind.HOLIDAY:
                continue
            weekday_cost = 1 if override.date.weekday() < 5 else 0
            last = spans[-1] if spans else None
            if (
                last is not None
                and last.name == override.name
                and (override.date - last.last).days == 1
            ):
                spans[-1] = HolidaySpan(
                    last.name, last.first, override.date, last.weekdays_off + weekday_cost
                )
            else:
                spans.append(HolidaySpan(override.name, override.date, override.date, weekday_cost))
        return tuple(spans)

    def weekend_workdays_between(self, a: dt.date, b: dt.date) -> tuple[DayOverride, ...]:
        """Return the weekend working days (调休上班) in (a, b]."""
        return tuple(o for o in self._overrides_between(a, b) if o.kind is DayKind.WEEKEND_WORKDAY)

    def overrides_in_year(self, year: int) -> tuple[DayOverride, ...]:
        """Return the year's overrides in date order (empty for a year without data)."""
        return tuple(self._overrides_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)))

    def working_days_in_year(self, year: int) -> WorkdayCount:
        """Return the number of working days in ``year`` (provisional if it has no data)."""
        first = self._index(dt.date(year, 1, 1)) + self._base
        last = self._index(dt.date(year, 12, 31)) + self._base
        days = bisect_right(self._ordinals, last) - bisect_right(self._ordinals, first - 1)
        return WorkdayCount(days, year not in self._known_years)
