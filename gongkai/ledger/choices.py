"""Statuses of ledger imports (the single home of these values)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """Where a ledger import job stands."""

    QUEUED = "QUEUED", _("排队中")
    READING = "READING", _("正在读取文件")
    VALIDATING = "VALIDATING", _("正在校验")
    IMPORTING = "IMPORTING", _("正在导入")
    SUCCEEDED = "SUCCEEDED", _("导入完成")
    REJECTED = "REJECTED", _("有错误，未导入")
    FAILED = "FAILED", _("处理出错")


#: Statuses after which the job no longer changes.
FINISHED_STATUSES = frozenset({ImportStatus.SUCCEEDED, ImportStatus.REJECTED, ImportStatus.FAILED})
