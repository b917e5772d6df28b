"""Helpers of the clock engine tests: run the engine on events and read its deadlines."""

from __future__ import annotations

import datetime as dt

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock import (
    ClockResult,
    Deadline,
    DeadlineName,
    WarningCode,
    compute_deadlines,
)
from gongkai.workcalendar.events import (
    Channel,
    ConsultationParty,
    ConsultationSent,
    Event,
    Received,
)
from gongkai.workcalendar.rules import DEFAULT_RULES, Rules

D = dt.date.fromisoformat
# Monday 2026-03-02: 20 working days → 2026-03-30; 7 → 03-11; 15 → 03-23 (no holidays in March;
# 清明节 takes Monday 2026-04-06; 劳动节 05-01..05-05).
RECEIVED = Received(Channel.IN_PERSON, D("2026-03-02"))
THIRD = ConsultationParty.THIRD_PARTY


def run(
    calendar: WorkCalendar,
    *events: Event,
    today: str = "2026-03-05",
    rules: Rules = DEFAULT_RULES,
    explain: bool = True,
) -> ClockResult:
    return compute_deadlines(events, calendar, rules, today=D(today), explain=explain)


def codes(result: ClockResult) -> list[WarningCode]:
    return [w.code for w in result.warnings]


def get(result: ClockResult, name: DeadlineName = DeadlineName.REPLY, ref: str = "") -> Deadline:
    deadline = result.deadline(name, ref)
    assert deadline is not None, name
    return deadline


def due(
    result: ClockResult, name: DeadlineName = DeadlineName.REPLY, ref: str = ""
) -> dt.date | None:
    return get(result, name, ref).due


def consult(
    sent: str = "2026-03-09",
    delivered: str | None = "2026-03-10",
    party: ConsultationParty = THIRD,
    ref: str = "T1",
) -> ConsultationSent:
    return ConsultationSent(D(sent), ref, party, delivered_on=D(delivered) if delivered else None)
