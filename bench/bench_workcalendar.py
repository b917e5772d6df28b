"""Benchmark of the working-day calendar and the clock engine (pure: no database).

    .venv/bin/python bench/bench_workcalendar.py [--calls 1000000] [--cases 100000] [--seed 2026]

Times
1. ``add_working_days`` over one million random (start, n) pairs, 2019-01-01..2027-06-30,
   n in 0..60;
2. ``compute_deadlines`` for 100,000 synthetic cases mixing corrections, consultations,
   extensions, fees, 第三十五条 deadlines, replies and withdrawals — without and with the Chinese
   explanation;
and compares each with a naive day-by-day calendar (a loop over dates, the way a library
without precomputation counts), measured in the same run on a smaller sample and scaled.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.workcalendar.calendar import WorkCalendar, WorkdayCount, WorkdayResult  # noqa: E402
from gongkai.workcalendar.clock import compute_deadlines  # noqa: E402
from gongkai.workcalendar.events import (  # noqa: E402
    Channel,
    ConsultationAnswered,
    ConsultationParty,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeReceived,
    FeeNoticeSent,
    FeePaid,
    LongerDeadlineSet,
    Received,
    Replied,
    Withdrawn,
)
from gongkai.workcalendar.schedule import official_schedules  # noqa: E402

FIRST = dt.date(2019, 1, 1)
LAST = dt.date(2027, 6, 30)
ONE_DAY = dt.timedelta(days=1)


class NaiveCalendar:
    """The same answers as WorkCalendar, counted one date at a time (the baseline)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self._working: dict[dt.date, bool] = {}
        self._known = calendar.known_years
        day = dt.date(2018, 1, 1)
        while day.year < 2030:
            self._working[day] = calendar.is_working_day(day)
            day += ONE_DAY

    def _is_working(self, day: dt.date) -> bool:
        return self._working[day]

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        day = start
        provisional = False
        while n:
            day += ONE_DAY
            provisional = provisional or day.year not in self._known
            if self._is_working(day):
                n -= 1
        return WorkdayResult(day, provisional)

    def working_days_between(self, a: dt.date, b: dt.date) -> WorkdayCount:
        lo, hi = (a, b) if a <= b else (b, a)
        count = 0
        provisional = False
        day = lo
        while day < hi:
            day += ONE_DAY
            provisional = provisional or day.year not in self._known
            count += self._is_working(day)
        return WorkdayCount(count if b >= a else -count, provisional)

    def touches_unknown_year(self, a: dt.date, b: dt.date) -> bool:
        return self.working_days_between(a, b).provisional

    def unknown_years_between(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        lo, hi = (a, b) if a <= b else (b, a)
        return tuple(y for y in range((lo + ONE_DAY).year, hi.year + 1) if y not in self._known)


def random_day(rng: random.Random, first: dt.date = FIRST, last: dt.date = LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def synthetic_case(rng: random.Random) -> tuple[list[Event], dt.date]:
    """Return one case's events and a 'today', with a realistic mix of what happens."""
    received = random_day(rng, dt.date(2019, 6, 1), dt.date(2026, 10, 31))
    day = received
    events: list[Event] = [Received(Channel.IN_PERSON, received)]

    def later(lo: int, hi: int) -> dt.date:
        nonlocal day
        day = day + dt.timedelta(days=rng.randint(lo, hi))
        return day

    if rng.random() < 0.25:  # correction
        sent = later(1, 9)
        events.append(CorrectionRequested(sent, sent + dt.timedelta(days=15)))
        if rng.random() < 0.85:
            events.append(CorrectionReceived(later(2, 14)))
    if rng.random() < 0.2:  # consultation
        party = ConsultationParty.THIRD_PARTY if rng.random() < 0.7 else ConsultationParty.AGENCY
        sent = later(1, 10)
        events.append(ConsultationSent(sent, "C1", party, delivered_on=sent + ONE_DAY))
        if rng.random() < 0.8:
            events.append(ConsultationAnswered(later(3, 20), "C1"))
    if rng.random() < 0.15:  # extension
        events.append(ExtensionApproved(later(5, 20), rng.choice((5, 10, 15, 20)), "需要调取档案"))
    if rng.random() < 0.1:  # fee
        events.append(FeeNoticeSent(later(1, 10)))
        events.append(FeeNoticeReceived(later(1, 3)))
        if rng.random() < 0.8:
            events.append(FeePaid(later(1, 20)))
    if rng.random() < 0.03:  # 第三十五条
        events.append(LongerDeadlineSet(later(1, 5), day + dt.timedelta(days=90), "申请数量过多"))
    roll = rng.random()
    if roll < 0.6:
        events.append(Replied(later(1, 25)))
    elif roll < 0.65:
        events.append(Withdrawn(later(1, 10)))
    today = day + dt.timedelta(days=rng.randint(0, 40))
    return events, today


def timed(fn: Callable[[], Any]) -> float:
    """Return the seconds ``fn`` takes, with the garbage collector off (as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def each(fn: Callable[..., Any], items: list[Any]) -> Callable[[], None]:
    """Return a loop calling ``fn(*item)`` for every item, keeping no results."""

    def loop() -> None:
        for item in items:
            fn(*item)

    return loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--naive-calls", type=int, default=50_000)
    parser.add_argument("--naive-cases", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    calendar = WorkCalendar.from_schedules(official_schedules())
    naive = NaiveCalendar(calendar)
    pairs = [(random_day(rng), rng.randint(0, 60)) for _ in range(args.calls)]
    cases = [synthetic_case(rng) for _ in range(args.cases)]

    # the two calendars must agree before their speed means anything
    for start, n in pairs[:2000]:
        assert calendar.add_working_days(start, n) == naive.add_working_days(start, n)
    for events, today in cases[:300]:
        fast = compute_deadlines(events, calendar, today=today, explain=False)
        slow = compute_deadlines(events, naive, today=today, explain=False)  # type: ignore[arg-type]
        assert fast == slow

    add_seconds = timed(each(calendar.add_working_days, pairs))
    naive_sample = pairs[: args.naive_calls]
    naive_add_seconds = timed(each(naive.add_working_days, naive_sample))
    naive_add_scaled = naive_add_seconds * len(pairs) / len(naive_sample)

    def case_loop(cal: Any, sample: list[tuple[list[Event], dt.date]], explain: bool) -> float:
        return timed(each(lambda e, t: compute_deadlines(e, cal, today=t, explain=explain), sample))

    bare_seconds = case_loop(calendar, cases, False)
    explained_seconds = case_loop(calendar, cases, True)
    naive_cases = cases[: args.naive_cases]
    naive_case_seconds = case_loop(naive, naive_cases, False)
    naive_case_scaled = naive_case_seconds * len(cases) / len(naive_cases)
    events = sum(len(e) for e, _ in cases)

    print(f"Python {platform.python_version()} on {platform.machine()}, seed {args.seed}")
    print(
        f"add_working_days: {len(pairs):,} calls in {add_seconds:.2f} s "
        f"({add_seconds / len(pairs) * 1e6:.2f} µs/call); naive day-by-day loop "
        f"{naive_add_scaled:.1f} s (scaled from {len(naive_sample):,} calls) = "
        f"{naive_add_scaled / add_seconds:.0f}× slower"
    )
    print(
        f"compute_deadlines: {len(cases):,} cases ({events:,} events) in {bare_seconds:.2f} s "
        f"without explanation ({bare_seconds / len(cases) * 1e6:.0f} µs/case), "
        f"{explained_seconds:.2f} s with the Chinese explanation; on the naive calendar "
        f"{naive_case_scaled:.1f} s (scaled from {len(naive_cases):,} cases) = "
        f"{naive_case_scaled / bare_seconds:.1f}× slower"
    )


if __name__ == "__main__":
    main()
