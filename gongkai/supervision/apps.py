from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """监督考核: 督办 of late work, the dashboard across the tree, tasks and the scorecard."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.supervision"
    verbose_name = _("监督考核")
