"""Public engagement: consultations on drafts (征求意见) with their comments, interaction records
(在线访谈, 新闻发布会, 回应关切), the 政务信箱 and 热线 counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.core.fields import EncryptedTextField
from gongkai.engagement.choices import (
    Adoption,
    CommentChannel,
    CommentStatus,
    ConsultationStatus,
    DraftKind,
    EventKind,
    InteractionKind,
    MessageStatus,
)


class ConsultationQuerySet(AgencyScopedQuerySet["Consultation"]):
    """Filters of consultations."""

    def public(self) -> ConsultationQuerySet:
        """Consultations shown on the portal (published for comment, closed or concluded)."""
        return self.exclude(status=ConsultationStatus.DRAFT)


class Consultation(models.Model):
    """A draft published for public comment, its period, and the feedback afterwards."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("起草机关"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("草案名称"), max_length=300)
    kind = models.CharField(_("草案类别"), max_length=20, choices=DraftKind.choices)
    background = models.TextField(_("起草说明"), blank=True)
    body = models.TextField(_("草案全文"))
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"))
    short_period_reason = models.TextField(_("征求意见期限少于30日的理由"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    feedback_summary = models.TextField(_("意见采纳情况说明"), blank=True)
    version = models.PositiveIntegerField(_("草案版本"), default=1)
    opened_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("公布采纳情况时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConsultationStatus.values),
                name="engagement_consultation_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_days(self) -> int:
        """Days of the period, both ends included."""
        return (self.closes_on - self.opens_on).days + 1

    @property
    def is_open(self) -> bool:
        """True while the public may comment."""
        return self.status == ConsultationStatus.OPEN

    @property
    def is_concluded(self) -> bool:
        """True once the 采纳情况 is published."""
        return self.status == ConsultationStatus.CONCLUDED


class DraftProvision(models.Model):
    """A 章, 条 or 款 of one version of a draft, with its stable key (``engagement.provisions``)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="provisions"
    )
    version = models.PositiveIntegerField(_("版本"))
    key = models.CharField(_("标识"), max_length=20)
    kind = models.CharField(_("层级"), max_length=2)
    label = models.CharField(_("条款"), max_length=40)
    text = models.TextField(_("内容"))
    position = models.PositiveIntegerField(_("顺序"))

    class Meta:
        ordering = ["consultation", "version", "position"]
        verbose_name = _("草案条款")
        verbose_name_plural = _("草案条款")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version", "key"], name="engagement_provision_key"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Comment(models.Model):
    """A comment on a draft. The contact is required, encrypted, and never published."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    channel = models.CharField(
        _("来源"), max_length=10, choices=CommentChannel.choices, default=CommentChannel.ONLINE
    )
    name = models.CharField(_("姓名或单位（可不填）"), max_length=100, blank=True)
    contact = EncryptedTextField(_("联系方式"), max_length=200)
    text = models.TextField(_("意见内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    findings = models.JSONField(_("个人信息检测"), default=list, blank=True)
    group_key = models.CharField(max_length=64, db_index=True, blank=True)
    provision_key = models.CharField(_("针对的条款"), max_length=20, blank=True)
    quote = models.CharField(_("引用的原文"), max_length=300, blank=True)
    draft_version = models.PositiveIntegerField(_("草案版本"), default=1)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["consultation", "submitted_at", "id"]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.get_status_display()}"

    @property
    def is_held(self) -> bool:
        """True while the personal-data scan holds the comment back."""
        return self.status == CommentStatus.HELD


class ConsultationEvent(models.Model):
    """An entry of a consultation's history."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(_("操作人"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["consultation", "at", "id"]
        verbose_name = _("征求意见记录")
        verbose_name_plural = _("征求意见记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Interaction(models.Model):
    """An 在线访谈, 新闻发布会 or 回应关切 record, with its public page."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=InteractionKind.choices)
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=300)
    people = models.CharField(_("嘉宾或发布人"), max_length=300, blank=True)
    principal_attended = models.BooleanField(_("主要负责同志参加"), default=False)
    transcript = models.TextField(_("文字实录或回应内容"), blank=True)
    link = models.URLField(_("视频或发布链接"), blank=True)
    published_where = models.CharField(_("发布渠道"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("政民互动记录")
        verbose_name_plural = _("政民互动记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic}"


class MailboxMessage(models.Model):
    """A 政务信箱 message: assigned to a unit, replied within the limit, published on consent."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("信箱所属机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("留言内容"))
    name = models.CharField(_("姓名（可不填）"), max_length=100, blank=True)
    contact = EncryptedTextField(_("联系方式"), max_length=200)
    consent_to_publish = models.BooleanField(_("同意公开留言和答复"), default=False)
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.RECEIVED
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    findings = models.JSONField(_("个人信息检测"), default=list, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("政务信箱留言")
        verbose_name_plural = _("政务信箱留言")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values),
                name="engagement_message_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_public(self) -> bool:
        """Shown on the portal: replied, with the writer's consent, and no personal data found."""
        return (
            self.status == MessageStatus.REPLIED and self.consent_to_publish and not self.findings
        )


class MailboxEvent(models.Model):
    """An entry of a message's history."""

    message = models.ForeignKey(MailboxMessage, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=MessageStatus.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor_repr = models.CharField(_("操作人"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["message", "at", "id"]
        verbose_name = _("信箱办理记录")
        verbose_name_plural = _("信箱办理记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class HotlineCount(models.Model):
    """热线转办 counts of a period, entered from the hotline's own system with their source."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("期间"), max_length=40, default="全年")
    referred = models.PositiveIntegerField(_("转办工单数"))
    completed = models.PositiveIntegerField(_("办结数"))
    source = models.CharField(_("数据来源"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("热线转办统计")
        verbose_name_plural = _("热线转办统计")

    def __str__(self) -> str:
        return f"{self.year} {self.period}"
