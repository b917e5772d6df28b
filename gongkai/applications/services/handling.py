"""Handling a case: the handler, corrections (第三十条), consultations (第三十二、三十四条),
extensions (第三十三条), the 第三十五条 reasonable deadline, transfer, withdrawal and closing.

Each function runs one step of ``applications.workflow`` through ``WORKFLOW.perform``: the
kernel locks the case, checks its status, the actor's role and the step's guard, recomputes
the deadlines, saves and audits; the function checks its inputs and changes the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.scoping import roles_in
from gongkai.agencies.models import Agency
from gongkai.applications.choices import (
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    EventKind,
    Result,
    Status,
)
from gongkai.applications.models import Application, Consultation, RequestedItem
from gongkai.applications.services.intake import (
    APPLICANT_ACTOR,
    DESCRIPTION_MAX,
    ApplicantData,
    application_register,
)
from gongkai.applications.services.records import archive_job_queue
from gongkai.applications.workflow import APPLICANT, WORKFLOW, conclude, notify
from gongkai.core.actors import Actor
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey
from gongkai.workcalendar.selectors import get_calendar


def application_assign(
    *, by: Actor, application: Application, handler: Any, on: dt.date | None = None
) -> Application:
    """Assign the handler (经办人); the person must hold the handler role for the agency."""
    with WORKFLOW.perform(application, "assign", by=by) as step:
        if Role.HANDLER not in roles_in(handler, step.obj.agency):
            raise ValidationError({"handler": "所选人员不是本机关的经办人。"})
        step.obj.handler = handler
        step.record(EventKind.HANDLER_ASSIGNED, on=on, payload={"handler": handler.pk})
        notify(step.obj, "assigned")
    return step.obj


def correction_notice_due(application: Application) -> dt.date | None:
    """The last day for the correction notice: 7 working days after receipt (第三十条), or None
    where no such limit applies (cases under the 2008 Regulations)."""
    rule = DEFAULT_RULES.find(RuleKey.CORRECTION_NOTICE_DAYS, application.received_on)
    if rule is None:
        return None
    return get_calendar().add_working_days(application.received_on, rule.days).date


def application_request_correction(
    *,
    by: Actor,
    application: Application,
    on: dt.date,
    period_ends_on: dt.date,
    content: str,
    late: bool = False,
) -> Application:
    """Send the one-time correction notice (补正告知, 第三十条); the reply clock waits for it.

    A notice after the 7-working-day limit is refused, unless the office records one that was
    in fact sent (on paper) with ``late``: it is then marked 逾期补正 and does not stop or restart
    the reply limit (decision 1602).
    """
    if not content.strip():
        raise ValidationError({"content": "请写明需要补正的事项。"})
    if period_ends_on < on:
        raise ValidationError({"period_ends_on": "补正期限不能早于告知日期。"})
    with WORKFLOW.perform(application, "request_correction", by=by) as step:
        app = step.obj
        if on < app.received_on:
            raise ValidationError({"on": "补正告知日期不能早于收到申请日期。"})
        due = correction_notice_due(app)
        is_late = due is not None and on > due
        if is_late and not late:
            raise ValidationError(
                {
                    "on": f"补正告知应当自收到申请之日起7个工作日内发出（第三十条），本案期限为"
                    f"{due:%Y年%m月%d日}，已经超过。确已逾期发出的，请勾选“逾期补正”登记；"
                    "逾期补正不中止、不重新计算答复期限。"
                }
            )
        app.correction_requested_on = on
        app.correction_period_ends_on = period_ends_on
        app.correction_content = content.strip()
        payload: dict[str, Any] = {"period_ends_on": period_ends_on.isoformat()}
        if is_late:
            payload["late"] = True
            step.audit_after["late"] = True
        step.record(EventKind.CORRECTION_REQUESTED, on=on, payload=payload, note=content.strip())
        notify(app, "correction_requested")
    return step.obj


def _new_request(
    app: Application, description: str, items: list[str] | None
) -> dict[str, Any] | None:
    """Make the corrected request the case's current 申请内容 (decision 1607).

    Returns the event payload part recording the previous and the new version, or None when
    the correction brings no new text. The requested items are replaced (their decisions are
    drafted afresh against the new version); the history stays in the event log.
    """
    text = description.strip()
    new_items = [t.strip() for t in (items or []) if t.strip()] or ([text] if text else [])
    if not text or (text == app.description and not items):
        return None
    previous = {
        "description": app.description,
        "items": list(app.items.order_by("position").values_list("description", flat=True)),
    }
    app.description = text
    app.items.all().delete()
    RequestedItem.objects.bulk_create(
        RequestedItem(application=app, position=n, description=t)
        for n, t in enumerate(new_items, 1)
    )
    app.proposed_result = ""
    return {"previous": previous, "request": {"description": text, "items": new_items}}


def _receive_correction(
    application: Application,
    *,
    by: Actor,
    on: dt.date,
    too_early: dict[str, str],
    audit: dict[str, Any] | None = None,
    notice: str = "",
    description: str = "",
    items: list[str] | None = None,
    payload: dict[str, Any] | None = None,
    **event: Any,
) -> Application:
    """The case returns to handling; the reply limit counts again from ``on`` (第三十条)."""
    with WORKFLOW.perform(application, "receive_correction", by=by) as step:
        app = step.obj
        if app.correction_requested_on and on < app.correction_requested_on:
            raise ValidationError(too_early)
        app.corrected_on = on
        payload = dict(payload or {})
        version = _new_request(app, description, items)
        if version is not None:
            payload.update(version)
            step.audit_after["request_version"] = True
        step.record(EventKind.CORRECTION_RECEIVED, on=on, payload=payload, **event)
        step.audit_after.update(audit or {})
        if notice:
            notify(app, notice)
    return step.obj


def application_receive_correction(
    *,
    by: Actor,
    application: Application,
    on: dt.date,
    note: str = "",
    description: str = "",
    items: list[str] | None = None,
) -> Application:
    """Record the corrected application; the reply limit counts again from ``on``.

    ``description`` (and ``items``): the corrected request, which becomes the current 申请内容.
    """
    return _receive_correction(
        application,
        by=by,
        on=on,
        too_early={"on": "收到补正日期不能早于补正告知日期。"},
        note=note,
        description=description,
        items=items,
    )


def applicant_submit_correction(
    *, application: Application, note: str, on: dt.date | None = None
) -> Application:
    """Record the applicant's corrected application (补正) submitted online.

    Same step as the office's ``application_receive_correction``, taken by ``APPLICANT``. The
    corrected text becomes the current 申请内容 (the earlier version stays in the history).
    """
    text = note.strip()
    if not text:
        raise ValidationError({"correction": "请填写补正后的申请内容。"})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError({"correction": f"补正内容不能超过{DESCRIPTION_MAX}字。"})
    return _receive_correction(
        application,
        by=APPLICANT,
        on=on or timezone.localdate(),
        too_early={"correction": "补正日期不能早于补正告知日期。"},
        audit={"actor": APPLICANT_ACTOR},
        notice="correction_received",
        description=text,
        payload={"channel": Channel.ONLINE},
        note=f"{APPLICANT_ACTOR}补正：{text}",
    )


def request_versions(application: Application) -> list[dict[str, Any]]:
    """The versions of the request, oldest first: the registered text, then each correction's.

    Each: ``number`` (1…), ``on`` (date it became current), ``description``, ``items``,
    ``current``.
    """
    rows = application.events.filter(kind=EventKind.CORRECTION_RECEIVED).order_by("seq")
    changes = [(r.on, r.payload) for r in rows if "request" in (r.payload or {})]
    versions: list[dict[str, Any]] = []
    if changes:
        versions.append({"on": application.received_on, **changes[0][1]["previous"]})
    for on, payload in changes:
        versions.append({"on": on, **payload["request"]})
    if not versions:
        items = application.items.order_by("position").values_list("description", flat=True)
        versions.append(
            {
                "on": application.received_on,
                "description": application.description,
                "items": list(items),
            }
        )
    for n, v in enumerate(versions, 1):
        v["number"] = n
        v["current"] = n == len(versions)
    return versions


def application_expire_correction(
    *, by: Actor, application: Application, on: dt.date
) -> Application:
    """Record that the correction period passed unused: deemed abandoned (视为放弃, row （六）1)."""
    with WORKFLOW.perform(application, "expire_correction", by=by) as step:
        app = step.obj
        if app.correction_period_ends_on and on <= app.correction_period_ends_on:
            raise ValidationError(
                {"on": f"补正期限至{app.correction_period_ends_on:%Y年%m月%d日}，尚未届满。"}
            )
        conclude(step, Result.R6_1, on)
        step.record(EventKind.CORRECTION_EXPIRED, on=on)
        notify(app, "concluded")
    return step.obj


def consultation_send(
    *,
    by: Actor,
    application: Application,
    party: str,
    party_name: str,
    sent_on: dt.date,
    delivered_on: dt.date | None = None,
    subject: str = "",
    consulted_agency: Agency | None = None,
) -> Consultation:
    """Send a consultation letter to a third party (第三十二条) or another agency (第三十四条).

    The time it takes is not counted in the reply limit (第三十三条第三款); the clock computes
    the answer window and the pause.
    """
    if party not in ConsultationParty.values:
        raise ValidationError({"party": "请选择征求意见对象。"})
    if not party_name.strip():
        raise ValidationError({"party_name": "请填写被征求意见方。"})
    with transaction.atomic():
        with WORKFLOW.perform(application, "send_consultation", by=by) as step:
            app = step.obj
            if sent_on < app.received_on:
                raise ValidationError({"sent_on": "发出日期不能早于收到申请日期。"})
            consultation = Consultation.objects.create(
                application=app,
                party=party,
                party_name=party_name.strip(),
                consulted_agency=consulted_agency,
                subject=subject,
                sent_on=sent_on,
                delivered_on=delivered_on,
            )
            step.record(
                EventKind.CONSULTATION_SENT,
                on=sent_on,
                payload={
                    "consultation": consultation.pk,
                    "party": party,
                    "delivered_on": delivered_on.isoformat() if delivered_on else None,
                },
                note=party_name.strip(),
            )
            step.audit_after["consultation"] = consultation.pk
            notify(app, "consultation_sent")
        # The answer window is known once the step has recomputed the deadlines.
        _store_consultation_due(step.obj, consultation)
    return consultation


def _store_consultation_due(application: Application, consultation: Consultation) -> None:
    for item in application.deadlines:
        if item.get("ref") == str(consultation.pk) and item.get("due"):
            consultation.answer_due_on = dt.date.fromisoformat(item["due"])
            consultation.save(update_fields=["answer_due_on"])


def consultation_answer(
    *,
    by: Actor,
    consultation: Consultation,
    answered_on: dt.date,
    outcome: str,
    note: str = "",
) -> Consultation:
    """Record the consulted party's answer (or its silence when the window has passed)."""
    if outcome not in ConsultationOutcome.values:
        raise ValidationError({"outcome": "请选择意见。"})
    with WORKFLOW.perform(consultation.application, "answer_consultation", by=by) as step:
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.answered_on is not None:
            raise ValidationError("该征求意见已经登记过答复。")
        if answered_on < consultation.sent_on:
            raise ValidationError({"answered_on": "收到意见日期不能早于发出日期。"})
        consultation.answered_on = answered_on
        consultation.outcome = outcome
        consultation.answer_note = note
        consultation.save(update_fields=["answered_on", "outcome", "answer_note"])
        still_open = step.obj.consultations.filter(answered_on__isnull=True).exists()
        step.set_status(Status.CONSULTING if still_open else Status.HANDLING)
        step.record(
            EventKind.CONSULTATION_ANSWERED,
            on=answered_on,
            payload={"consultation": consultation.pk, "outcome": outcome},
            note=note,
        )
        step.audit_after["consultation"] = consultation.pk
    return consultation


