from django.apps import AppConfig


class LettersConfig(AppConfig):
    """告知书、答复书 and the case archive (归档)."""

    name = "gongkai.letters"
    label = "letters"
    verbose_name = "告知书与归档"
