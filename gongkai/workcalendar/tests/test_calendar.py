"""The shipped official calendar and its arithmetic, year by year (spec §7)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from gongkai.workcalendar.calendar import (
    CalendarRangeError,
    DayKind,
    DayOverride,
    WorkCalendar,
)
from gongkai.workcalendar.schedule import official_schedules

D = dt.date.fromisoformat

# (start, n, the n-th working day after start): Spring Festival, National Day, 调休 Saturdays
# and Sundays, and year ends of every shipped year. Checked against the State Council notices
# as tabulated in spec §7.2.
ADD_CASES = [
    # 2019
    ("2019-02-01", 1, "2019-02-02"),  # Fri -> 调休 Sat before 春节
    ("2019-02-02", 1, "2019-02-03"),  # 调休 Sat -> 调休 Sun
    ("2019-02-03", 1, "2019-02-11"),  # over 春节 02-04..02-10
    ("2019-04-26", 1, "2019-04-28"),  # Fri -> 调休 Sun (劳动节)
    ("2019-04-30", 1, "2019-05-05"),  # over 劳动节 05-01..05-04 to 调休 Sun
    ("2019-09-27", 1, "2019-09-29"),  # Fri -> 调休 Sun (国庆节)
    ("2019-09-30", 1, "2019-10-08"),  # over 国庆节 10-01..10-07
    ("2019-10-11", 1, "2019-10-12"),  # Fri -> 调休 Sat
    ("2019-12-31", 1, "2020-01-02"),  # year end, over 2020 元旦
    ("2019-09-20", 20, "2019-10-23"),
    # 2020
    ("2020-01-17", 1, "2020-01-19"),  # Fri -> 调休 Sun
    ("2020-01-23", 1, "2020-02-03"),  # over the extended 春节 01-24..02-02
    ("2020-01-31", 1, "2020-02-03"),  # the originally working Sat 02-01 became a day off
    ("2020-06-24", 1, "2020-06-28"),  # over 端午节 to 调休 Sun
    ("2020-09-25", 1, "2020-09-27"),  # Fri -> 调休 Sun (国庆节、中秋节)
    ("2020-09-30", 1, "2020-10-09"),  # over 10-01..10-08
    ("2020-10-09", 1, "2020-10-10"),  # Fri -> 调休 Sat
    ("2020-12-31", 1, "2021-01-04"),  # year end, over 2021 元旦 01-01..01-03
    ("2020-01-10", 20, "2020-02-14"),
    # 2021
    ("2021-02-05", 1, "2021-02-07"),  # Fri -> 调休 Sun
    ("2021-02-10", 1, "2021-02-18"),  # over 春节 02-11..02-17
    ("2021-02-19", 1, "2021-02-20"),  # Fri -> 调休 Sat
    ("2021-09-17", 1, "2021-09-18"),  # Fri -> 调休 Sat (中秋节)
    ("2021-09-24", 1, "2021-09-26"),  # Fri -> 调休 Sun (国庆节)
    ("2021-09-30", 1, "2021-10-08"),  # over 国庆节
    ("2021-10-08", 1, "2021-10-09"),  # Fri -> 调休 Sat
    ("2021-12-31", 1, "2022-01-04"),  # year end, over 2022 元旦 01-01..01-03
    ("2021-01-29", 20, "2021-03-03"),
    # 2022
    ("2022-01-28", 1, "2022-01-29"),  # Fri -> 调休 Sat
    ("2022-01-30", 1, "2022-02-07"),  # 调休 Sun -> over 春节 01-31..02-06
    ("2022-04-01", 1, "2022-04-02"),  # Fri -> 调休 Sat (清明节)
    ("2022-09-30", 1, "2022-10-08"),  # over 国庆节 to 调休 Sat
    ("2022-10-09", 1, "2022-10-10"),  # 调休 Sun -> Mon
    ("2022-12-30", 1, "2023-01-03"),  # year end: 12-31 (in 2022's file) and 2023-01-01/02 off
    ("2022-01-20", 20, "2022-02-22"),
    # 2023
    ("2023-01-20", 1, "2023-01-28"),  # over 春节 01-21..01-27 to 调休 Sat
    ("2023-01-29", 1, "2023-01-30"),  # 调休 Sun -> Mon
    ("2023-06-21", 1, "2023-06-25"),  # over 端午节 to 调休 Sun
    ("2023-09-28", 1, "2023-10-07"),  # over 中秋节、国庆节 09-29..10-06 to 调休 Sat
    ("2023-10-08", 1, "2023-10-09"),  # 调休 Sun -> Mon
    ("2023-12-29", 1, "2024-01-02"),  # year end: 12-30/31 (in 2023's file) and 2024-01-01 off
    ("2023-09-20", 20, "2023-10-24"),
    # 2024
    ("2024-02-02", 1, "2024-02-04"),  # Fri -> 调休 Sun
    ("2024-02-08", 1, "2024-02-09"),  # 除夕 was still a working day in 2024
    ("2024-02-17", 1, "2024-02-18"),  # last day of 春节 -> 调休 Sun
    ("2024-04-03", 1, "2024-04-07"),  # over 清明节 to 调休 Sun
    ("2024-09-13", 1, "2024-09-14"),  # Fri -> 调休 Sat (中秋节)
    ("2024-09-27", 1, "2024-09-29"),  # Fri -> 调休 Sun (国庆节)
    ("2024-09-30", 1, "2024-10-08"),  # over 国庆节
    ("2024-10-11", 1, "2024-10-12"),  # Fri -> 调休 Sat
    ("2024-12-31", 1, "2025-01-02"),  # year end, over 2025 元旦
    ("2024-01-31", 20, "2024-03-04"),
    # 2025
    ("2025-01-24", 1, "2025-01-26"),  # Fri -> 调休 Sun
    ("2025-01-27", 1, "2025-02-05"),  # over 春节 01-28 (除夕)..02-04
    ("2025-02-07", 1, "2025-02-08"),  # Fri -> 调休 Sat
    ("2025-04-25", 1, "2025-04-27"),  # Fri -> 调休 Sun (劳动节)
    ("2025-04-30", 1, "2025-05-06"),  # over 劳动节 05-01..05-05
    ("2025-09-26", 1, "2025-09-28"),  # Fri -> 调休 Sun
    ("2025-09-30", 1, "2025-10-09"),  # over 国庆节、中秋节 10-01..10-08
    ("2025-10-10", 1, "2025-10-11"),  # Fri -> 调休 Sat
    ("2025-12-31", 1, "2026-01-04"),  # year end, over 2026 元旦 to 调休 Sun
    ("2025-09-26", 20, "2025-10-30"),  # spec §7.5 example
    # 2026
    ("2026-01-03", 1, "2026-01-04"),  # 调休 Sun after 元旦
    ("2026-02-13", 1, "2026-02-14"),  # Fri -> 调休 Sat
    ("2026-02-14", 1, "2026-02-24"),  # over 春节 02-15..02-23
    ("2026-02-27", 1, "2026-02-28"),  # Fri -> 调休 Sat
    ("2026-09-18", 1, "2026-09-20"),  # Fri -> 调休 Sun (国庆节)
    ("2026-09-30", 1, "2026-10-08"),  # over 国庆节
    ("2026-10-09", 1, "2026-10-10"),  # Fri -> 调休 Sat
    ("2026-02-10", 20, "2026-03-16"),  # spec §7.5: reply limit
    ("2026-02-10", 7, "2026-02-26"),  # spec §7.5: correction notice
    ("2026-02-10", 40, "2026-04-14"),  # spec §7.5: extended limit
]

# (date, is a working day): days off inside blocks and weekend working days, every year.
DAY_CASES = [
    ("2019-02-02", True),
    ("2019-02-04", False),
    ("2019-05-02", False),
    ("2019-10-12", True),
    ("2020-01-19", True),
    ("2020-02-01", False),
    ("2020-10-08", False),
    ("2021-02-20", True),
    ("2021-09-18", True),
    ("2021-09-20", False),
    ("2022-04-02", True),
    ("2022-10-09", True),
    ("2022-12-31", False),
    ("2023-01-02", False),
    ("2023-06-25", True),
    ("2023-10-06", False),
    ("2024-02-09", True),
    ("2024-02-16", False),
    ("2024-04-07", True),
    ("2024-09-14", True),
    ("2025-01-28", False),
    ("2025-05-02", False),
    ("2025-09-28", True),
    ("2025-10-11", True),
    ("2026-01-04", True),
    ("2026-02-23", False),
    ("2026-05-09", True),
    ("2026-09-20", True),
    ("2026-10-07", False),
]

SPEC_COUNTS = {
    2019: 250,
    2020: 249,
    2021: 250,
    2022: 249,
    2023: 249,
    2024: 251,
    2025: 248,
    2026: 248,
}


@pytest.mark.parametrize(("start", "n", "expected"), ADD_CASES)
def test_add_working_days_per_year(
    official: WorkCalendar, start: str, n: int, expected: str
) -> None:
    """The n-th working day after a date follows each year's official schedule."""
    result = official.add_working_days(D(start), n)
    assert result.date == D(expected)
    assert result.provisional is False


