"""Every status and enumeration of annual reports (the single home of these values)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Whose records a report covers: the agency alone, or the agency with its whole subtree."""

    OWN = "OWN", _("本机关")
    CONSOLIDATED = "CONSOLIDATED", _("汇总")


class ReportStatus(models.TextChoices):
    """Where the working copy of a report stands. Every change goes through ``TRANSITIONS``."""

    DRAFT = "DRAFT", _("编制中")
    IN_REVIEW = "IN_REVIEW", _("待审核")
    IN_APPROVAL = "IN_APPROVAL", _("待审批")
    PUBLISHED = "PUBLISHED", _("已发布")


class SeasonState(models.TextChoices):
    """A sub-agency's state on the compilation-season board (derived, never stored)."""

    NOT_STARTED = "NOT_STARTED", _("未开始")
    DRAFTING = "DRAFTING", _("编制中")
    AWAITING_REVIEW = "AWAITING_REVIEW", _("待审核")
    PUBLISHED = "PUBLISHED", _("已发布")
    OVERDUE = "OVERDUE", _("逾期")


class Source(models.TextChoices):
    """Where a report's figures come from."""

    PLATFORM = "PLATFORM", _("平台统计")
    IMPORTED = "IMPORTED", _("历史报告导入")
    SUBMITTED = "SUBMITTED", _("未上平台机关报送")


class EventKind(models.TextChoices):
    """What an entry of a report's history records."""

    CREATED = "CREATED", _("创建")
    REFRESHED = "REFRESHED", _("重新统计")
    CELL_ENTERED = "CELL_ENTERED", _("手工填报")
    CELL_CLEARED = "CELL_CLEARED", _("撤销手工填报")
    NARRATIVE_EDITED = "NARRATIVE_EDITED", _("修改文字部分")
    SUBMITTED = "SUBMITTED", _("提交审核")
    REVIEW_PASSED = "REVIEW_PASSED", _("审核通过")
    REVIEW_RETURNED = "REVIEW_RETURNED", _("审核退回")
    APPROVED = "APPROVED", _("负责人批准并发布")
    APPROVAL_RETURNED = "APPROVAL_RETURNED", _("负责人退回")
    CORRECTION_STARTED = "CORRECTION_STARTED", _("开始更正")
    IMPORTED = "IMPORTED", _("导入")


class JobStatus(models.TextChoices):
    """State of a background report job."""

    QUEUED = "QUEUED", _("排队中")
    RUNNING = "RUNNING", _("进行中")
    DONE = "DONE", _("已完成")
    FAILED = "FAILED", _("失败")


#: Narrative sections that officers write (drafted by the platform from the data).
NARRATIVE_SECTIONS: tuple[str, ...] = ("一", "五", "六")
