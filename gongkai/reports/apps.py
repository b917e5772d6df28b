"""App configuration for the annual-report app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """年度报告: official tables, JSON schema, checks and the parser of published reports."""

    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("年度报告")