@pytest.mark.parametrize(("start", "n", "expected"), ADD_CASES)
def test_working_days_between_inverts_the_table(
    official: WorkCalendar, start: str, n: int, expected: str
) -> None:
    """Counting the working days in (start, result] gives back n."""
    assert official.working_days_between(D(start), D(expected)).days == n


@pytest.mark.parametrize(("day", "working"), DAY_CASES)
def test_is_working_day_per_year(official: WorkCalendar, day: str, working: bool) -> None:
    """Days off (weekdays included) are not working days; 调休 weekend days are."""
    assert official.is_working_day(D(day)) is working


@pytest.mark.parametrize(("year", "count"), sorted(SPEC_COUNTS.items()))
def test_working_days_per_year_match_the_spec(
    official: WorkCalendar, year: int, count: int
) -> None:
    """The shipped years have exactly the working-day counts of spec §7.2."""
    assert official.working_days_in_year(year) == (count, False)


def test_every_day_2019_to_2026_agrees_with_the_holidays_package(official: WorkCalendar) -> None:
    """Every date 2019-01-01..2026-12-31 has the same status as holidays.China()."""
    china = holidays.China(years=range(2019, 2027))
    day = dt.date(2019, 1, 1)
    mismatches = []
    while day.year <= 2026:
        if official.is_working_day(day) != china.is_working_day(day):
            mismatches.append(day)
        day += dt.timedelta(days=1)
    assert mismatches == []


