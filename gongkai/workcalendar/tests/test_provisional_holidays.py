"""Years without a loaded notice apply the statutory holidays fixed by 《全国年节及纪念日放假办法》
(decision 1608): no 调休, still provisional, replaced when the year's notice is loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.workcalendar.selectors import get_calendar
from gongkai.workcalendar.services import calendar_year_load
from gongkai.workcalendar.statutory import statutory_holidays
from gongkai.workcalendar.tests.year2027 import year_2027

D = dt.date


def test_statutory_days_of_2027_follow_the_2024_revision() -> None:
    days = {o.date: o.name for o in statutory_holidays(2027)}
    assert days[D(2027, 1, 1)] == "元旦"
    # 春节: 除夕 and 正月初一至初三 (2027-02-06 is 正月初一), four days since 2025.
    assert [d for d, n in days.items() if n == "春节"] == [D(2027, 2, d) for d in (5, 6, 7, 8)]
    assert [d for d, n in days.items() if n == "劳动节"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert days[D(2027, 4, 5)] == "清明节" and days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    assert [d for d, n in days.items() if n == "国庆节"] == [D(2027, 10, d) for d in (1, 2, 3)]
    assert len(days) == 13
    # Before the 2024 revision: 11 days (春节 3, 劳动节 1).
    assert len(statutory_holidays(2018)) == 11


@pytest.mark.django_db
def test_provisional_year_skips_statutory_holidays_and_says_so() -> None:
    cal = get_calendar()
    assert not cal.is_known_year(2027)
    new_year = cal.day(D(2027, 1, 1))
    assert not cal.is_working_day(D(2027, 1, 1)) and new_year.provisional
    assert cal.is_working_day(D(2027, 1, 4))  # Monday
    assert not cal.is_working_day(D(2027, 2, 8))  # 正月初三, a Monday
    # From Thursday 2026-12-31: 1 working day is Monday 2027-01-04, provisionally.
    result = cal.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4) and result.provisional


@pytest.mark.django_db
def test_loading_the_notice_replaces_the_provisional_days() -> None:
    calendar_year_load(data=year_2027(), by=None)
    cal = get_calendar()
    assert cal.is_known_year(2027)
    assert not cal.is_working_day(D(2027, 1, 3)) and not cal.day(D(2027, 1, 3)).provisional
    assert cal.is_working_day(D(2027, 2, 13))  # the notice's 调休 Saturday
    # The test notice has no 清明 entry: the statutory day no longer applies once loaded.
    assert cal.is_working_day(D(2027, 4, 5))
    result = cal.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4) and not result.provisional


@pytest.mark.django_db
def test_open_case_recomputed_when_the_notice_is_loaded(
    tree: Any, staff: Any, monkeypatch: Any
) -> None:
    from django.utils import timezone

    from gongkai.applications.models import Application
    from gongkai.applications.services import application_recompute_deadlines
    from gongkai.applications.tests.factories import make_application

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2027, 1, 20))
    app = make_application(tree.dept_a, staff["handler_a"], received_on=D(2027, 1, 20))
    # 20 working days skipping 除夕 02-05 and 正月初三 02-08 (statutory, provisional); Monday to
    # Friday only would give 2027-02-17.
    assert app.reply_due_on == D(2027, 2, 19) and app.reply_due_provisional
    calendar_year_load(data=year_2027(), by=None)
    application_recompute_deadlines(application=app, reason="2027年工作日历载入")
    app = Application.objects.get(pk=app.pk)
    # The (test) notice: 02-05..02-11 off, Saturday 02-13 a working day.
    assert app.reply_due_on == D(2027, 2, 23) and not app.reply_due_provisional
