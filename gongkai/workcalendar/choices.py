"""Kinds of calendar days (the single home of these values).

The values are those of the pure ``calendar.DayKind`` so that rows map to the engine's
overrides without translation tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.workcalendar.calendar import DayKind


class CalendarDayKind(models.TextChoices):
    """How the State Council notice sets a date: a day off, or a weekend working day."""

    HOLIDAY = DayKind.HOLIDAY.value, _("放假")
    WEEKEND_WORKDAY = DayKind.WEEKEND_WORKDAY.value, _("调休上班")