def test_shipped_years_are_2019_to_2026(official: WorkCalendar) -> None:
    """The code ships one year file per year 2019–2026, each with its source notice."""
    schedules = official_schedules()
    assert [s.year for s in schedules] == list(range(2019, 2027))
    assert official.known_years == frozenset(range(2019, 2027))
    for schedule in schedules:
        assert schedule.source.title.startswith(f"国务院办公厅关于{schedule.year}年")
        assert schedule.source.url.startswith("http")


def test_confirmed_document_numbers_only(official: WorkCalendar) -> None:
    """Only the 2021 and 2025 notice numbers are confirmed (spec §8 item 9); others are null."""
    numbers = {s.year: s.source.doc_number for s in official_schedules()}
    assert numbers[2021] == "国办发明电〔2020〕27号"
    assert numbers[2025] == "国办发明电〔2024〕12号"
    assert {y for y, n in numbers.items() if n is None} == {2019, 2020, 2022, 2023, 2024, 2026}


def test_the_start_day_is_not_counted(official: WorkCalendar) -> None:
    """add_working_days(d, 1) is the next working day even when d itself is a working day."""
    assert official.add_working_days(D("2026-03-16"), 1).date == D("2026-03-17")
    assert official.add_working_days(D("2026-03-16"), 0).date == D("2026-03-16")
    assert official.working_days_between(D("2026-03-16"), D("2026-03-16")).days == 0
    assert official.working_days_between(D("2026-03-16"), D("2026-03-17")).days == 1


def test_from_a_non_working_day_the_first_working_day_counts(official: WorkCalendar) -> None:
    """From a Sunday, one working day later is Monday (unlike chinese_calendar.find_workday)."""
    assert official.add_working_days(D("2026-03-01"), 1).date == D("2026-03-02")


def test_between_is_signed(official: WorkCalendar) -> None:
    """working_days_between(b, a) is minus working_days_between(a, b)."""
    assert official.working_days_between(D("2026-03-16"), D("2026-02-10")).days == -20


def test_2027_is_provisional(official: WorkCalendar) -> None:
    """A year without official data uses the weekday rule, and every result says so."""
    result = official.add_working_days(D("2026-12-20"), 20)
    assert result.provisional is True
    # Monday–Friday only: even 2027-01-01 (元旦) counts until the 2027 notice is loaded.
    assert result.date == D("2027-01-15")
    assert official.working_days_in_year(2027) == (261, True)
    assert official.working_days_between(D("2026-12-01"), D("2027-01-05")).provisional
    assert official.touches_unknown_year(D("2026-12-31"), D("2027-01-01"))
    assert official.unknown_years_between(D("2026-06-01"), D("2028-01-01")) == (2027, 2028)
    assert official.day(D("2027-02-10")).provisional


