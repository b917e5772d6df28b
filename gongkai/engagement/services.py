"""Every write of public engagement: one function per step, through the workflow kernel."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.permissions import require
from gongkai.catalog.scan import mask, personal_data_matches
from gongkai.core.actors import SYSTEM, Actor
from gongkai.core.audit import record_audit
from gongkai.engagement.choices import (
    LONG_PERIOD_KINDS,
    MIN_PERIOD_DAYS,
    Adoption,
    CommentChannel,
    CommentStatus,
    ConsultationStatus,
    DraftKind,
    EventKind,
    InteractionKind,
)
from gongkai.engagement.models import (
    Comment,
    Consultation,
    DraftProvision,
    HotlineCount,
    Interaction,
    MailboxMessage,
)
from gongkai.engagement.provisions import Provision, carry_keys, parse
from gongkai.engagement.workflow import CONSULTATION, MAILBOX, PUBLIC, EngagementError

MAX_TEXT = 5000
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def period_refusal(kind: str, opens_on: dt.date, closes_on: dt.date, reason: str) -> str | None:
    """Why a consultation period is not allowed, or None.

    At least 30 days (both ends counted) for 规章 and 重大行政决策 drafts unless a reason for a
    shorter period is recorded (decision 2103).
    """
    if closes_on < opens_on:
        return "截止日期不能早于开始日期。"
    days = (closes_on - opens_on).days + 1
    if kind in LONG_PERIOD_KINDS and days < MIN_PERIOD_DAYS and not reason.strip():
        return f"规章和重大行政决策草案的征求意见期限一般不少于{MIN_PERIOD_DAYS}日（本次{days}日）；期限更短的，请写明理由。"
    return None


def consultation_create(
    *,
    by: Actor,
    agency: Any,
    title: str,
    kind: str,
    body: str,
    opens_on: dt.date,
    closes_on: dt.date,
    background: str = "",
    short_period_reason: str = "",
) -> Consultation:
    """Prepare a draft for public comment."""
    if not title.strip() or not body.strip():
        raise EngagementError({"title": ["请填写草案名称和全文。"]})
    if kind not in DraftKind.values:
        raise EngagementError({"kind": ["请选择草案类别。"]})
    refusal = period_refusal(kind, opens_on, closes_on, short_period_reason)
    if refusal:
        raise EngagementError({"closes_on": [refusal]})
    consultation = Consultation(
        agency=agency,
        title=title.strip(),
        kind=kind,
        body=body,
        background=background,
        opens_on=opens_on,
        closes_on=closes_on,
        short_period_reason=short_period_reason.strip(),
    )
    with CONSULTATION.perform(consultation, "create", by=by) as step:
        step.audit_after.update(kind=kind, days=consultation.period_days)
        step.obj.save()
        _save_provisions(step.obj, parse(body.splitlines()))
    return step.obj


def _save_provisions(consultation: Consultation, provisions: list[Provision]) -> None:
    DraftProvision.objects.bulk_create(
        DraftProvision(
            consultation=consultation, version=consultation.version, key=p.key, kind=p.kind,
            label=p.label, text=p.text, position=i,
        )
        for i, p in enumerate(provisions)
    )  # fmt: skip


def consultation_revise(
    *, by: Actor, consultation: Consultation, paragraphs: list[str]
) -> Consultation:
    """Take a new version of the draft (e.g. imported from DOCX) as 章/条/款.

    Articles keep the stable keys of the previous version's articles they continue, so earlier
    comments stay attached to the right article (``provisions.carry_keys``).
    """
    new = parse(paragraphs)
    if not any(p.kind == "条" for p in new):
        raise EngagementError({"draft": ["未识别到“第X条”格式的条文，请检查草案文件。"]})
    with CONSULTATION.perform(consultation, "revise", by=by, audit="consultation.revise") as step:
        c = step.obj
        old = [
            Provision(p.kind, p.label, p.text, p.key, p.key.split(".")[0] if p.kind == "款" else "")
            for p in c.provisions.filter(version=c.version)
        ]
        c.version += 1 if old else 0
        _save_provisions(c, carry_keys(old, new) if old else new)
        c.body = "\n".join(p.strip() for p in paragraphs if p.strip())
        step.record(
            EventKind.EDITED, note=f"草案第{c.version}版，{sum(p.kind == '条' for p in new)}条"
        )
        step.audit_after["version"] = c.version
    return step.obj


def consultation_publish(
    *, by: Actor, consultation: Consultation, today: dt.date | None = None
) -> Consultation:
    """Publish the draft on the portal for comment (the period rule is checked again).

    ``today``: the day of publication when the platform records a past consultation (the
    demo city, an import); staff publish on the current day.
    """
    with CONSULTATION.perform(consultation, "publish", by=by) as step:
        c = step.obj
        refusal = period_refusal(c.kind, c.opens_on, c.closes_on, c.short_period_reason)
        if refusal:
            raise EngagementError(refusal)
        if c.closes_on < (today or timezone.localdate()):
            raise EngagementError("截止日期已过，请先修改征求意见期限。")
        c.opened_at = timezone.now()
    return step.obj


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def group_key(text: str) -> str:
    """The same key for near-identical comments (spacing, punctuation and case ignored)."""
    return hashlib.sha256(_NOISE.sub("", text).lower().encode("utf-8")).hexdigest()


def findings_of(text: str) -> list[dict[str, str]]:
    """The personal data in a text (the catalogue's scan), masked."""
    return [{"kind": f.kind, "masked": mask(f.kind, f.value)} for f in personal_data_matches(text)]


def masked_text(text: str) -> str:
    """The text with every personal datum found by the scan masked."""
    out, last = [], 0
    for f in sorted(personal_data_matches(text), key=lambda f: f.start):
        out.append(text[last : f.start])
        out.append(mask(f.kind, f.value))
        last = f.end
    out.append(text[last:])
    return "".join(out)


def comment_submit(
    *,
    by: Actor,
    consultation: Consultation,
    contact: str,
    text: str,
    name: str = "",
    channel: str = CommentChannel.ONLINE,
    provision_key: str = "",
    quote: str = "",
) -> Comment:
    """Take a comment (online, or a letter or e-mail entered by staff) into moderation.

    The contact is required and never published. The personal-data scan runs on every
    comment; a comment with a finding is held (暂扣) until a moderator decides.
    """
    errors: dict[str, list[str]] = {}
    if not contact.strip():
        errors["contact"] = ["请留下联系方式（不会公开）。"]
    if not text.strip():
        errors["text"] = ["请填写意见内容。"]
    elif len(text) > MAX_TEXT:
        errors["text"] = [f"意见内容不超过{MAX_TEXT}字。"]
    if channel not in CommentChannel.values or (by is PUBLIC and channel != CommentChannel.ONLINE):
        errors["channel"] = ["来源无效。"]
    if errors:
        raise EngagementError(errors)
    with CONSULTATION.perform(consultation, "comment", by=by, audit="consultation.comment") as step:
        if by is PUBLIC and timezone.localdate() > step.obj.closes_on:
            raise EngagementError("征求意见已截止。")
        provision = None
        if provision_key:
            provision = step.obj.provisions.filter(
                version=step.obj.version, key=provision_key
            ).first()
            if provision is None:
                raise EngagementError({"provision_key": ["草案中没有这个条款。"]})
        if quote.strip() and (provision is None or _squash(quote) not in _squash(provision.text)):
            raise EngagementError({"quote": ["引用的原文应摘自所选条款。"]})
        findings = findings_of(f"{name}\n{text}")
        comment = Comment.objects.create(
            consultation=step.obj,
            channel=channel,
            name=name.strip()[:100],
            contact=contact.strip()[:200],
            text=text.strip(),
            findings=findings,
            status=CommentStatus.HELD if findings else CommentStatus.PENDING,
            group_key=group_key(text),
            provision_key=provision_key,
            quote=quote.strip()[:300],
            draft_version=step.obj.version,
        )
        step.audit_after.update(comment=comment.pk, held=bool(findings), channel=channel)
    return comment


def _comment_of(consultation: Consultation, comment_id: int) -> Comment:
    comment = consultation.comments.filter(pk=comment_id).first()
    if comment is None:
        raise EngagementError("意见不属于本次征求意见。")
    return comment


def comment_moderate(
    *, by: Actor, consultation: Consultation, comment_id: int, accept: bool
) -> Comment:
    """Accept a comment (counted, answered; published masked) or refuse it (spam, abuse)."""
    with CONSULTATION.perform(
        consultation, "moderate", by=by, audit="consultation.moderate"
    ) as step:
        comment = _comment_of(step.obj, comment_id)
        before = comment.status
        comment.status = CommentStatus.ACCEPTED if accept else CommentStatus.REJECTED
        comment.save(update_fields=["status"])
        step.record(EventKind.MODERATED, note=f"{comment.pk}：{comment.get_status_display()}")
        step.audit_before["comment_status"] = before
        step.audit_after.update(comment=comment.pk, comment_status=comment.status)
    return comment


def comment_answer(
    *, by: Actor, consultation: Consultation, comment_id: int, adoption: str, reason: str = ""
) -> int:
    """Record the 采纳情况 of a comment and of every accepted comment in its group.

    A reason is required unless the comment is adopted. Returns how many comments it answered.
    """
    if adoption not in Adoption.values:
        raise EngagementError({"adoption": ["请选择采纳情况。"]})
    if adoption != Adoption.ADOPTED and not reason.strip():
        raise EngagementError({"reason": ["部分采纳或未采纳的，请说明理由。"]})
    with CONSULTATION.perform(consultation, "answer", by=by, audit="consultation.answer") as step:
        comment = _comment_of(step.obj, comment_id)
        if comment.status != CommentStatus.ACCEPTED:
            raise EngagementError("只对已受理的意见填写采纳情况。")
        group = step.obj.comments.filter(status=CommentStatus.ACCEPTED, group_key=comment.group_key)
        n = group.update(adoption=adoption, reason=reason.strip())
        step.audit_after.update(comment=comment.pk, adoption=adoption, group=n)
    return n


def consultation_close(*, by: Actor, consultation: Consultation) -> Consultation:
    """End the comment period (on or after the closing date, or early by staff)."""
    with CONSULTATION.perform(consultation, "close", by=by) as step:
        step.audit_after["closed_on"] = timezone.localdate()
    return step.obj


def consultation_conclude(*, by: Actor, consultation: Consultation, summary: str) -> Consultation:
    """Publish the 采纳情况: a summary and the answer to every accepted comment or group."""
    if not summary.strip():
        raise EngagementError({"summary": ["请填写意见采纳情况说明。"]})
    with CONSULTATION.perform(consultation, "conclude", by=by) as step:
        step.obj.feedback_summary = summary.strip()
        step.obj.concluded_at = timezone.now()
    return step.obj


def close_due(*, today: dt.date | None = None) -> int:
    """Close every open consultation whose closing date has passed (the platform acts)."""
    today = today or timezone.localdate()
    n = 0
    due = Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=today)
    for c in due:
        consultation_close(by=SYSTEM, consultation=c)
        n += 1
    return n


