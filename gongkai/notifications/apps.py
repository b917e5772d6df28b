from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongkai.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.notifications import signals  # noqa: F401 - connect the receivers
