from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Response documents: the material provided with a reply, its redaction and delivery."""

    name = "gongkai.responses"
    verbose_name = "答复材料"

    def ready(self) -> None:
        """Register the documents' check on the reply's way to review and approval."""
        # AppConfig.ready: the models of every app are loaded only now
        from gongkai.applications.workflow import REPLY_CHECKS
        from gongkai.responses.services import reply_check

        if reply_check not in REPLY_CHECKS:
            REPLY_CHECKS.append(reply_check)
