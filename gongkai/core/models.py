"""Shared models: the append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit entries can be read and filtered; never updated or deleted in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(_("审计日志只能追加，不能修改。"))

    def delete(self) -> NoReturn:
        raise AuditImmutableError(_("审计日志只能追加，不能删除。"))

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(_("审计日志只能追加，不能修改。"))

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(_("审计日志只能追加，不能修改。"))

    def for_agencies(self, agency_ids: set[int]) -> AuditEventQuerySet:
        """Entries recorded against any of the given agencies."""
        return self.filter(agency_id__in=agency_ids)


class AuditEvent(models.Model):
    """One state change: who, in which role and agency, when, from where, what, before/after.

    Each entry carries the hash of the previous one (``prev_hash``) and its own hash over
    its content, so that any edit, deletion or insertion in the middle breaks the chain.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人名称"), max_length=200, blank=True)
    role = models.CharField(_("角色"), max_length=40, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ip = models.CharField(_("IP地址"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError(_("审计日志只能追加，不能修改。"))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(_("审计日志只能追加，不能删除。"))


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain (locked per append)."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"audit chain head #{self.seq}"


class Counter(models.Model):
    """The last number taken in one numbering (受理编号, 文书编号, 索引号 …) per agency and year.

    ``scope`` names the numbering (``"applications.registration"``); ``agency`` is empty for a
    platform-wide numbering. ``gongkai.core.counters.next_value`` takes numbers under a row lock
    in the caller's transaction, so they are gapless and never given out twice.
    """

    scope = models.CharField(_("编号种类"), max_length=60)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last_value = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "agency", "year"],
                condition=models.Q(agency__isnull=False),
                name="core_counter_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["scope", "year"],
                condition=models.Q(agency__isnull=True),
                name="core_counter_unique_platform",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.agency_id or '-'}/{self.year}: {self.last_value}"
