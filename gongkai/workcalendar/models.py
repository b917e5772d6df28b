"""The calendar tables: the platform's own record of each year's official schedule.

At run time these rows are the truth (``selectors.get_calendar`` builds the ``WorkCalendar``
from them); the JSON files shipped in ``data/official/`` only seed them (migration 0002). A
year is always replaced whole (``services.calendar_year_load``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.workcalendar.choices import CalendarDayKind


class CalendarYear(models.Model):
    """One calendar year whose official schedule is loaded, with the notice it comes from."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source_title = models.CharField(_("通知标题"), max_length=200)
    source_url = models.URLField(_("通知网址"), max_length=500)
    source_issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    source_doc_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("未确认时留空")
    )
    amendments = models.JSONField(
        _("修订通知"), default=list, blank=True, help_text=_("调整当年安排的后续通知")
    )
    loaded_at = models.DateTimeField(_("载入时间"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("载入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """A date the year's notice sets: a day off (放假) or a weekend working day (调休上班)."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CalendarDayKind.choices)
    holiday = models.CharField(_("节日"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历日期")
        verbose_name_plural = _("日历日期")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarDayKind.values),
                name="workcalendar_day_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.holiday}"