def test_results_inside_known_years_are_not_provisional(official: WorkCalendar) -> None:
    """Nothing is flagged while the count stays in known years, even up to 12-31."""
    assert official.add_working_days(D("2026-12-01"), 22).provisional is False
    assert official.add_working_days(D("2026-12-31"), 0).provisional is False
    assert not official.touches_unknown_year(D("2026-01-01"), D("2026-12-31"))


def test_the_day_before_a_known_year_counts_only_days_after_it(official: WorkCalendar) -> None:
    """(2018-12-31, 2019-01-02]: only 2019 days are counted, so the result is not provisional."""
    result = official.add_working_days(D("2018-12-31"), 1)
    assert result == (D("2019-01-02"), False)


def test_holidays_between_names_the_blocks(official: WorkCalendar) -> None:
    """Explanations get the days off grouped by holiday, with the weekdays they cost."""
    spans = official.holidays_between(D("2026-02-10"), D("2026-03-16"))
    assert [(s.name, s.first, s.last, s.weekdays_off) for s in spans] == [
        ("春节", D("2026-02-15"), D("2026-02-23"), 6)
    ]
    workdays = official.weekend_workdays_between(D("2026-02-10"), D("2026-03-16"))
    assert [(w.date, w.name) for w in workdays] == [
        (D("2026-02-14"), "春节"),
        (D("2026-02-28"), "春节"),
    ]


def test_day_reports_the_override(official: WorkCalendar) -> None:
    """day() tells why a date has its status."""
    info = official.day(D("2026-02-28"))
    assert info.working is True
    assert info.override == DayOverride(D("2026-02-28"), DayKind.WEEKEND_WORKDAY, "春节")
    assert official.day(D("2026-03-02")).override is None


def test_negative_counts_are_refused(official: WorkCalendar) -> None:
    """A negative number of working days is an error, not a subtraction."""
    with pytest.raises(ValueError, match="负数"):
        official.add_working_days(D("2026-02-10"), -1)


def test_dates_outside_the_span_are_refused(official: WorkCalendar) -> None:
    """The calendar covers 2000–2099 by default; beyond that is an error, never a guess."""
    with pytest.raises(CalendarRangeError):
        official.is_working_day(D("1999-12-31"))
    with pytest.raises(CalendarRangeError):
        official.add_working_days(D("2099-12-30"), 5)
    with pytest.raises(CalendarRangeError):
        official.working_days_between(D("2026-01-01"), D("2100-01-01"))


def test_the_calendar_is_immutable(official: WorkCalendar) -> None:
    """No attribute can be set on a built calendar."""
    with pytest.raises(AttributeError):
        official.first_day = D("2001-01-01")  # type: ignore[misc]


def test_overrides_must_belong_to_a_known_year() -> None:
    """An override in a year without official data is refused (years are loaded whole)."""
    with pytest.raises(ValueError, match="没有载入"):
        WorkCalendar([2026], [DayOverride(D("2027-01-01"), DayKind.HOLIDAY, "元旦")])


def test_weekday_cannot_be_a_weekend_workday() -> None:
    """Only a Saturday or Sunday can be declared a working day."""
    with pytest.raises(ValueError, match="星期六或星期日"):
        WorkCalendar([2026], [DayOverride(D("2026-03-02"), DayKind.WEEKEND_WORKDAY, "x")])


def test_a_new_year_makes_results_final() -> None:
    """Loading 2027 (here: a made-up schedule) turns 2027 results from provisional to final."""
    without = WorkCalendar.from_schedules(official_schedules())
    with_2027 = WorkCalendar(
        range(2019, 2028),
        [
            *(o for y in range(2019, 2027) for o in without.overrides_in_year(y)),
            DayOverride(D("2027-01-01"), DayKind.HOLIDAY, "元旦"),
        ],
    )
    assert without.add_working_days(D("2026-12-31"), 1) == (D("2027-01-01"), True)
    assert with_2027.add_working_days(D("2026-12-31"), 1) == (D("2027-01-04"), False)