# -- interaction records ----------------------------------------------------------------------


def interaction_record(
    *,
    by: Actor,
    agency: Any,
    kind: str,
    held_on: dt.date,
    topic: str,
    people: str = "",
    principal_attended: bool = False,
    transcript: str = "",
    link: str = "",
    published_where: str = "",
) -> Interaction:
    """Record an 在线访谈, 新闻发布会 or 回应关切 (audited)."""
    if kind not in InteractionKind.values:
        raise EngagementError({"kind": ["请选择类别。"]})
    if not topic.strip():
        raise EngagementError({"topic": ["请填写主题。"]})
    with transaction.atomic():
        role = require(by, "engagement.manage", agency, allow={SYSTEM})
        record = Interaction.objects.create(
            agency=agency,
            kind=kind,
            held_on=held_on,
            topic=topic.strip(),
            people=people.strip(),
            principal_attended=principal_attended,
            transcript=transcript,
            link=link,
            published_where=published_where,
        )
        record_audit(
            action="engagement.interaction",
            actor=by,
            target=record,
            agency=agency,
            role=role,
            after={"kind": kind, "held_on": held_on.isoformat()},
            target_repr=str(record),
        )
    return record


def hotline_count_record(
    *,
    by: Actor,
    agency: Any,
    year: int,
    referred: int,
    completed: int,
    source: str,
    period: str = "全年",
) -> HotlineCount:
    """Enter 热线转办 counts of a period from the hotline's system, with the source (audited)."""
    if completed > referred or referred < 0 or completed < 0:
        raise EngagementError({"completed": ["办结数不能大于转办工单数。"]})
    if not source.strip():
        raise EngagementError({"source": ["请写明数据来源。"]})
    with transaction.atomic():
        role = require(by, "engagement.manage", agency, allow={SYSTEM})
        row = HotlineCount.objects.create(
            agency=agency, year=year, period=period, referred=referred, completed=completed,
            source=source.strip(),
        )  # fmt: skip
        record_audit(
            action="engagement.hotline",
            actor=by,
            target=row,
            agency=agency,
            role=role,
            after={"year": year, "referred": referred, "completed": completed},
            target_repr=str(row),
        )
    return row


