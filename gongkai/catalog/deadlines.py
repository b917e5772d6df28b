"""The 第二十六条 clock: proactive information is disclosed within N working days.

Working days come from the platform's calendar (``workcalendar.selectors.get_calendar``), the
limit from the legal parameters (``workcalendar.rules``, ``PROACTIVE_DISCLOSURE_DAYS``) in force
on the 成文日期 — 20 working days under the 2008 and the 2019 Regulations, none before the 2008
Regulations. The counting convention is the calendar's: the 成文日期 itself is not counted, the
发布日期 is. A delay through a year without the official schedule is provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.workcalendar.calendar import CalendarRangeError, WorkCalendar
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey
from gongkai.workcalendar.selectors import get_calendar


@dataclass(frozen=True)
class Delay:
    """Working days from 成文日期 to 发布日期, whether that is late, and whether provisional."""

    working_days: int
    late: bool
    provisional: bool


def limit_on(written_on: dt.date) -> int | None:
    """The 第二十六条 limit in working days for information formed on ``written_on`` (None
    when no limit was in force)."""
    rule = DEFAULT_RULES.find(RuleKey.PROACTIVE_DISCLOSURE_DAYS, written_on)
    return rule.days if rule is not None else None


def publication_delay(
    written_on: dt.date | None,
    published_on: dt.date | None,
    calendar: WorkCalendar | None = None,
) -> Delay | None:
    """Return the delay between 成文日期 and 发布日期, or None when either date is missing or
    lies outside the calendar (pass ``calendar`` when computing many delays)."""
    if written_on is None or published_on is None:
        return None
    if published_on <= written_on:
        return Delay(0, False, False)
    calendar = calendar or get_calendar()
    try:
        count = calendar.working_days_between(written_on, published_on)
    except CalendarRangeError:
        return None
    limit = limit_on(written_on)
    late = limit is not None and count.days > limit
    return Delay(count.days, late, bool(count.provisional))
