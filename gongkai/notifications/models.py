"""Every notification sent, recorded (what, to whom masked, when, outcome): to applicants about
their case, and to staff about work addressed to them (督办单)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.notifications.choices import NotificationChannel, NotificationKind, NotificationStatus


class Notification(models.Model):
    """One message to an applicant about their case, by e-mail or SMS.

    ``event`` is the case timeline entry that caused it: one notification per entry and channel
    (a repeated hook call sends nothing twice). The recipient is stored masked; the text holds
    the registration number and the step, no identity data.
    """

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    #: For staff messages: what caused it (e.g. ``supervision.order:12:REMINDED:2026-03-02``);
    #: one message per reference, channel and recipient.
    reference = models.CharField(_("事由"), max_length=120, blank=True, default="")
    event = models.ForeignKey(
        "applications.ApplicationEvent",
        verbose_name=_("办理记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.CharField(_("接收方（脱敏）"), max_length=120)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    status = models.CharField(_("结果"), max_length=10, choices=NotificationStatus.choices)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=models.Q(event__isnull=False),
                name="notifications_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["reference", "channel"],
                condition=~models.Q(reference=""),
                name="notifications_once_per_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=NotificationChannel.values),
                name="notifications_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id or self.reference}/{self.kind}/{self.channel}"