# -- 政务信箱 ----------------------------------------------------------------------------------


def reply_days() -> int:
    """Days a unit has to reply to a mailbox message (``MAILBOX_REPLY_DAYS``, default 15)."""
    return int(getattr(settings, "MAILBOX_REPLY_DAYS", 15))


def message_receive(
    *,
    by: Actor,
    agency: Any,
    subject: str,
    text: str,
    contact: str,
    name: str = "",
    consent_to_publish: bool = False,
    received_on: dt.date | None = None,
) -> MailboxMessage:
    """Take a message into the agency's mailbox; the reply is due within the configured days."""
    if not subject.strip() or not text.strip():
        raise EngagementError({"text": ["请填写标题和留言内容。"]})
    if not contact.strip():
        raise EngagementError({"contact": ["请留下联系方式（不会公开）。"]})
    received = received_on or timezone.localdate()
    message = MailboxMessage(
        agency=agency,
        subject=subject.strip()[:200],
        text=text.strip()[:MAX_TEXT],
        contact=contact.strip()[:200],
        name=name.strip()[:100],
        consent_to_publish=consent_to_publish,
        received_on=received,
        due_on=received + dt.timedelta(days=reply_days()),
        findings=findings_of(f"{subject}\n{text}"),
    )
    with MAILBOX.perform(message, "receive", by=by) as step:
        step.audit_after["due_on"] = message.due_on.isoformat()
    return step.obj


def message_assign(*, by: Actor, message: MailboxMessage, unit: Any) -> MailboxMessage:
    """Assign the message to a unit within the mailbox agency's tree."""
    if not unit.path.startswith(message.agency.path):
        raise EngagementError({"unit": ["承办单位应为本机关或下级机关。"]})
    with MAILBOX.perform(message, "assign", by=by) as step:
        step.obj.unit = unit
        step.audit_after["unit"] = unit.name
    return step.obj


def message_reply(
    *, by: Actor, message: MailboxMessage, reply: str, replied_on: dt.date | None = None
) -> MailboxMessage:
    """Record the reply (published with the message if the writer consented)."""
    if not reply.strip():
        raise EngagementError({"reply": ["请填写答复内容。"]})
    with MAILBOX.perform(message, "reply", by=by) as step:
        step.obj.reply = reply.strip()
        step.obj.replied_on = replied_on or timezone.localdate()
        if step.obj.replied_on < step.obj.received_on:
            raise EngagementError({"reply": ["答复日期不能早于收到日期。"]})
        step.audit_after["late"] = step.obj.replied_on > step.obj.due_on
    return step.obj
