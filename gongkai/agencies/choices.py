"""Kinds and levels of agencies (the single home of these values)."""

from django.db import models


class AgencyKind(models.TextChoices):
    """人民政府 or one of its working departments."""

    GOVERNMENT = "GOVERNMENT", "人民政府"
    DEPARTMENT = "DEPARTMENT", "部门"


class AgencyLevel(models.TextChoices):
    """Administrative level of the government an agency belongs to."""

    CITY = "CITY", "市级"
    COUNTY = "COUNTY", "县级"
    TOWNSHIP = "TOWNSHIP", "乡级"
