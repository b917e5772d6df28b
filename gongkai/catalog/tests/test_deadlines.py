"""The 第二十六条 clock counts the platform's working days against the limit in force."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.deadlines import limit_on, publication_delay

pytestmark = pytest.mark.django_db


def test_holidays_and_adjusted_workdays_come_from_the_calendar():
    """National Day 2024: 29 September (a Sunday) was worked, 1–7 October were not."""
    delay = publication_delay(dt.date(2024, 9, 27), dt.date(2024, 10, 8))
    assert delay is not None
    # A Monday-to-Friday count would say 7 (30 Sep, 1–4 Oct, 7–8 Oct).
    assert delay.working_days == 3 and not delay.late and not delay.provisional


def test_the_limit_is_the_rule_in_force_on_the_written_date():
    """20 working days under the 2008 and the 2019 Regulations; no limit before 2008-05-01."""
    assert limit_on(dt.date(2024, 1, 2)) == limit_on(dt.date(2010, 1, 4)) == 20
    assert limit_on(dt.date(2008, 4, 30)) is None
    late = publication_delay(dt.date(2024, 3, 1), dt.date(2024, 4, 30))
    assert late is not None and late.late and late.working_days > 20
    before = publication_delay(dt.date(2007, 9, 3), dt.date(2007, 12, 3))
    assert before is not None and before.working_days > 20 and not before.late


def test_dates_outside_the_calendar_give_no_delay():
    """A 1995 document: the calendar does not reach it, so no delay is claimed."""
    assert publication_delay(dt.date(1995, 9, 27), dt.date(1995, 11, 8)) is None
    assert publication_delay(None, dt.date(2024, 1, 2)) is None
    assert publication_delay(dt.date(2024, 1, 3), dt.date(2024, 1, 2)) == (
        publication_delay(dt.date(2024, 1, 2), dt.date(2024, 1, 2))
    )
