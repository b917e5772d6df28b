from django.apps import AppConfig


class LettersConfig(AppConfig):
    """告知书、答复书 and the case archive (归档)."""

    name = "gongkai.letters"
    label = "letters"
    verbose_name = "告知书与归档"

    def ready(self) -> None:
        """Connect the receivers (the 补正告知书 issued with the correction notice); build the
        sealed archives of the applications' archive jobs."""
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.applications.services.records import register_archive_builder
        from gongkai.letters import signals  # noqa: F401
        from gongkai.letters.services import archive_build

        register_archive_builder(archive_build)
