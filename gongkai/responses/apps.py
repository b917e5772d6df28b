from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Response documents: the material provided with a reply, its redaction and delivery."""

    name = "gongkai.responses"
    verbose_name = "答复材料"
