from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        """Public pages cached for anonymous visitors go stale when what they show changes; the
        media sweep expires staged uploads."""
        from django.db.models.signals import post_delete, post_save

        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.agencies.models import Agency
        from gongkai.catalog.models import Attachment, CatalogItem, Category, ItemVersion
        from gongkai.core.media import register_sweep_step
        from gongkai.core.pagecache import invalidate
        from gongkai.portal.expiry import expire_staged

        register_sweep_step(expire_staged)
        for model in (CatalogItem, Attachment, ItemVersion, Category, Agency):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"pagecache-del-{model}")
