"""A ledger import job: the uploaded file, its persisted progress and its error report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.ledger.choices import FINISHED_STATUSES, ImportStatus


class LedgerImport(models.Model):
    """One upload of a historical ledger (台账) into one agency, run as a background task.

    The page polls ``status`` and the counters for its progress bar. ``errors`` holds the bad
    rows (row number, column, Chinese reason — never personal data). The uploaded file is
    deleted once the job has finished, because it carries applicants' personal data.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("导入机关"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("台账文件"), upload_to="ledger/imports/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    checked_rows = models.PositiveIntegerField(_("已校验行数"), default=0)
    imported_rows = models.PositiveIntegerField(_("已导入行数"), default=0)
    bad_rows = models.PositiveIntegerField(_("错误行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    summary = models.JSONField(_("导入统计"), default=dict, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="ledger_import_status"
            )
        ]
        indexes = [models.Index(fields=["agency", "-created_at"], name="ledger_import_agency")]

    def __str__(self) -> str:
        return f"ledger import {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        """True once the job no longer changes."""
        return self.status in FINISHED_STATUSES

    @property
    def succeeded(self) -> bool:
        """True when every row was imported."""
        return self.status == ImportStatus.SUCCEEDED

    @property
    def rejected(self) -> bool:
        """True when bad rows stopped the import (nothing was written)."""
        return self.status == ImportStatus.REJECTED

    @property
    def percent(self) -> int:
        """Progress in percent: reading 5 %, checking up to 50 %, writing up to 100 %."""
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if self.finished:
            return 100
        if self.status in {ImportStatus.QUEUED}:
            return 0
        if self.status == ImportStatus.READING or not self.total_rows:
            return 5
        checked = min(self.checked_rows, self.total_rows) / self.total_rows
        written = min(self.imported_rows, self.total_rows) / self.total_rows
        return min(99, int(5 + 45 * checked + 50 * written))
