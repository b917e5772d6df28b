"""Workflows of public engagement: a consultation on a draft, and a 政务信箱 message.

Consultation: 准备中 → (publish) 征求意见中 → (close) 已截止 → (conclude) 已公布采纳情况. The
public comment while it is open (``PUBLIC``); staff moderate and answer comments as steps
that keep the status. Message: 待分办 → (assign) 办理中 → (reply) 已答复.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.core.actors import SYSTEM, SystemActor
from gongkai.core.workflow import StepRefused, Transition, Workflow, event_recorder
from gongkai.engagement.choices import CommentStatus, EventKind
from gongkai.engagement.choices import ConsultationStatus as C
from gongkai.engagement.choices import MessageStatus as M
from gongkai.engagement.models import (
    Consultation,
    ConsultationEvent,
    MailboxEvent,
    MailboxMessage,
)

#: A member of the public on the portal (comments, mailbox messages).
PUBLIC = SystemActor("public", "公众（网上）")
PLATFORM = frozenset({SYSTEM})


class EngagementError(StepRefused):
    """A step is not allowed now, or its input is wrong (Chinese message)."""


def _all_answered(consultation: Consultation) -> str | None:
    open_ = consultation.comments.filter(status__in=[CommentStatus.PENDING, CommentStatus.HELD])
    if open_.exists():
        return "还有未审核的意见。"
    unanswered = consultation.comments.filter(status=CommentStatus.ACCEPTED, adoption="")
    return "还有意见未填写采纳情况。" if unanswered.exists() else None


CONSULTATION = Workflow(
    model=Consultation,
    transitions=[
        Transition(
            "create",
            _("新建"),
            set(),
            C.DRAFT,
            action="engagement.manage",
            event=EventKind.CREATED,
            actors=PLATFORM,
        ),
        Transition("edit", _("修改"), {C.DRAFT}, None, action="engagement.manage", actors=PLATFORM),
        Transition(
            "revise",
            _("导入新版本草案"),
            {C.DRAFT, C.OPEN},
            None,
            action="engagement.manage",
            event=EventKind.EDITED,
            actors=PLATFORM,
        ),
        Transition(
            "publish",
            _("发布征求意见"),
            {C.DRAFT},
            C.OPEN,
            action="engagement.publish",
            event=EventKind.OPENED,
            actors=PLATFORM,
        ),
        Transition(
            "comment",
            _("提交意见"),
            {C.OPEN},
            None,
            action="engagement.manage",
            actors=frozenset({PUBLIC, SYSTEM}),
        ),
        Transition(
            "moderate",
            _("审核意见"),
            {C.OPEN, C.CLOSED},
            None,
            action="engagement.moderate",
            actors=PLATFORM,
        ),
        Transition(
            "close",
            _("截止征求意见"),
            {C.OPEN},
            C.CLOSED,
            action="engagement.manage",
            event=EventKind.CLOSED,
            actors=PLATFORM,
        ),
        Transition(
            "answer",
            _("填写采纳情况"),
            {C.CLOSED},
            None,
            action="engagement.manage",
            actors=PLATFORM,
        ),
        Transition(
            "conclude",
            _("公布采纳情况"),
            {C.CLOSED},
            C.CONCLUDED,
            action="engagement.publish",
            guard=_all_answered,
            event=EventKind.CONCLUDED,
            actors=PLATFORM,
        ),
    ],  # fmt: skip
    check=require,
    record_event=event_recorder(ConsultationEvent, "consultation"),
    audit_prefix="consultation",
    describe=lambda c: f"征求意见：{c.title}",
    audit_fields=("status", "opens_on", "closes_on"),
    refusal=EngagementError,
)


MAILBOX = Workflow(
    model=MailboxMessage,
    transitions=[
        Transition(
            "receive",
            _("收到留言"),
            set(),
            M.RECEIVED,
            action="engagement.manage",
            event=M.RECEIVED,
            actors=frozenset({PUBLIC, SYSTEM}),
        ),
        Transition(
            "assign",
            _("分办"),
            {M.RECEIVED, M.ASSIGNED},
            M.ASSIGNED,
            action="engagement.manage",
            event=M.ASSIGNED,
            actors=PLATFORM,
        ),
        Transition(
            "reply",
            _("答复"),
            {M.ASSIGNED},
            M.REPLIED,
            action="engagement.manage",
            event=M.REPLIED,
            actors=PLATFORM,
        ),
    ],  # fmt: skip
    check=require,
    record_event=event_recorder(MailboxEvent, "message", with_user=False),
    audit_prefix="mailbox",
    describe=lambda m: f"政务信箱：{m.subject}",
    related=("agency", "unit"),
    refusal=EngagementError,
)
