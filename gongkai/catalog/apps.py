from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """主动公开: the disclosure catalogue, its publishing workflow and public reads."""

    name = "gongkai.catalog"
    verbose_name = "政府信息公开目录"
