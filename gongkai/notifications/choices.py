"""Enumerations of notifications (the single home of these values)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    """How a notification travels."""

    EMAIL = "EMAIL", _("电子邮件")
    SMS = "SMS", _("短信")


class NotificationKind(models.TextChoices):
    """What the applicant (or, for 督办, the staff member) is told about."""

    RECEIVED = "RECEIVED", _("受理回执")
    CORRECTION_REQUESTED = "CORRECTION_REQUESTED", _("补正告知")
    FEE_NOTICE = "FEE_NOTICE", _("收费通知")
    EXTENDED = "EXTENDED", _("延期答复")
    REPLIED = "REPLIED", _("答复")
    CONCLUDED = "CONCLUDED", _("办理终结")
    SUPERVISION = "SUPERVISION", _("督办通知")


class NotificationStatus(models.TextChoices):
    """The outcome of sending."""

    SENT = "SENT", _("已发送")
    FAILED = "FAILED", _("发送失败")
