from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search interface over every app's declared index, with pluggable backends."""

    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        """Load every app's ``search.py`` declarations and connect the index-refresh signals."""
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.search import registry, signals

        registry.autodiscover()
        signals.connect_all()
