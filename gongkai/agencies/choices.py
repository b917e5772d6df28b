"""Kinds and levels of agencies (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    """人民政府 or one of its working departments."""

    GOVERNMENT = "GOVERNMENT", _("人民政府")
    DEPARTMENT = "DEPARTMENT", _("部门")


class AgencyLevel(models.TextChoices):
    """Administrative level of the government an agency belongs to."""

    CITY = "CITY", _("市级")
    COUNTY = "COUNTY", _("县级")
    TOWNSHIP = "TOWNSHIP", _("乡级")
