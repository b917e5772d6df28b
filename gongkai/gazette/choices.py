"""Every status and coded value of the gazette (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueStatus(models.TextChoices):
    """Where an issue stands: compiled in the office, then published (and frozen)."""

    DRAFT = "DRAFT", _("编辑中")
    PUBLISHED = "PUBLISHED", _("已出版")


class IssueKind(models.TextChoices):
    """Regular issues and the two kinds numbered in their own series within the year."""

    REGULAR = "REGULAR", _("正刊")
    SUPPLEMENT = "SUPPLEMENT", _("增刊")
    SPECIAL = "SPECIAL", _("特刊")


class Section(models.TextChoices):
    """The sections of an issue, in the order the gazette prints them."""

    REGULATION = "REGULATION", _("政府规章")
    GOVERNMENT = "GOVERNMENT", _("政府文件")
    OFFICE = "OFFICE", _("政府办公室文件")
    DEPARTMENT = "DEPARTMENT", _("部门文件")
    PERSONNEL = "PERSONNEL", _("人事任免")
    CORRECTION = "CORRECTION", _("更正")
    OTHER = "OTHER", _("其他")


#: Section order as printed (the order of the choices).
SECTION_ORDER = {value: i for i, value in enumerate(Section.values)}


class EventKind(models.TextChoices):
    """Steps of an issue's history."""

    CREATED = "CREATED", _("新建")
    EDITED = "EDITED", _("编辑")
    PUBLISHED = "PUBLISHED", _("出版")