def application_approve_extension(
    *, by: Actor, application: Application, on: dt.date, days: int, reason: str
) -> Application:
    """Record the head's approval of an extension (延期答复, 第三十三条第二款).

    Only before the reply limit expires, and at most the legal maximum in total (20 working
    days under the 2019 Regulations); the clock adds the days.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明延期理由。"})
    with WORKFLOW.perform(application, "approve_extension", by=by) as step:
        app = step.obj
        limit = DEFAULT_RULES.get(RuleKey.EXTENSION_MAX_DAYS, app.received_on).days
        if days < 1 or app.extension_days + days > limit:
            raise ValidationError(
                {
                    "days": f"延长的期限合计不得超过{limit}个工作日（已延长{app.extension_days}个工作日）。"
                }
            )
        if app.reply_due_on is not None and on > app.reply_due_on:
            raise ValidationError(
                {"on": f"答复期限已于{app.reply_due_on:%Y年%m月%d日}届满，不能再延期。"}
            )
        app.extension_days += days
        app.extension_reason = "\n".join(filter(None, [app.extension_reason, reason.strip()]))
        step.record(
            EventKind.EXTENSION_APPROVED, on=on, payload={"days": days, "reason": reason.strip()}
        )
        notify(app, "extended")
    return step.obj


def _check_longer_deadline(app: Application, on: dt.date, due_on: dt.date) -> None:
    if on < app.received_on:
        raise ValidationError({"on": "决定日期不能早于收到申请日期。"})
    if app.reply_due_on is None:
        if due_on <= on:
            raise ValidationError({"due_on": "合理期限应当晚于决定日期。"})
        return
    if on > app.reply_due_on:
        raise ValidationError(
            {"on": f"答复期限已于{app.reply_due_on:%Y年%m月%d日}届满，不能再确定合理期限。"}
        )
    if due_on <= app.reply_due_on:
        raise ValidationError(
            {"due_on": f"合理期限应当晚于现有答复期限（{app.reply_due_on:%Y年%m月%d日}）。"}
        )


def application_set_longer_deadline(
    *, by: Actor, application: Application, on: dt.date, due_on: dt.date, reason: str
) -> Application:
    """Record the head's decision under 第三十五条: a later, reasonable reply date, with the reason.

    For applications whose number or frequency clearly exceeds a reasonable range, when the
    applicant's reason is accepted but the reply cannot be made within the 第三十三条 limit. The
    decision must be taken before the limit expires and set a date later than the current one;
    the clock then uses ``due_on`` as the reply limit.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明确定合理期限的理由（第三十五条）。"})
    with WORKFLOW.perform(application, "set_longer_deadline", by=by) as step:
        _check_longer_deadline(step.obj, on, due_on)
        step.record(
            EventKind.LONGER_DEADLINE_SET,
            on=on,
            payload={"due_on": due_on.isoformat(), "reason": reason.strip()},
            note=reason.strip(),
        )
        step.audit_after["longer_deadline"] = due_on.isoformat()
        notify(step.obj, "extended")
    return step.obj


