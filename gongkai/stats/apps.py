"""App configuration for the maintained aggregates."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _fill_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Fill empty aggregates of an existing database once (the first migrate after upgrading)."""
    # ready(): app modules with models import only once the app registry is ready.
    from gongkai.stats import maintenance

    maintenance.fill_if_empty()


class StatsConfig(AppConfig):
    """统计汇总: aggregates of applications, reviews, lawsuits and catalogue items per agency
    and subtree, maintained with every write (decision 2006)."""

    name = "gongkai.stats"
    label = "stats"
    verbose_name = _("统计汇总")

    def ready(self) -> None:
        """Connect the write hooks."""
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.stats import hooks

        hooks.connect()
        post_migrate.connect(_fill_after_migrate, sender=self, dispatch_uid="stats.fill")
