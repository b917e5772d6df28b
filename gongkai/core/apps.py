from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.core import checks  # noqa: F401 - registers the deployment checks