def application_transfer(
    *, by: Actor, application: Application, to_agency: Agency, on: dt.date, reason: str
) -> Application:
    """Hand the application to the responsible agency on the platform (not this organ's information).

    This case concludes as （四）1 本机关不掌握相关政府信息 (第三十六条第（五）项, decision 0402)
    and a new case, linked to it, is registered at ``to_agency`` with ``on`` as its receipt date.
    Returns the new case.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明转办理由。"})
    with WORKFLOW.perform(application, "transfer", by=by) as step:
        app = step.obj
        if to_agency.pk == app.agency_id or not to_agency.is_active:
            raise ValidationError({"to_agency": "请选择平台上另一个在用的机关。"})
        conclude(step, Result.R4_1, on)
        app.replied_on = on
        app.items.update(decision=Result.R4_1, reason=reason.strip())
        app.proposed_result = Result.R4_1
        new = application_register(
            by=by,
            agency=to_agency,
            channel=Channel.OTHER,
            arrived_on=on,
            confirmed_on=on,
            applicant=ApplicantData.of(app),
            description=app.description,
            items=list(app.items.values_list("description", flat=True)),
            requested_form=app.requested_form,
            requested_delivery=app.requested_delivery,
            transferred_from=app,
            authorised_by=step,
        )
        step.record(
            EventKind.TRANSFERRED,
            on=on,
            payload={"to_agency": to_agency.pk, "to_application": new.pk},
            note=reason.strip(),
        )
        step.audit_after["to_application"] = new.pk
        notify(app, "concluded")
    return new


def _withdraw(
    application: Application,
    *,
    by: Actor,
    on: dt.date,
    audit: dict[str, Any] | None = None,
    **event: Any,
) -> Application:
    """撤回: the case is concluded as （六）3.其他 on ``on``."""
    with WORKFLOW.perform(application, "withdraw", by=by) as step:
        if on < step.obj.received_on:
            raise ValidationError({"on": "撤回日期不能早于收到申请日期。"})
        conclude(step, Result.R6_3, on)
        step.record(EventKind.WITHDRAWN, on=on, **event)
        step.audit_after.update(audit or {})
        notify(step.obj, "concluded")
    return step.obj


def application_withdraw(
    *, by: Actor, application: Application, on: dt.date, note: str = ""
) -> Application:
    """Record the applicant's withdrawal (撤回), told to the office: concluded as （六）3.其他."""
    return _withdraw(application, by=by, on=on, note=note)


def applicant_withdraw(
    *, application: Application, reason: str = "", on: dt.date | None = None
) -> Application:
    """Withdraw the application at the applicant's request online (撤回), as ``APPLICANT``."""
    reason = reason.strip()[:500]
    return _withdraw(
        application,
        by=APPLICANT,
        on=on or timezone.localdate(),
        audit={"actor": APPLICANT_ACTOR},
        payload={"channel": Channel.ONLINE},
        note=f"{APPLICANT_ACTOR}撤回" + (f"：{reason}" if reason else ""),
    )


def application_close(
    *, by: Actor, application: Application, on: dt.date | None = None
) -> Application:
    """Close the concluded case file (办结): nothing more is added except appeals; ready to archive."""
    on = on or timezone.localdate()
    with transaction.atomic():
        with WORKFLOW.perform(application, "close", by=by) as step:
            step.obj.filed_on = on
            step.record(EventKind.CLOSED, on=on)
            notify(step.obj, "closed")
        archive_job_queue(application=step.obj, by=by)
    return step.obj
