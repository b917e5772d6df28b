from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Legacy ledger (台账) import and export, and the repeat-check partial of registration."""

    name = "gongkai.ledger"
    label = "ledger"
    verbose_name = "台账导入导出"
