"""Coded values of the search app (the single home of these values)."""

from django.db import models


class BackendName(models.TextChoices):
    """The search backends a deployment can choose with ``SEARCH_BACKEND``."""

    TANTIVY = "tantivy", "嵌入式索引（tantivy）"
    POSTGRES = "postgres", "PostgreSQL 全文检索"


class ChangeReason(models.TextChoices):
    """Why an object was queued for re-indexing (the outbox records it for diagnosis)."""

    SAVED = "SAVED", "保存"
    DELETED = "DELETED", "删除"
    RELATED = "RELATED", "关联数据变化"
    MANUAL = "MANUAL", "手工刷新"
