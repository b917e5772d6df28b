from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = _("人员与角色")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.accounts import signals  # noqa: F401

        # Every app's workspaces.py registers its office workspaces (the office menu).
        autodiscover_modules("workspaces")
