"""Chinese wording for dates and calendar facts in explanations.

The pure engine cannot use Django's i18n; the legal domain speaks Chinese only, so the
explanation lines are composed here, in one place, in Simplified Chinese.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.schedule import WEEKDAY_NAMES

__all__ = ["PROVISIONAL", "calendar_lines", "cn_date", "cn_span", "cn_weekday"]

PROVISIONAL = "暂定"


def cn_date(day: dt.date) -> str:
    """Return ``day`` as people write it: 2026年3月16日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_weekday(day: dt.date) -> str:
    """Return the weekday name of ``day`` (星期一 … 星期日)."""
    return WEEKDAY_NAMES[day.weekday()]


def cn_span(first: dt.date, last: dt.date) -> str:
    """Return a date range: 2026年2月15日至2月23日 (the year once when it does not change)."""
    if first == last:
        return cn_date(first)
    if first.year == last.year:
        return f"{cn_date(first)}至{last.month}月{last.day}日"
    return f"{cn_date(first)}至{cn_date(last)}"


def calendar_lines(calendar: WorkCalendar, after: dt.date, until: dt.date) -> list[str]:
    """Describe the calendar facts that shaped a count over (after, until].

    One line for the days off skipped (by holiday name and dates), one for the weekend working
    days counted, and one per year without official data.
    """
    if until <= after:
        return []
    lines: list[str] = []
    spans = calendar.holidays_between(after, until)
    costly = [s for s in spans if s.weekdays_off]
    if costly:
        parts = "；".join(
            f"{s.name}（{cn_span(s.first, s.last)}，其中星期一至星期五共{s.weekdays_off}天）"
            for s in costly
        )
        lines.append(f"期间跳过的放假日：{parts}。")
    workdays = calendar.weekend_workdays_between(after, until)
    if workdays:
        parts = "、".join(
            f"{cn_date(w.date)}（{cn_weekday(w.date)}，{w.name}调休）" for w in workdays
        )
        lines.append(f"期间计入的调休上班日：{parts}。")
    for year in calendar.unknown_years_between(after, until):
        lines.append(
            f"{year}年的国务院节假日安排尚未载入本平台，该年暂按星期一至星期五为工作日推算，"
            f"结果为{PROVISIONAL}，载入后将重新计算。"
        )
    return lines
