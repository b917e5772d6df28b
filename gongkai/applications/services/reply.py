"""The reply: drafted per requested item, reviewed (保密审查, legality), approved by the head,
delivered; and the letters (告知书/答复书) the letters app issues, logged on the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.applications.choices import DeliveryMethod, EventKind, Result
from gongkai.applications.models import Application, ApplicationEvent, Delivery, RequestedItem
from gongkai.applications.results import case_result, result_evidence_error
from gongkai.applications.services.third_party import disclosure_blocked
from gongkai.applications.workflow import WORKFLOW, conclude, notify
from gongkai.core.actors import Actor, user_of


@dataclass(frozen=True)
class ItemDecision:
    """The decision on one requested item of a draft reply."""

    description: str
    decision: str
    reason: str = ""
    pages: int | None = None


def application_draft_reply(
    *, by: Actor, application: Application, decisions: list[ItemDecision], summary: str = ""
) -> Application:
    """Draft the reply: one decision per requested item; the case result follows the precedence."""
    if not decisions:
        raise ValidationError("请至少对一项申请内容作出处理决定。")
    for d in decisions:
        if d.decision not in Result.values:
            raise ValidationError({"decision": "请为每一项申请内容选择处理结果。"})
        if not d.description.strip():
            raise ValidationError({"description": "申请内容不能为空。"})
    with WORKFLOW.perform(application, "draft_reply", by=by) as step:
        app = step.obj
        for d in decisions:
            error = result_evidence_error(app, d.decision)
            if error:
                raise ValidationError({"decision": error})
        app.items.all().delete()
        RequestedItem.objects.bulk_create(
            RequestedItem(
                application=app,
                position=n,
                description=d.description.strip(),
                decision=d.decision,
                reason=d.reason.strip(),
                pages=d.pages,
            )
            for n, d in enumerate(decisions, 1)
        )
        app.proposed_result = case_result(d.decision for d in decisions)
        app.reply_summary = summary.strip()
        step.record(
            EventKind.REPLY_DRAFTED,
            payload={
                "result": app.proposed_result,
                "items": [{"decision": d.decision, "reason": d.reason} for d in decisions],
            },
        )
    return step.obj


def application_submit_for_review(*, by: Actor, application: Application) -> Application:
    """Submit the drafted reply to the reviewer (审核人)."""
    with WORKFLOW.perform(application, "submit_for_review", by=by) as step:
        step.record(EventKind.SUBMITTED_FOR_REVIEW)
        notify(step.obj, "review_requested")
    return step.obj


def application_review(
    *,
    by: Actor,
    application: Application,
    approve: bool,
    confidentiality_checked: bool,
    legal_checked: bool,
    opinion: str = "",
    on: dt.date | None = None,
) -> Application:
    """The reviewer's decision: 保密审查 and legal check passed → to the head; else returned.

    ``on``: the date of the review when recorded afterwards (default today).
    """
    if approve and not (confidentiality_checked and legal_checked):
        raise ValidationError("审核通过前须完成保密审查和合法性审查。")
    if not approve and not opinion.strip():
        raise ValidationError({"opinion": "退回时请写明审核意见。"})
    name = "approve_review" if approve else "return_review"
    with WORKFLOW.perform(application, name, by=by) as step:
        step.record(
            EventKind.REVIEW_APPROVED if approve else EventKind.REVIEW_RETURNED,
            on=on,
            payload={
                "confidentiality_checked": confidentiality_checked,
                "legal_checked": legal_checked,
            },
            note=opinion.strip(),
        )
        notify(step.obj, "approval_requested" if approve else "returned")
    return step.obj


def application_approve(
    *,
    by: Actor,
    application: Application,
    approve: bool,
    opinion: str = "",
    on: dt.date | None = None,
) -> Application:
    """The head's (负责人) decision on the reviewed reply: approve it, or return it.

    ``on``: the date of the decision when recorded afterwards (default today); delivery cannot
    precede it (``applications.dates``).
    """
    if not approve and not opinion.strip():
        raise ValidationError({"opinion": "退回时请写明意见。"})
    name = "approve_reply" if approve else "return_approval"
    with WORKFLOW.perform(application, name, by=by) as step:
        step.record(
            EventKind.APPROVAL_APPROVED if approve else EventKind.APPROVAL_RETURNED,
            on=on,
            payload={"result": step.obj.proposed_result} if approve else {},
            note=opinion.strip(),
        )
        notify(step.obj, "approved" if approve else "returned")
    return step.obj


def application_record_delivery(
    *, by: Actor, application: Application, method: str, delivered_on: dt.date, proof: str = ""
) -> Delivery:
    """Record how and when the approved reply reached the applicant; the case gets its result."""
    if method not in DeliveryMethod.values:
        raise ValidationError({"method": "请选择送达方式。"})
    with WORKFLOW.perform(application, "record_delivery", by=by) as step:
        app = step.obj
        if delivered_on < app.received_on:
            raise ValidationError({"delivered_on": "送达日期不能早于收到申请日期。"})
        error = result_evidence_error(
            app, app.proposed_result, on=delivered_on
        ) or disclosure_blocked(app)
        if error:
            raise ValidationError({"delivered_on": error})
        delivery = Delivery.objects.create(
            application=app,
            method=method,
            delivered_on=delivered_on,
            proof=proof.strip(),
            recorded_by=user_of(by),
        )
        conclude(step, app.proposed_result, delivered_on)
        app.replied_on = delivered_on
        step.record(
            EventKind.DELIVERED,
            on=delivered_on,
            payload={"delivery": delivery.pk, "method": method, "result": app.result},
            note=proof.strip(),
        )
        notify(app, "concluded")
    return delivery


def application_record_letter(
    *, by: Actor, application: Application, letter: Any
) -> ApplicationEvent:
    """Log an issued letter (告知书/答复书) on the case's timeline (called by ``letter_issue``).

    Runs inside the issuing transaction: the letter and its timeline entry exist together or
    not at all. The letter's own audit entry (``letter.issue``) records the issue.
    """
    with WORKFLOW.perform(application, "record_letter", by=by) as step:
        event = step.record(
            EventKind.LETTER_ISSUED,
            on=letter.issued_on,
            payload={
                "letter": letter.pk,
                "number": letter.number,
                "kind": str(letter.kind),
                "template": letter.template_code,
            },
            note=f"{letter.title}（{letter.number}）",
        )
    return event
