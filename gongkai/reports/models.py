"""Annual reports (政府信息公开工作年度报告): the working copy, its published versions, history,
compilation-season settings and reminders, and background jobs.

The figures of a platform report are *computed* from the record (``statistics.py``); the model
stores the last computation (``data``, the JSON shape of :mod:`gongkai.reports.schema`) so pages
and exports read it without recounting, the cells entered by hand (``manual_cells``), and the
prose officers write (``narrative``). Publishing freezes ``data`` + ``narrative`` into an
immutable :class:`ReportVersion`; a correction (更正) adds a later version and keeps the earlier.
Every write goes through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.reports.choices import EventKind, JobStatus, ReportStatus, Scope, Source


class AnnualReportQuerySet(AgencyScopedQuerySet["AnnualReport"]):
    """Composable filters over annual reports (``visible_to`` from the scoped base)."""

    def published(self) -> AnnualReportQuerySet:
        """Reports with a published version (shown on the portal)."""
        return self.filter(published_version__isnull=False)


class AnnualReport(models.Model):
    """One agency's report for one year and scope (本机关 or 汇总)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scope = models.CharField(_("统计范围"), max_length=20, choices=Scope.choices)
    format = models.PositiveSmallIntegerField(_("报告格式"))
    source = models.CharField(
        _("数据来源"), max_length=20, choices=Source.choices, default=Source.PLATFORM
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    data = models.JSONField(_("统计表"), default=dict, blank=True)
    manual_cells = models.JSONField(
        _("手工填报的单元格"),
        default=dict,
        blank=True,
        help_text=_("单元格 → 数值、填报人、来源、时间。"),
    )
    narrative = models.JSONField(_("文字部分"), default=dict, blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    computed_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    published_version = models.ForeignKey(
        "ReportVersion",
        verbose_name=_("当前发布版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "agency__path", "scope"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "scope"], name="reports_one_per_agency_year_scope"
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=Scope.values), name="reports_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="reports_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="reports_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["year", "agency"], name="reports_year_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.scope}"

    @property
    def is_consolidated(self) -> bool:
        """True for a 汇总 report (the agency and its whole subtree)."""
        return self.scope == Scope.CONSOLIDATED

    @property
    def published(self) -> ReportVersion:
        """The published version of a report selected as published (raises if there is none)."""
        if self.published_version is None:
            raise ValueError(f"report {self} has no published version")
        return self.published_version

    @property
    def is_computed(self) -> bool:
        """True when the figures come from the platform's records."""
        return self.source == Source.PLATFORM


class ReportVersion(models.Model):
    """A published (frozen) version of a report: the figures and prose as published."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    data = models.JSONField(_("统计表"))
    manual_cells = models.JSONField(_("手工填报的单元格"), default=dict, blank=True)
    narrative = models.JSONField(_("文字部分"), default=dict, blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    published_on = models.DateField(_("发布日期"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("年度报告发布版本")
        verbose_name_plural = _("年度报告发布版本")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: a published version is never rewritten."""
        if not self._state.adding:
            raise ValueError("已发布的版本不能修改。")
        super().save(*args, **kwargs)


class VersionVerdict(models.Model):
    """The 年报体检 of a published version, run when it was published (``verdict.py``): a row
    of its own so reading the verdicts of every unit never reads the versions' figures."""

    version = models.OneToOneField(
        ReportVersion, on_delete=models.CASCADE, primary_key=True, related_name="verdict"
    )
    #: ``[[is_hard, message], …]``.
    checks = models.JSONField(_("体检结果"), default=list)
    #: The published version of the year before the cross-year checks ran against (None: none).
    checked_against = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.version_id}: {len(self.checks)}"


class ReportEvent(models.Model):
    """An entry of a report's history (who did what, when, with a note)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("年度报告记录")
        verbose_name_plural = _("年度报告记录")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class SeasonSetting(models.Model):
    """Local deadlines a government sets for its subtree's reports of one year.

    The statutory dates are 31 January (departments) and 31 March (governments) of the next
    year (第四十九条); a government may set earlier dates for the agencies below it.
    """

    government = models.ForeignKey(
        "agencies.Agency", verbose_name=_("人民政府"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    department_due_on = models.DateField(_("部门报告截止日期"), null=True, blank=True)
    government_due_on = models.DateField(_("下级政府报告截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("年报编制期限")
        verbose_name_plural = _("年报编制期限")
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="reports_season_unique")
        ]

    def __str__(self) -> str:
        return f"{self.government_id}/{self.year}"


class Reminder(models.Model):
    """A reminder the disclosure office sent to a sub-agency about its report."""

    government = models.ForeignKey(
        "agencies.Agency", verbose_name=_("发出机关"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("提醒对象"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    message = models.TextField(_("提醒内容"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("年报催报提醒")
        verbose_name_plural = _("年报催报提醒")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}"


class ReportJob(models.Model):
    """A background computation of a report, with a persisted progress for the progress bar."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(
        _("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    steps = models.PositiveSmallIntegerField(_("总步骤"), default=1)
    message = models.CharField(_("当前步骤"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("年报统计任务")
        verbose_name_plural = _("年报统计任务")

    def __str__(self) -> str:
        return f"job {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        """True once the job no longer changes."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def succeeded(self) -> bool:
        """True when the recomputation completed."""
        return self.status == JobStatus.DONE

    @property
    def failed(self) -> bool:
        """True when the recomputation stopped on an error."""
        return self.status == JobStatus.FAILED

    @property
    def percent(self) -> int:
        """Progress in percent (0–100)."""
        return int(100 * self.step / self.steps) if self.steps else 0
