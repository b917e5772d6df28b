"""督办单 (supervision orders) and their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongkai.supervision.choices import (
    AWAITING_ANSWER,
    EventKind,
    IndicatorKind,
    Outcome,
    RuleKind,
    Source,
    Status,
    TaskEventKind,
    TaskStatus,
)
from gongkai.supervision.querysets import OrderQuerySet, TaskQuerySet


class Order(models.Model):
    """A 督办单: the supervising office asks a unit (``agency``) to act by ``deadline``.

    ``issuer`` is the disclosure office (政务公开办) of a government above the unit. The number
    is taken from the shared counter per issuer and year.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("被督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.ForeignKey(
        "agencies.Agency", verbose_name=_("督办机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"), default=0)
    number = models.CharField(_("督办单编号"), max_length=60, blank=True)
    source = models.CharField(_("督办事项类别"), max_length=20, choices=Source.choices)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("相关申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        "supervision.Task",
        verbose_name=_("相关任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    subject = models.CharField(_("督办事项"), max_length=200)
    note = models.TextField(_("督办要求"), blank=True)
    deadline = models.DateField(_("反馈时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField(_("办理情况"), blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    outcome = models.CharField(_("督办结果"), max_length=12, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(_("办结意见"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催办日期"), null=True, blank=True)
    escalated_on = models.DateField(_("报送负责人日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("下发时间"), auto_now_add=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="supervision_order_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="supervision_order_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=Outcome.values),
                name="supervision_order_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"督办单 {self.pk}"

    @property
    def awaiting_answer(self) -> bool:
        """True while the unit owes an answer."""
        return self.status in AWAITING_ANSWER

    def is_late(self, today: dt.date) -> bool:
        """True when the answer came after the deadline, or is still owed past it."""
        if self.answered_on is not None:
            return self.answered_on > self.deadline
        return self.awaiting_answer and today > self.deadline

    def answered_in_time(self) -> bool | None:
        """True/False once answered; None while no answer has come."""
        return None if self.answered_on is None else self.answered_on <= self.deadline


class OrderEvent(models.Model):
    """One entry of a 督办单's history (append-only)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(_("办理人"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    def __str__(self) -> str:
        return f"{self.order_id}/{self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Append only: an entry is never changed once written."""
        if self.pk is not None:
            raise ValueError("督办记录不可修改。")
        super().save(*args, **kwargs)


class Task(models.Model):
    """One task of a government's yearly 政务公开工作要点, led by ``agency`` (牵头单位).

    ``issuer`` is the disclosure office that entered it; supporting units (配合单位) see it.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.ForeignKey(
        "agencies.Agency", verbose_name=_("下达机关"), on_delete=models.PROTECT, related_name="+"
    )
    supporting = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("配合单位"), blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    code = models.CharField(_("序号"), max_length=20, blank=True)
    text = models.TextField(_("工作任务"))
    deadline = models.DateField(_("完成时限"))
    evidence_expected = models.TextField(_("预期成果（佐证材料）"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=TaskStatus.choices,
        default=TaskStatus.IN_PROGRESS,
        db_index=True,
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["year", "deadline", "id"]
        verbose_name = _("工作要点任务")
        verbose_name_plural = _("工作要点任务")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values),
                name="supervision_task_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.code or self.pk} {self.text[:30]}"

    @property
    def is_done(self) -> bool:
        """True once the lead unit reported it done (and it was not reopened)."""
        return self.status == TaskStatus.DONE

    def is_overdue(self, today: dt.date) -> bool:
        """Not done and past its deadline."""
        return not self.is_done and today > self.deadline


class TaskEvent(models.Model):
    """One entry of a task's history: a progress report with its evidence links, or a step."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=TaskEventKind.choices)
    text = models.TextField(_("进展情况"), blank=True)
    evidence = models.JSONField(_("佐证材料链接"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(_("报送人"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self) -> str:
        return f"{self.task_id}/{self.kind}"


class Indicator(models.Model):
    """One weighted indicator of an office's scorecard for a year (考核指标及分值).

    ``target``: for count indicators (主动公开信息发布), the number that earns the full weight.
    A year without saved indicators uses the default set (``supervision.scorecard.DEFAULTS``).
    """

    office = models.ForeignKey(
        "agencies.Agency", verbose_name=_("考核机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("指标"), max_length=20, choices=IndicatorKind.choices)
    weight = models.PositiveSmallIntegerField(_("分值"))
    target = models.PositiveIntegerField(_("满分条数"), default=0)

    class Meta:
        ordering = ["office", "year", "id"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "kind"], name="supervision_indicator_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=IndicatorKind.values),
                name="supervision_indicator_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.weight}"


class ColumnRule(models.Model):
    """An update rule of one 法定主动公开 column (第二十条 item), set by an office for its tree.

    ``YEARLY_BY``: something must be published in the column each year by ``month``/``day``;
    ``EVERY_DAYS``: the latest item may not be older than ``days`` days.
    """

    office = models.ForeignKey(
        "agencies.Agency", verbose_name=_("设定机关"), on_delete=models.PROTECT, related_name="+"
    )
    statutory_item = models.PositiveSmallIntegerField(_("法定主动公开内容"))
    kind = models.CharField(_("更新要求"), max_length=12, choices=RuleKind.choices)
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(
        pgettext_lazy("day of month", "日"), null=True, blank=True
    )
    days = models.PositiveIntegerField(_("天数"), null=True, blank=True)

    class Meta:
        ordering = ["office", "statutory_item"]
        verbose_name = _("栏目更新要求")
        verbose_name_plural = _("栏目更新要求")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "statutory_item"], name="supervision_column_rule_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RuleKind.values), name="supervision_rule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statutory_item} {self.kind}"
