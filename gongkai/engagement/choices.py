"""Every status and coded value of public engagement (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationStatus(models.TextChoices):
    """Where a consultation on a draft stands."""

    DRAFT = "DRAFT", _("准备中")
    OPEN = "OPEN", _("征求意见中")
    CLOSED = "CLOSED", _("已截止")
    CONCLUDED = "CONCLUDED", _("已公布采纳情况")


class DraftKind(models.TextChoices):
    """What is consulted on; 规章 and 重大行政决策 drafts need at least 30 days."""

    REGULATION = "REGULATION", _("规章草案")
    MAJOR_DECISION = "MAJOR_DECISION", _("重大行政决策草案")
    NORMATIVE = "NORMATIVE", _("行政规范性文件草案")
    OTHER = "OTHER", _("其他")


#: Kinds whose consultation period must be at least ``MIN_PERIOD_DAYS`` unless a reason is given.
LONG_PERIOD_KINDS = frozenset({DraftKind.REGULATION, DraftKind.MAJOR_DECISION})
MIN_PERIOD_DAYS = 30


class CommentStatus(models.TextChoices):
    """Moderation of a public comment."""

    PENDING = "PENDING", _("待审核")
    HELD = "HELD", _("含个人信息，暂扣")
    ACCEPTED = "ACCEPTED", _("已受理")
    REJECTED = "REJECTED", _("不予受理")


#: Comments that count as received (and need a feedback answer).
COUNTED_COMMENTS = frozenset({CommentStatus.ACCEPTED})


class CommentChannel(models.TextChoices):
    """How a comment arrived."""

    ONLINE = "ONLINE", _("网上提交")
    LETTER = "LETTER", _("信函")
    EMAIL = "EMAIL", _("电子邮件")


class Adoption(models.TextChoices):
    """采纳情况 of a comment."""

    ADOPTED = "ADOPTED", _("采纳")
    PARTLY = "PARTLY", _("部分采纳")
    NOT_ADOPTED = "NOT_ADOPTED", _("未采纳")


class EventKind(models.TextChoices):
    """Steps of a consultation's history."""

    CREATED = "CREATED", _("新建")
    EDITED = "EDITED", _("修改")
    OPENED = "OPENED", _("发布征求意见")
    CLOSED = "CLOSED", _("截止")
    MODERATED = "MODERATED", _("审核意见")
    ANSWERED = "ANSWERED", _("填写采纳情况")
    CONCLUDED = "CONCLUDED", _("公布采纳情况")


class InteractionKind(models.TextChoices):
    """政民互动 records counted in the annual report."""

    INTERVIEW = "INTERVIEW", _("在线访谈")
    PRESS_CONFERENCE = "PRESS_CONFERENCE", _("新闻发布会")
    RESPONSE = "RESPONSE", _("回应关切")


class MessageStatus(models.TextChoices):
    """A 政务信箱 message: received → assigned to a unit → replied (→ published with consent)."""

    RECEIVED = "RECEIVED", _("待分办")
    ASSIGNED = "ASSIGNED", _("办理中")
    REPLIED = "REPLIED", _("已答复")
