"""The 第二十六条 clock: proactive information is disclosed within 20 working days.

Working days come from the official calendar (``gongkai.workcalendar``), through its public
selector ``get_calendar()``. The counting convention is the calendar's: the 成文日期 itself is
not counted, the 发布日期 is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gongkai.workcalendar.selectors import get_calendar

#: 《条例》第二十六条: within 20 working days of the information being formed or changed.
PROACTIVE_LIMIT_WORKING_DAYS = 20


@dataclass(frozen=True)
class Delay:
    """Working days from 成文日期 to 发布日期, whether that is late, and whether provisional."""

    working_days: int
    late: bool
    provisional: bool


def _calendar() -> Any:
    return get_calendar()


def _weekday_count(a: dt.date, b: dt.date) -> int:
    """Monday–Friday days in (a, b] (the fallback when no official calendar is loaded)."""
    total = (b - a).days
    days = total // 7 * 5
    d = a + dt.timedelta(days=total // 7 * 7)
    while d < b:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            days += 1
    return days


def get_calendar_or_none() -> Any:
    """The official calendar (take it once when computing many delays), or None."""
    return _calendar()


def publication_delay(
    written_on: dt.date | None, published_on: dt.date | None, calendar: Any = None
) -> Delay | None:
    """Return the delay between 成文日期 and 发布日期, or None when either date is missing."""
    if written_on is None or published_on is None:
        return None
    if published_on <= written_on:
        return Delay(0, False, False)
    calendar = calendar or _calendar()
    if calendar is None:
        days = _weekday_count(written_on, published_on)
        return Delay(days, days > PROACTIVE_LIMIT_WORKING_DAYS, True)
    try:
        count = calendar.working_days_between(written_on, published_on)
    except ValueError:  # outside the calendar's range
        days = _weekday_count(written_on, published_on)
        return Delay(days, days > PROACTIVE_LIMIT_WORKING_DAYS, True)
    return Delay(count.days, count.days > PROACTIVE_LIMIT_WORKING_DAYS, bool(count.provisional))
