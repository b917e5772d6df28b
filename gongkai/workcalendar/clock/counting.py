"""Counting a clock: a start, a budget of working days, and pauses that are not counted.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock.results import Pause


@dataclass(frozen=True, slots=True)
class Skip:
    pause: Pause
    first: dt.date  # exclusive
    last: dt.date  # inclusive
    working_days: int


@dataclass(frozen=True, slots=True)
class Run:
    due: dt.date | None  # None while paused
    remaining: int  # working days left on the clock when paused
    used: int  # working days already counted when paused
    paused_by: Pause | None
    skips: tuple[Skip, ...]
    provisional: bool


def run_clock(calendar: WorkCalendar, start: dt.date, budget: int, pauses: Iterable[Pause]) -> Run:
    """Count ``budget`` working days after ``start``, not counting the days inside ``pauses``."""
    cursor = start
    remaining = budget
    provisional = False
    skips: list[Skip] = []
    for pause in sorted(pauses, key=lambda p: p.start):
        begin = max(pause.start, cursor)
        if pause.end is not None and pause.end <= begin:
            continue  # already covered, or entirely before the clock started
        used = calendar.working_days_between(cursor, begin)
        provisional = provisional or used.provisional
        if used.days >= remaining:
            break  # the clock ran out before this pause began
        remaining -= used.days
        if pause.end is None:
            return Run(None, remaining, budget - remaining, pause, tuple(skips), provisional)
        skipped = calendar.working_days_between(begin, pause.end)
        provisional = provisional or skipped.provisional
        skips.append(Skip(pause, begin, pause.end, skipped.days))
        cursor = pause.end
    result = calendar.add_working_days(cursor, remaining)
    return Run(result.date, 0, budget, None, tuple(skips), provisional or result.provisional)
