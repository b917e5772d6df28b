"""Search data kept in the database: the synonym list, the index outbox and index identity."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.search.choices import ChangeReason
from gongkai.search.segment import split_terms


class Synonym(models.Model):
    """A group of interchangeable terms, edited by platform admins (发改委 = 发展和改革委员会).

    Every term of the group is added to the segmenter's dictionary, and a query for any of them
    also matches the others.
    """

    terms = models.CharField(
        _("同义词组"),
        max_length=500,
        help_text=_("用逗号或空格分隔，例如：发改委，发展和改革委员会"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        """The group's terms, split and stripped."""
        return split_terms(self.terms)


class IndexChange(models.Model):
    """One entry of the index outbox: object ``object_id`` of index ``index`` changed.

    Rows are written in the same transaction as the change itself; every server applies the
    rows it has not seen yet to its own embedded index after commit (and before each search).
    """

    index = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    reason = models.CharField(max_length=10, choices=ChangeReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("索引变更")
        verbose_name_plural = _("索引变更")
        indexes = [models.Index(fields=["index", "id"], name="search_change_index_id")]

    def __str__(self) -> str:
        return f"{self.index}:{self.object_id}"


class IndexIdentity(models.Model):
    """A random token naming this database's copy of an index.

    An embedded index records the token it was built for; an index built for another database
    (a restored backup, a test run) is rebuilt instead of being trusted.
    """

    index = models.CharField(max_length=40, unique=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("索引标识")
        verbose_name_plural = _("索引标识")

    def __str__(self) -> str:
        return f"{self.index} {self.token}"
