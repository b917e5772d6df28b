"""Properties of the working-day arithmetic, checked by hypothesis over 2018–2028."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.schedule import official_schedules

CALENDAR = WorkCalendar.from_schedules(official_schedules())
DATES = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2028, 12, 31))
COUNTS = st.integers(min_value=0, max_value=300)


@settings(max_examples=400, deadline=None)
@given(start=DATES, n=st.integers(min_value=1, max_value=300))
def test_result_is_always_a_working_day(start: dt.date, n: int) -> None:
    """The n-th working day after any date (n ≥ 1) is a working day, later than the start."""
    result = CALENDAR.add_working_days(start, n).date
    assert result > start
    assert CALENDAR.is_working_day(result)


@settings(max_examples=400, deadline=None)
@given(start=DATES, n=COUNTS)
def test_between_inverts_add(start: dt.date, n: int) -> None:
    """working_days_between(d, add_working_days(d, n)) == n."""
    result = CALENDAR.add_working_days(start, n).date
    assert CALENDAR.working_days_between(start, result).days == n


@settings(max_examples=400, deadline=None)
@given(start=DATES, a=COUNTS, b=COUNTS)
def test_adding_in_two_steps_equals_adding_once(start: dt.date, a: int, b: int) -> None:
    """add(add(d, a), b) == add(d, a + b), provisional flag included."""
    once = CALENDAR.add_working_days(start, a + b)
    first = CALENDAR.add_working_days(start, a)
    second = CALENDAR.add_working_days(first.date, b)
    assert second.date == once.date
    assert (first.provisional or second.provisional) == once.provisional


@settings(max_examples=400, deadline=None)
@given(start=DATES, n=st.integers(min_value=1, max_value=300))
def test_no_working_day_is_skipped(start: dt.date, n: int) -> None:
    """Exactly n - 1 working days lie strictly between the start and the n-th working day."""
    result = CALENDAR.add_working_days(start, n).date
    previous = result - dt.timedelta(days=1)
    assert CALENDAR.working_days_between(start, previous).days == n - 1


@settings(max_examples=300, deadline=None)
@given(a=DATES, b=DATES)
def test_between_is_antisymmetric_and_matches_a_day_by_day_count(a: dt.date, b: dt.date) -> None:
    """The bisection count equals a naive day-by-day count, with the sign of b − a."""
    lo, hi = min(a, b), max(a, b)
    naive = sum(
        CALENDAR.is_working_day(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1)
    )
    count = CALENDAR.working_days_between(a, b)
    assert count.days == (naive if b >= a else -naive)
    first_counted = lo + dt.timedelta(days=1)
    assert count.provisional == (lo < hi and (first_counted.year < 2019 or hi.year > 2026))


@settings(max_examples=300, deadline=None)
@given(start=DATES, n=st.integers(min_value=1, max_value=300))
def test_provisional_exactly_when_an_unknown_year_is_reached(start: dt.date, n: int) -> None:
    """The flag is set iff some day in (start, result] lies outside 2019–2026."""
    result = CALENDAR.add_working_days(start, n)
    first_counted = start + dt.timedelta(days=1)
    touches = first_counted.year < 2019 or result.date.year > 2026
    assert result.provisional == touches
