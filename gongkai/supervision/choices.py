"""Every status and kind of the supervision app (the single home of these values)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a 督办单 stands."""

    OPEN = "OPEN", _("待反馈")
    ANSWERED = "ANSWERED", _("已反馈")
    CLOSED = "CLOSED", _("已办结")


class EventKind(models.TextChoices):
    """Entries of a 督办单's history."""

    ISSUED = "ISSUED", _("下发督办单")
    REMINDED = "REMINDED", _("催办提醒")
    ESCALATED = "ESCALATED", _("逾期未反馈，报送负责人")
    ANSWERED = "ANSWERED", _("反馈办理情况")
    RETURNED = "RETURNED", _("退回重新办理")
    CLOSED = "CLOSED", _("办结")


class Source(models.TextChoices):
    """What a 督办单 is about."""

    APPLICATION = "APPLICATION", _("依申请公开办理")
    REPORT = "REPORT", _("年度报告")
    TASK = "TASK", _("政务公开工作要点任务")
    COLUMN = "COLUMN", _("法定主动公开栏目")
    OTHER = "OTHER", _("其他")


class Outcome(models.TextChoices):
    """The issuer's finding when closing a 督办单."""

    RESOLVED = "RESOLVED", _("已整改到位")
    PARTLY = "PARTLY", _("部分整改")
    UNRESOLVED = "UNRESOLVED", _("未整改")


#: Statuses in which the unit still owes an answer.
AWAITING_ANSWER = frozenset({Status.OPEN})
#: Statuses in which the issuer still has to act.
AWAITING_ISSUER = frozenset({Status.ANSWERED})


class TaskStatus(models.TextChoices):
    """Where a task of the yearly list (政务公开工作要点) stands."""

    IN_PROGRESS = "IN_PROGRESS", _("推进中")
    DONE = "DONE", _("已完成")


class TaskEventKind(models.TextChoices):
    """Entries of a task's history (the unit's progress reports among them)."""

    CREATED = "CREATED", _("下达任务")
    PROGRESS = "PROGRESS", _("报送进展")
    DONE = "DONE", _("报送完成")
    REOPENED = "REOPENED", _("退回继续推进")


class IndicatorKind(models.TextChoices):
    """The scorecard's indicators (考核指标), each computed from the record."""

    ON_TIME = "ON_TIME", _("依申请公开按时办结")
    NOT_CORRECTED = "NOT_CORRECTED", _("行政复议、诉讼未被纠错")
    REPORT_ON_TIME = "REPORT_ON_TIME", _("年度报告按时发布")
    REPORT_PASSES = "REPORT_PASSES", _("年度报告通过体检")
    GUIDE_UPDATED = "GUIDE_UPDATED", _("政府信息公开指南按时更新")
    PUBLISHED = "PUBLISHED", _("主动公开信息发布")
    TASKS_DONE = "TASKS_DONE", _("工作要点任务按时完成")
    ORDERS_IN_TIME = "ORDERS_IN_TIME", _("督办事项按时反馈")
    COLUMNS_FRESH = "COLUMNS_FRESH", _("法定主动公开栏目按要求更新")


class RuleKind(models.TextChoices):
    """How a statutory column must be kept up to date."""

    YEARLY_BY = "YEARLY_BY", _("每年在规定日期前更新")
    EVERY_DAYS = "EVERY_DAYS", _("至少每隔规定天数更新")
    AFTER_EVENT = "AFTER_EVENT", _("事件发生后规定工作日内公开")
