"""Enumerations of the applicant's side of online applications."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """What an uploaded file is for."""

    IDENTITY = "IDENTITY", _("身份证明复印件")
    ATTACHMENT = "ATTACHMENT", _("申请材料")
    CORRECTION = "CORRECTION", _("补正材料")
    PAYMENT = "PAYMENT", _("缴费凭证")
