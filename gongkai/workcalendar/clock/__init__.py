"""The statutory clock: a pure function from a case's events to its deadlines.

``compute_deadlines(events, calendar, rules, today=...)`` replays the events in date order
(same-day events keep their log order) and returns a ``ClockResult``: the named deadlines
(reply, correction notice, consultation answers, fee payment, internal target), each with its
due date, working days remaining, state and a Chinese explanation of how it was reached; the
case status the events imply; and warnings (a late correction notice, an extension approved
too late, …).

The rules it applies (spec §1.3–1.4, §2):

* receipt date by channel (第三十一条); the start day is never counted (decision 0100);
* reply within 20 working days of receipt (第三十三条), 15 for receipts before 2019-05-15
  (2008 Regulations 第二十四条), the limits being looked up in ``rules`` by receipt date;
* correction (第三十条): notice due within 7 working days of receipt; a corrected application
  starts the reply limit again; an unused correction period closes the case as abandoned;
* consultation of third parties / other agencies (第三十二、三十三、三十四条): the time is not
  counted — from the day after the letter is sent until the answer, or the end of the
  15-working-day answer window, whichever is first; each window is its own deadline;
* extension (第三十三条): at most 20 working days in total, only if approved on or before the
  deadline it extends;
* fee (信息处理费管理办法): payment within 20 working days from the day after the applicant
  receives the notice; unpaid → closed as abandoned; while it is outstanding the reply clock
  stands still (decision 0101; configurable in ``Rules``);
* 第三十五条: a later reasonable reply date set by the head, with the reason.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock.replay import CaseReplay
from gongkai.workcalendar.clock.report import build_result
from gongkai.workcalendar.clock.results import (
    DEADLINE_LABELS,
    ClockResult,
    ClockStatus,
    ClockWarning,
    Deadline,
    DeadlineName,
    DeadlineState,
    Pause,
    PauseReason,
    WarningCode,
)
from gongkai.workcalendar.events import Event
from gongkai.workcalendar.rules import DEFAULT_RULES, Rules

__all__ = [
    "DEADLINE_LABELS",
    "ClockResult",
    "ClockStatus",
    "ClockWarning",
    "Deadline",
    "DeadlineName",
    "DeadlineState",
    "Pause",
    "PauseReason",
    "WarningCode",
    "compute_deadlines",
]


def compute_deadlines(
    events: Iterable[Event],
    calendar: WorkCalendar,
    rules: Rules = DEFAULT_RULES,
    *,
    today: dt.date,
    explain: bool = True,
) -> ClockResult:
    """Replay ``events`` and return the case's deadlines, status and warnings on ``today``.

    Events are applied in date order; events on the same date keep their given order. Pass
    ``explain=False`` to skip composing the Chinese explanation (for bulk recomputation).
    """
    case = CaseReplay(calendar=calendar, rules=rules, today=today, explain=explain)
    for _, event in sorted(enumerate(events), key=lambda pair: (pair[1].on, pair[0])):
        case.apply(event)
    return build_result(case)
