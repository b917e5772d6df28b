from django.apps import AppConfig


class LettersConfig(AppConfig):
    """告知书、答复书 and the case archive (归档)."""

    name = "gongkai.letters"
    label = "letters"
    verbose_name = "告知书与归档"

    def ready(self) -> None:
        """Connect the receivers (the 补正告知书 issued with the correction notice)."""
        from gongkai.letters import signals  # noqa: F401
