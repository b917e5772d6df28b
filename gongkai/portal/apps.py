from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        """Public pages cached for anonymous visitors go stale when what they show changes."""
        from django.db.models.signals import post_delete, post_save

        from gongkai.agencies.models import Agency
        from gongkai.catalog.models import Attachment, CatalogItem, Category, ItemVersion
        from gongkai.core.pagecache import invalidate

        for model in (CatalogItem, Attachment, ItemVersion, Category, Agency):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"pagecache-del-{model}")
