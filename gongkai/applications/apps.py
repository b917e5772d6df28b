from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        """Connect to the work calendar's change signal (deadline recomputation)."""
        from gongkai.applications import signals  # noqa: F401
