"""Fixtures for the calendar tests: the shipped official calendar, built once."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.schedule import official_schedules


@pytest.fixture(scope="session")
def official() -> WorkCalendar:
    """The calendar of the shipped 2019–2026 year files (2027 and later unknown)."""
    return WorkCalendar.from_schedules(official_schedules())


@pytest.fixture
def platform_admin(staff: dict[str, Any]) -> Any:
    """The platform admin of the shared staff fixture."""
    return staff["platform_admin"]
