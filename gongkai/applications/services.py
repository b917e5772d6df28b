"""Every write to a disclosure application: one keyword-only function per step.

Each step runs in ``transaction.atomic``: it locks the case row, checks the current status
against ``transitions.TRANSITIONS`` and the user's role with ``can()``, appends the event to the
case's log, changes the derived columns, recomputes the deadlines through the clock engine,
writes one audit entry and schedules notifications with ``transaction.on_commit``.

Applicant personal data (ID numbers, phone, e-mail, address) never enters audit entries, event
payloads or log lines; only the registration number identifies a case there.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.permissions import can
from gongkai.accounts.scoping import roles_in
from gongkai.agencies.credit_code import credit_code_error, normalise_credit_code
from gongkai.agencies.models import Agency
from gongkai.applications import deadlines, notifications
from gongkai.applications.choices import (
    ORGANISATION_TYPES,
    ApplicantType,
    ArchiveJobStatus,
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    EventKind,
    FeeBasis,
    IdDocumentType,
    LawsuitKind,
    Result,
    ReviewResult,
    Status,
)
from gongkai.applications.fees import per_application_fee, per_page_fee
from gongkai.applications.identity import id_number_error, normalise_id_number
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    CaseArchiveJob,
    Consultation,
    Delivery,
    FeeNotice,
    Lawsuit,
    RecomputeRun,
    RequestedItem,
    Review,
)
from gongkai.applications.numbering import (
    allocate_registration_number,
)
from gongkai.applications.results import case_result
from gongkai.applications.transitions import TRANSITIONS, check_target, check_transition
from gongkai.core.audit import record_audit
from gongkai.core.crypto import hash_for_lookup, lookup_hashes
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey

logger = logging.getLogger(__name__)

#: Case fields recorded in audit entries (no personal data).
STATE_FIELDS = [
    "status",
    "handler",
    "proposed_result",
    "result",
    "replied_on",
    "closed_on",
    "filed_on",
    "received_on",
    "reply_due_on",
    "reply_due_provisional",
    "due_on",
    "extension_days",
    "correction_period_ends_on",
    "corrected_on",
]


# --- helpers --------------------------------------------------------------------------------


def _state(application: Application) -> dict[str, Any]:
    return {f: getattr(application, Application._meta.get_field(f).attname) for f in STATE_FIELDS}


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _require(by: Any, permission: str, agency: Agency) -> None:
    if by is None or not can(by, permission, agency):
        raise PermissionDenied("您没有权限进行此项操作。")


def _role_of(by: Any, permission: str, agency: Agency) -> str:
    from gongkai.accounts.permissions import ACTION_ROLES

    held = sorted(roles_in(by, agency) & ACTION_ROLES[permission]) if by is not None else []
    return held[0] if held else ""


def _begin(application: Application, name: str, by: Any) -> Application:
    """Lock the case, check the transition and the role; return the locked row."""
    locked = _lock(application)
    transition = check_transition(name, locked.status)
    _require(by, transition.permission, locked.agency)
    return locked


def _append(
    application: Application,
    kind: str,
    *,
    on: dt.date,
    by: Any,
    payload: dict[str, Any] | None = None,
    note: str = "",
    corrects: ApplicationEvent | None = None,
) -> ApplicationEvent:
    last = application.events.aggregate(m=Max("seq"))["m"] or 0
    return ApplicationEvent.objects.create(
        application=application,
        seq=last + 1,
        kind=kind,
        on=on,
        actor=by if getattr(by, "pk", None) else None,
        payload=payload or {},
        note=note,
        corrects=corrects,
    )


def _finish(
    application: Application,
    name: str,
    *,
    by: Any,
    before: dict[str, Any],
    extra: dict[str, Any] | None = None,
    notify: str | None = None,
) -> Application:
    """Recompute deadlines, save, audit the change and schedule the notification."""
    deadlines.apply_result(application, deadlines.compute(application, explain=False))
    application.save()
    after = _state(application)
    changed = {k for k in after if after[k] != before.get(k)}
    permission = TRANSITIONS[name].permission
    record_audit(
        action=f"application.{name}",
        actor=by,
        target=application,
        agency=application.agency,
        role=_role_of(by, permission, application.agency),
        before={k: before.get(k) for k in changed},
        after={**{k: after[k] for k in changed}, **(extra or {})},
    )
    if notify:
        app_id = application.pk
        transaction.on_commit(lambda: notifications.notify(notify, application_id=app_id))
    return application


def _set_status(application: Application, name: str, status: str) -> None:
    check_target(name, status)
    application.status = status


def _conclude(application: Application, name: str, status: str, result: str, on: dt.date) -> None:
    _set_status(application, name, status)
    application.result = Result(result)
    application.closed_on = on


def _applicant_basis(*, applicant_type: str, id_number: str, credit_code: str, name: str) -> str:
    if applicant_type == ApplicantType.PERSON and id_number:
        return f"id:{normalise_id_number(id_number)}"
    if credit_code:
        return f"org:{normalise_credit_code(credit_code)}"
    return f"name:{applicant_type}:{name.strip()}"


def applicant_key(*, applicant_type: str, id_number: str, credit_code: str, name: str) -> str:
    """Return a stable key for "the same applicant" (fee counting, repeat detection).

    A keyed hash (FIELD_HASH_KEY): without the key, a leaked database cannot be matched against
    a list of ID numbers or credit codes.
    """
    basis = _applicant_basis(
        applicant_type=applicant_type, id_number=id_number, credit_code=credit_code, name=name
    )
    return hash_for_lookup(basis, purpose="applicant")


def applicant_keys(
    *, applicant_type: str, id_number: str, credit_code: str, name: str
) -> list[str]:
    """The applicant's key under every configured hash key, current first: what to filter
    ``applicant_key__in`` by while ``gongkai keys rehash`` may not have reached every row."""
    basis = _applicant_basis(
        applicant_type=applicant_type, id_number=id_number, credit_code=credit_code, name=name
    )
    return lookup_hashes(basis, purpose="applicant")


def applicant_keys_of(application: Application) -> list[str]:
    """``applicant_keys`` of a stored application (from its decrypted identity fields)."""
    return applicant_keys(
        applicant_type=application.applicant_type,
        id_number=application.id_number,
        credit_code=application.credit_code,
        name=application.applicant_name,
    )


# --- registration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantData:
    """Who applies (第二十九条): identity proof and contact details."""

    applicant_type: str
    name: str
    id_document_type: str = ""
    id_number: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


def validate_applicant(applicant: ApplicantData) -> dict[str, str]:
    """Return field → Chinese error for the applicant's data (empty when valid)."""
    errors: dict[str, str] = {}
    if applicant.applicant_type not in ApplicantType.values:
        errors["applicant_type"] = "请选择申请人类型。"
    if not applicant.name.strip():
        errors["applicant_name"] = "请填写申请人姓名或名称。"
    if applicant.applicant_type == ApplicantType.PERSON:
        if not applicant.id_document_type:
            errors["id_document_type"] = "请选择身份证件类型。"
        if not applicant.id_number.strip():
            errors["id_number"] = "请填写证件号码。"
        elif applicant.id_document_type == IdDocumentType.ID_CARD:
            error = id_number_error(applicant.id_number)
            if error:
                errors["id_number"] = error
    elif applicant.applicant_type in ORGANISATION_TYPES and applicant.credit_code:
        error = credit_code_error(applicant.credit_code)
        if error:
            errors["credit_code"] = error
    if not (applicant.phone or applicant.email or applicant.address):
        errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）。"
    return errors


def application_register(
    *,
    by: Any,
    agency: Agency,
    channel: str,
    arrived_on: dt.date,
    applicant: ApplicantData,
    description: str,
    items: list[str] | None = None,
    letter_needs_signature: bool = False,
    signed_for_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    requested_form: str = "",
    requested_delivery: str = "",
    is_oral: bool = False,
    is_assisted: bool = False,
    assistance_note: str = "",
    handler: Any = None,
    on_the_spot_result: str | None = None,
    on_the_spot_reply: str = "",
    transferred_from: Application | None = None,
) -> Application:
    """Register an application (登记) with a fresh 受理编号; optionally answered on the spot.

    The receipt date follows 第三十一条 from the channel facts (the clock engine decides it).
    With ``on_the_spot_result`` the case is replied to on the spot (当场答复) and concluded on
    the receipt date with that result.
    """
    if transferred_from is None:
        _require(by, TRANSITIONS["register"].permission, agency)
    check_transition("register", None)
    errors = validate_applicant(applicant)
    if not description.strip():
        errors["description"] = "请填写所需政府信息的名称、文号或者特征性描述。"
    if channel not in Channel.values:
        errors["channel"] = "请选择申请方式。"
    if on_the_spot_result is not None and on_the_spot_result not in Result.values:
        errors["on_the_spot_result"] = "请选择当场答复的办理结果。"
    if errors:
        raise ValidationError(errors)
    if channel == Channel.LETTER and letter_needs_signature and signed_for_on is None:
        signed_for_on = arrived_on
    if channel in {Channel.ONLINE, Channel.EMAIL, Channel.FAX} or (
        channel == Channel.LETTER and not letter_needs_signature
    ):
        if confirmed_on is None:
            raise ValidationError(
                {"confirmed_on": "请填写与申请人确认收到申请的日期（第三十一条）。"}
            )
    code = normalise_credit_code(applicant.credit_code) if applicant.credit_code else ""
    id_number = (
        normalise_id_number(applicant.id_number)
        if applicant.id_document_type == IdDocumentType.ID_CARD
        else applicant.id_number.strip()
    )
    receipt_payload = {
        "channel": channel,
        "arrived_on": arrived_on.isoformat(),
        "signed_for_on": signed_for_on.isoformat() if signed_for_on else None,
        "confirmed_on": confirmed_on.isoformat() if confirmed_on else None,
    }
    with transaction.atomic():
        application = Application(
            agency=agency,
            channel=channel,
            arrived_on=arrived_on,
            letter_needs_signature=letter_needs_signature,
            signed_for_on=signed_for_on,
            confirmed_on=confirmed_on,
            received_on=arrived_on,  # replaced below by the clock's 第三十一条 date
            is_oral=is_oral,
            is_assisted=is_assisted,
            assistance_note=assistance_note,
            transferred_from=transferred_from,
            applicant_type=applicant.applicant_type,
            applicant_name=applicant.name.strip(),
            id_document_type=applicant.id_document_type
            if applicant.applicant_type == ApplicantType.PERSON
            else "",
            id_number=id_number if applicant.applicant_type == ApplicantType.PERSON else "",
            credit_code=code,
            legal_representative=applicant.legal_representative,
            contact_name=applicant.contact_name,
            phone=applicant.phone.strip(),
            email=applicant.email.strip(),
            address=applicant.address.strip(),
            postcode=applicant.postcode.strip(),
            applicant_key=applicant_key(
                applicant_type=applicant.applicant_type,
                id_number=id_number,
                credit_code=code,
                name=applicant.name,
            ),
            description=description.strip(),
            requested_form=requested_form,
            requested_delivery=requested_delivery,
            handler=handler,
            created_by=by if getattr(by, "pk", None) else None,
            status=Status.HANDLING,
        )
        # Receipt date first (the registration year follows it).
        received_on = deadlines.receipt_date(receipt_payload)
        if received_on is None:
            raise ValidationError({"confirmed_on": "收到申请的日期尚不能确定（第三十一条）。"})
        application.received_on = received_on
        year = application.received_on.year
        serial, number = allocate_registration_number(agency, year)
        application.registration_year = year
        application.registration_serial = serial
        application.registration_number = number
        application.save()
        texts = [t.strip() for t in (items or []) if t.strip()] or [application.description]
        RequestedItem.objects.bulk_create(
            RequestedItem(application=application, position=n, description=text)
            for n, text in enumerate(texts, 1)
        )
        kind = EventKind.TRANSFERRED_IN if transferred_from else EventKind.REGISTERED
        payload = dict(receipt_payload)
        if transferred_from is not None:
            payload["from_application"] = transferred_from.pk
            payload["from_agency"] = transferred_from.agency_id
        _append(
            application,
            kind,
            on=arrived_on,
            by=by,
            payload=payload,
            note="口头申请，代为填写" if is_oral else "",
        )
        if handler is not None:
            _append(
                application,
                EventKind.HANDLER_ASSIGNED,
                on=arrived_on,
                by=by,
                payload={"handler": handler.pk},
            )
        if on_the_spot_result is not None:
            application.replied_on_the_spot = True
            application.items.update(decision=on_the_spot_result)
            application.proposed_result = on_the_spot_result
            application.reply_summary = on_the_spot_reply
            _conclude(
                application, "register", Status.REPLIED, on_the_spot_result, application.received_on
            )
            application.replied_on = application.received_on
            _append(
                application,
                EventKind.REPLIED_ON_THE_SPOT,
                on=application.received_on,
                by=by,
                payload={"result": on_the_spot_result},
                note=on_the_spot_reply,
            )
        _finish(
            application,
            "register",
            by=by,
            before={},
            extra={"registration_number": number, "channel": channel},
            notify="registered",
        )
    return application


# --- handling steps -------------------------------------------------------------------------


def application_assign(
    *, by: Any, application: Application, handler: Any, on: dt.date | None = None
) -> Application:
    """Assign the handler (经办人); the person must hold the handler role for the agency."""
    with transaction.atomic():
        app = _begin(application, "assign", by)
        if Role.HANDLER not in roles_in(handler, app.agency):
            raise ValidationError({"handler": "所选人员不是本机关的经办人。"})
        before = _state(app)
        app.handler = handler
        _append(
            app,
            EventKind.HANDLER_ASSIGNED,
            on=on or timezone.localdate(),
            by=by,
            payload={"handler": handler.pk},
        )
        return _finish(app, "assign", by=by, before=before, notify="assigned")


def application_request_correction(
    *, by: Any, application: Application, on: dt.date, period_ends_on: dt.date, content: str
) -> Application:
    """Send the one-time correction notice (补正告知, 第三十条); the reply clock waits for it."""
    if not content.strip():
        raise ValidationError({"content": "请写明需要补正的事项。"})
    if period_ends_on < on:
        raise ValidationError({"period_ends_on": "补正期限不能早于告知日期。"})
    with transaction.atomic():
        app = _begin(application, "request_correction", by)
        if app.correction_requested_on is not None:
            raise ValidationError("补正告知应当一次性告知（第三十条），本案已经发出过补正告知。")
        if on < app.received_on:
            raise ValidationError({"on": "补正告知日期不能早于收到申请日期。"})
        before = _state(app)
        _set_status(app, "request_correction", Status.AWAITING_CORRECTION)
        app.correction_requested_on = on
        app.correction_period_ends_on = period_ends_on
        app.correction_content = content.strip()
        _append(
            app,
            EventKind.CORRECTION_REQUESTED,
            on=on,
            by=by,
            payload={"period_ends_on": period_ends_on.isoformat()},
            note=content.strip(),
        )
        return _finish(
            app, "request_correction", by=by, before=before, notify="correction_requested"
        )


def application_receive_correction(
    *, by: Any, application: Application, on: dt.date, note: str = ""
) -> Application:
    """Record the corrected application; the reply limit counts again from ``on``."""
    with transaction.atomic():
        app = _begin(application, "receive_correction", by)
        if app.correction_requested_on and on < app.correction_requested_on:
            raise ValidationError({"on": "收到补正日期不能早于补正告知日期。"})
        before = _state(app)
        _set_status(app, "receive_correction", Status.HANDLING)
        app.corrected_on = on
        _append(app, EventKind.CORRECTION_RECEIVED, on=on, by=by, note=note)
        return _finish(app, "receive_correction", by=by, before=before)


def application_expire_correction(*, by: Any, application: Application, on: dt.date) -> Application:
    """Record that the correction period passed unused: deemed abandoned (视为放弃, row （六）1)."""
    with transaction.atomic():
        app = _begin(application, "expire_correction", by)
        if app.correction_period_ends_on and on <= app.correction_period_ends_on:
            raise ValidationError(
                {"on": f"补正期限至{app.correction_period_ends_on:%Y年%m月%d日}，尚未届满。"}
            )
        before = _state(app)
        _conclude(app, "expire_correction", Status.ABANDONED, Result.R6_1, on)
        _append(app, EventKind.CORRECTION_EXPIRED, on=on, by=by)
        return _finish(app, "expire_correction", by=by, before=before, notify="concluded")


def consultation_send(
    *,
    by: Any,
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
        app = _begin(application, "send_consultation", by)
        if sent_on < app.received_on:
            raise ValidationError({"sent_on": "发出日期不能早于收到申请日期。"})
        before = _state(app)
        consultation = Consultation.objects.create(
            application=app,
            party=party,
            party_name=party_name.strip(),
            consulted_agency=consulted_agency,
            subject=subject,
            sent_on=sent_on,
            delivered_on=delivered_on,
        )
        _set_status(app, "send_consultation", Status.CONSULTING)
        _append(
            app,
            EventKind.CONSULTATION_SENT,
            on=sent_on,
            by=by,
            payload={
                "consultation": consultation.pk,
                "party": party,
                "delivered_on": delivered_on.isoformat() if delivered_on else None,
            },
            note=party_name.strip(),
        )
        _finish(
            app,
            "send_consultation",
            by=by,
            before=before,
            extra={"consultation": consultation.pk},
            notify="consultation_sent",
        )
        _store_consultation_due(app, consultation)
        return consultation


def _store_consultation_due(application: Application, consultation: Consultation) -> None:
    for item in application.deadlines:
        if item.get("ref") == str(consultation.pk) and item.get("due"):
            consultation.answer_due_on = dt.date.fromisoformat(item["due"])
            consultation.save(update_fields=["answer_due_on"])


def consultation_answer(
    *,
    by: Any,
    consultation: Consultation,
    answered_on: dt.date,
    outcome: str,
    note: str = "",
) -> Consultation:
    """Record the consulted party's answer (or its silence when the window has passed)."""
    if outcome not in ConsultationOutcome.values:
        raise ValidationError({"outcome": "请选择意见。"})
    with transaction.atomic():
        app = _begin(consultation.application, "answer_consultation", by)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.answered_on is not None:
            raise ValidationError("该征求意见已经登记过答复。")
        if answered_on < consultation.sent_on:
            raise ValidationError({"answered_on": "收到意见日期不能早于发出日期。"})
        before = _state(app)
        consultation.answered_on = answered_on
        consultation.outcome = outcome
        consultation.answer_note = note
        consultation.save(update_fields=["answered_on", "outcome", "answer_note"])
        still_open = app.consultations.filter(answered_on__isnull=True).exists()
        _set_status(
            app, "answer_consultation", Status.CONSULTING if still_open else Status.HANDLING
        )
        _append(
            app,
            EventKind.CONSULTATION_ANSWERED,
            on=answered_on,
            by=by,
            payload={"consultation": consultation.pk, "outcome": outcome},
            note=note,
        )
        _finish(
            app,
            "answer_consultation",
            by=by,
            before=before,
            extra={"consultation": consultation.pk},
        )
        return consultation


def application_approve_extension(
    *, by: Any, application: Application, on: dt.date, days: int, reason: str
) -> Application:
    """Record the head's approval of an extension (延期答复, 第三十三条第二款).

    Only before the reply limit expires, and at most the legal maximum in total (20 working
    days under the 2019 Regulations); the clock adds the days.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明延期理由。"})
    with transaction.atomic():
        app = _begin(application, "approve_extension", by)
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
        before = _state(app)
        app.extension_days += days
        app.extension_reason = "\n".join(filter(None, [app.extension_reason, reason.strip()]))
        _append(
            app,
            EventKind.EXTENSION_APPROVED,
            on=on,
            by=by,
            payload={"days": days, "reason": reason.strip()},
        )
        return _finish(app, "approve_extension", by=by, before=before, notify="extended")


def application_set_longer_deadline(
    *, by: Any, application: Application, on: dt.date, due_on: dt.date, reason: str
) -> Application:
    """Record the head's decision under 第三十五条: a later, reasonable reply date, with the reason.

    For applications whose number or frequency clearly exceeds a reasonable range, when the
    applicant's reason is accepted but the reply cannot be made within the 第三十三条 limit. The
    decision must be taken before the limit expires and set a date later than the current one;
    the clock then uses ``due_on`` as the reply limit.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明确定合理期限的理由（第三十五条）。"})
    with transaction.atomic():
        app = _begin(application, "set_longer_deadline", by)
        if DEFAULT_RULES.find(RuleKey.LONGER_DEADLINE, app.received_on) is None:
            raise ValidationError("第三十五条自2019年5月15日起施行，本案不适用。")
        if on < app.received_on:
            raise ValidationError({"on": "决定日期不能早于收到申请日期。"})
        if app.reply_due_on is not None:
            if on > app.reply_due_on:
                raise ValidationError(
                    {"on": f"答复期限已于{app.reply_due_on:%Y年%m月%d日}届满，不能再确定合理期限。"}
                )
            if due_on <= app.reply_due_on:
                raise ValidationError(
                    {"due_on": f"合理期限应当晚于现有答复期限（{app.reply_due_on:%Y年%m月%d日}）。"}
                )
        elif due_on <= on:
            raise ValidationError({"due_on": "合理期限应当晚于决定日期。"})
        before = _state(app)
        _append(
            app,
            EventKind.LONGER_DEADLINE_SET,
            on=on,
            by=by,
            payload={"due_on": due_on.isoformat(), "reason": reason.strip()},
            note=reason.strip(),
        )
        return _finish(
            app,
            "set_longer_deadline",
            by=by,
            before=before,
            extra={"longer_deadline": due_on.isoformat()},
            notify="extended",
        )


def fee_amount(
    *, application: Application, basis: str, pages: int | None = None
) -> tuple[int, int]:
    """Return (quantity, amount in 元) of the fee for ``application`` on ``basis``.

    按件: the quantity is the application's rank among the same applicant's applications to this
    agency received in the same calendar month. 按量: the quantity is the number of pages.
    """
    if basis == FeeBasis.PER_PAGE:
        if pages is None or pages < 0:
            raise ValidationError({"pages": "请填写页数。"})
        return pages, per_page_fee(pages)
    month_start = application.received_on.replace(day=1)
    same = Application.objects.filter(
        agency_id=application.agency_id,
        applicant_key__in=applicant_keys_of(application),
        received_on__gte=month_start,
        received_on__lte=application.received_on,
    ).order_by("received_on", "pk")
    rank = list(same.values_list("pk", flat=True)).index(application.pk) + 1
    return rank, per_application_fee(rank)


def fee_notice_send(
    *,
    by: Any,
    application: Application,
    basis: str,
    sent_on: dt.date,
    received_on: dt.date | None = None,
    pages: int | None = None,
) -> FeeNotice:
    """Send a fee notice (收费通知); the amount follows the fee measure's tiers."""
    if basis not in FeeBasis.values:
        raise ValidationError({"basis": "请选择计收方式。"})
    with transaction.atomic():
        app = _begin(application, "send_fee_notice", by)
        if app.fee_notices.exists():
            raise ValidationError("本案已经发出过收费通知。")
        if app.received_on < DEFAULT_RULES.get(RuleKey.FEE_PAYMENT_DAYS, sent_on).effective_from:
            raise ValidationError("信息处理费自2021年1月1日起收取。")
        quantity, amount = fee_amount(application=app, basis=basis, pages=pages)
        if amount == 0:
            raise ValidationError("按收费标准本申请无需缴费，不应发出收费通知。")
        before = _state(app)
        received = received_on or sent_on
        notice = FeeNotice.objects.create(
            application=app,
            basis=basis,
            quantity=quantity,
            amount=Decimal(amount),
            sent_on=sent_on,
            received_on=received,
        )
        _set_status(app, "send_fee_notice", Status.AWAITING_FEE)
        _append(
            app,
            EventKind.FEE_NOTICE_SENT,
            on=sent_on,
            by=by,
            payload={
                "fee_notice": notice.pk,
                "basis": basis,
                "quantity": quantity,
                "amount": amount,
                "received_on": received.isoformat(),
            },
        )
        _finish(
            app,
            "send_fee_notice",
            by=by,
            before=before,
            extra={"amount": amount},
            notify="fee_notice",
        )
        for item in app.deadlines:
            if item["name"] == "fee_payment" and item.get("due"):
                notice.pay_by = dt.date.fromisoformat(item["due"])
                notice.save(update_fields=["pay_by"])
        return notice


def fee_pay(
    *, by: Any, application: Application, paid_on: dt.date, receipt_number: str = ""
) -> Application:
    """Record the payment; handling resumes."""
    with transaction.atomic():
        app = _begin(application, "pay_fee", by)
        notice = app.fee_notices.select_for_update().get()
        if paid_on < notice.sent_on:
            raise ValidationError({"paid_on": "缴费日期不能早于收费通知日期。"})
        before = _state(app)
        notice.paid_on = paid_on
        notice.receipt_number = receipt_number
        notice.save(update_fields=["paid_on", "receipt_number"])
        _set_status(app, "pay_fee", Status.HANDLING)
        _append(app, EventKind.FEE_PAID, on=paid_on, by=by, payload={"fee_notice": notice.pk})
        return _finish(app, "pay_fee", by=by, before=before)


def fee_expire(*, by: Any, application: Application, on: dt.date) -> Application:
    """Record that the fee was not paid in time: deemed abandoned (row （六）2)."""
    with transaction.atomic():
        app = _begin(application, "expire_fee", by)
        notice = app.fee_notices.select_for_update().get()
        if notice.pay_by and on <= notice.pay_by:
            raise ValidationError({"on": f"缴费期限至{notice.pay_by:%Y年%m月%d日}，尚未届满。"})
        before = _state(app)
        notice.expired_on = on
        notice.save(update_fields=["expired_on"])
        _conclude(app, "expire_fee", Status.ABANDONED, Result.R6_2, on)
        _append(app, EventKind.FEE_EXPIRED, on=on, by=by, payload={"fee_notice": notice.pk})
        return _finish(app, "expire_fee", by=by, before=before, notify="concluded")


# --- reply: draft, review, approval, delivery ------------------------------------------------


@dataclass(frozen=True)
class ItemDecision:
    """The decision on one requested item of a draft reply."""

    description: str
    decision: str
    reason: str = ""
    pages: int | None = None


def application_draft_reply(
    *, by: Any, application: Application, decisions: list[ItemDecision], summary: str = ""
) -> Application:
    """Draft the reply: one decision per requested item; the case result follows the precedence."""
    if not decisions:
        raise ValidationError("请至少对一项申请内容作出处理决定。")
    for d in decisions:
        if d.decision not in Result.values:
            raise ValidationError({"decision": "请为每一项申请内容选择处理结果。"})
        if not d.description.strip():
            raise ValidationError({"description": "申请内容不能为空。"})
    with transaction.atomic():
        app = _begin(application, "draft_reply", by)
        before = _state(app)
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
        _append(
            app,
            EventKind.REPLY_DRAFTED,
            on=timezone.localdate(),
            by=by,
            payload={
                "result": app.proposed_result,
                "items": [{"decision": d.decision, "reason": d.reason} for d in decisions],
            },
        )
        return _finish(app, "draft_reply", by=by, before=before)


def application_submit_for_review(*, by: Any, application: Application) -> Application:
    """Submit the drafted reply to the reviewer (审核人)."""
    with transaction.atomic():
        app = _begin(application, "submit_for_review", by)
        if not app.proposed_result:
            raise ValidationError("请先拟写答复。")
        before = _state(app)
        _set_status(app, "submit_for_review", Status.IN_REVIEW)
        _append(app, EventKind.SUBMITTED_FOR_REVIEW, on=timezone.localdate(), by=by)
        return _finish(app, "submit_for_review", by=by, before=before, notify="review_requested")


def application_review(
    *,
    by: Any,
    application: Application,
    approve: bool,
    confidentiality_checked: bool,
    legal_checked: bool,
    opinion: str = "",
) -> Application:
    """The reviewer's decision: 保密审查 and legal check passed → to the head; else returned."""
    name = "approve_review" if approve else "return_review"
    if approve and not (confidentiality_checked and legal_checked):
        raise ValidationError("审核通过前须完成保密审查和合法性审查。")
    if not approve and not opinion.strip():
        raise ValidationError({"opinion": "退回时请写明审核意见。"})
    with transaction.atomic():
        app = _begin(application, name, by)
        before = _state(app)
        _set_status(app, name, Status.IN_APPROVAL if approve else Status.HANDLING)
        _append(
            app,
            EventKind.REVIEW_APPROVED if approve else EventKind.REVIEW_RETURNED,
            on=timezone.localdate(),
            by=by,
            payload={
                "confidentiality_checked": confidentiality_checked,
                "legal_checked": legal_checked,
            },
            note=opinion.strip(),
        )
        return _finish(
            app, name, by=by, before=before, notify="approval_requested" if approve else "returned"
        )


def application_approve(
    *, by: Any, application: Application, approve: bool, opinion: str = ""
) -> Application:
    """The head's (负责人) decision on the reviewed reply: approve it, or return it."""
    name = "approve_reply" if approve else "return_approval"
    if not approve and not opinion.strip():
        raise ValidationError({"opinion": "退回时请写明意见。"})
    with transaction.atomic():
        app = _begin(application, name, by)
        before = _state(app)
        _set_status(app, name, Status.APPROVED if approve else Status.HANDLING)
        _append(
            app,
            EventKind.APPROVAL_APPROVED if approve else EventKind.APPROVAL_RETURNED,
            on=timezone.localdate(),
            by=by,
            payload={"result": app.proposed_result} if approve else {},
            note=opinion.strip(),
        )
        return _finish(
            app, name, by=by, before=before, notify="approved" if approve else "returned"
        )


def application_record_delivery(
    *, by: Any, application: Application, method: str, delivered_on: dt.date, proof: str = ""
) -> Delivery:
    """Record how and when the approved reply reached the applicant; the case gets its result."""
    if method not in DeliveryMethod.values:
        raise ValidationError({"method": "请选择送达方式。"})
    with transaction.atomic():
        app = _begin(application, "record_delivery", by)
        if delivered_on < app.received_on:
            raise ValidationError({"delivered_on": "送达日期不能早于收到申请日期。"})
        before = _state(app)
        delivery = Delivery.objects.create(
            application=app,
            method=method,
            delivered_on=delivered_on,
            proof=proof.strip(),
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        _conclude(app, "record_delivery", Status.REPLIED, app.proposed_result, delivered_on)
        app.replied_on = delivered_on
        _append(
            app,
            EventKind.DELIVERED,
            on=delivered_on,
            by=by,
            payload={"delivery": delivery.pk, "method": method, "result": app.result},
            note=proof.strip(),
        )
        _finish(app, "record_delivery", by=by, before=before, notify="concluded")
        return delivery


def application_transfer(
    *, by: Any, application: Application, to_agency: Agency, on: dt.date, reason: str
) -> Application:
    """Hand the application to the responsible agency on the platform (not this organ's information).

    This case concludes as （四）1 本机关不掌握相关政府信息 (第三十六条第（五）项, decision 0402)
    and a new case, linked to it, is registered at ``to_agency`` with ``on`` as its receipt date.
    Returns the new case.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明转办理由。"})
    with transaction.atomic():
        app = _begin(application, "transfer", by)
        if to_agency.pk == app.agency_id or not to_agency.is_active:
            raise ValidationError({"to_agency": "请选择平台上另一个在用的机关。"})
        before = _state(app)
        _conclude(app, "transfer", Status.TRANSFERRED, Result.R4_1, on)
        app.replied_on = on
        app.items.update(decision=Result.R4_1, reason=reason.strip())
        app.proposed_result = Result.R4_1
        new = application_register(
            by=by,
            agency=to_agency,
            channel=Channel.OTHER,
            arrived_on=on,
            confirmed_on=on,
            applicant=ApplicantData(
                applicant_type=app.applicant_type,
                name=app.applicant_name,
                id_document_type=app.id_document_type,
                id_number=app.id_number,
                credit_code=app.credit_code,
                legal_representative=app.legal_representative,
                contact_name=app.contact_name,
                phone=app.phone,
                email=app.email,
                address=app.address,
                postcode=app.postcode,
            ),
            description=app.description,
            items=list(app.items.values_list("description", flat=True)),
            requested_form=app.requested_form,
            requested_delivery=app.requested_delivery,
            transferred_from=app,
        )
        _append(
            app,
            EventKind.TRANSFERRED,
            on=on,
            by=by,
            payload={"to_agency": to_agency.pk, "to_application": new.pk},
            note=reason.strip(),
        )
        _finish(
            app,
            "transfer",
            by=by,
            before=before,
            extra={"to_application": new.pk},
            notify="concluded",
        )
        return new


def application_withdraw(
    *, by: Any, application: Application, on: dt.date, note: str = ""
) -> Application:
    """Record the applicant's withdrawal (撤回): concluded as （六）3.其他."""
    with transaction.atomic():
        app = _begin(application, "withdraw", by)
        if on < app.received_on:
            raise ValidationError({"on": "撤回日期不能早于收到申请日期。"})
        before = _state(app)
        _conclude(app, "withdraw", Status.WITHDRAWN, Result.R6_3, on)
        _append(app, EventKind.WITHDRAWN, on=on, by=by, note=note)
        return _finish(app, "withdraw", by=by, before=before, notify="concluded")


def application_close(
    *, by: Any, application: Application, on: dt.date | None = None
) -> Application:
    """Close the concluded case file (办结): nothing more is added except appeals; ready to archive."""
    with transaction.atomic():
        app = _begin(application, "close", by)
        before = _state(app)
        on = on or timezone.localdate()
        _set_status(app, "close", Status.CLOSED)
        app.filed_on = on
        _append(app, EventKind.CLOSED, on=on, by=by)
        _finish(app, "close", by=by, before=before, notify="closed")
        archive_job_queue(application=app, by=by)
        return app


def archive_job_queue(*, application: Application, by: Any) -> CaseArchiveJob:
    """Queue the build of the closed case's sealed archive (a background task, on commit)."""
    from gongkai.applications.tasks import build_case_archive

    job = CaseArchiveJob.objects.create(
        application=application, requested_by=by if getattr(by, "pk", None) else None
    )
    job_id = job.pk
    transaction.on_commit(lambda: build_case_archive.enqueue(job_id=job_id))
    return job


def archive_job_run(*, job_id: int) -> CaseArchiveJob:
    """Build the archive of a queued job (``letters.services.archive_build``); record the outcome.

    A refusal (e.g. a letter file no longer matches its hash) is recorded as FAILED with the
    reason, for the case page; so is an unexpected error (logged, without case data).
    """
    from gongkai.letters.services import archive_build

    with transaction.atomic():
        # Lock only the job row (PostgreSQL refuses FOR UPDATE across the nullable user join).
        job = (
            CaseArchiveJob.objects.select_for_update(of=("self",))
            .select_related("application__agency", "requested_by")
            .get(pk=job_id)
        )
        if job.finished:
            return job
        job.status = ArchiveJobStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        archive = archive_build(application=job.application, by=job.requested_by)
    except (ValidationError, PermissionDenied) as exc:
        reason = "；".join(getattr(exc, "messages", [])) or "没有归档权限。"
        _archive_job_end(job, ArchiveJobStatus.FAILED, message=reason[:300])
    except Exception:
        logger.exception("archive job %s failed", job.pk)
        _archive_job_end(job, ArchiveJobStatus.FAILED, message="生成归档时出错，请联系管理员。")
    else:
        _archive_job_end(job, ArchiveJobStatus.DONE, manifest_sha256=archive.manifest_sha256)
    return job


def _archive_job_end(job: CaseArchiveJob, status: str, **fields: Any) -> None:
    job.status = status
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", *fields])


# --- letters issued for the case ------------------------------------------------------------


def application_record_letter(
    *, by: Any, application: Application, letter: Any
) -> ApplicationEvent:
    """Log an issued letter (告知书/答复书) on the case's timeline (called by ``letter_issue``).

    Runs inside the issuing transaction: the letter and its timeline entry exist together or
    not at all. The letter's own audit entry (``letter.issue``) records the issue.
    """
    with transaction.atomic():
        app = _lock(application)
        transition = check_transition("record_letter", app.status)
        if by is not None:
            _require(by, transition.permission, app.agency)
        return _append(
            app,
            EventKind.LETTER_ISSUED,
            on=letter.issued_on,
            by=by,
            payload={
                "letter": letter.pk,
                "number": letter.number,
                "kind": str(letter.kind),
                "template": letter.template_code,
            },
            note=f"{letter.title}（{letter.number}）",
        )


# --- corrections of the record --------------------------------------------------------------

#: Which facts of which entries a correcting entry may change (besides the date ``on``).
CORRECTABLE: dict[str, set[str]] = {
    EventKind.REGISTERED: {"arrived_on", "signed_for_on", "confirmed_on"},
    EventKind.TRANSFERRED_IN: {"arrived_on", "confirmed_on"},
    EventKind.CORRECTION_REQUESTED: {"period_ends_on"},
    EventKind.CORRECTION_RECEIVED: set(),
    EventKind.CORRECTION_EXPIRED: set(),
    EventKind.CONSULTATION_SENT: {"delivered_on"},
    EventKind.CONSULTATION_ANSWERED: set(),
    EventKind.EXTENSION_APPROVED: set(),
    EventKind.LONGER_DEADLINE_SET: set(),
    EventKind.FEE_NOTICE_SENT: {"received_on"},
    EventKind.FEE_PAID: set(),
    EventKind.FEE_EXPIRED: set(),
    EventKind.DELIVERED: set(),
    EventKind.WITHDRAWN: set(),
}


def event_correct(
    *,
    by: Any,
    application: Application,
    event: ApplicationEvent,
    changes: dict[str, dt.date | None],
    reason: str,
) -> ApplicationEvent:
    """Correct a recorded date by appending a CORRECTION entry (history is never edited).

    ``changes`` maps ``on`` or a correctable fact of the entry to its right value. The deadlines
    are recomputed from the corrected facts; the mirrored columns follow.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明更正理由。"})
    with transaction.atomic():
        app = _begin(application, "correct_event", by)
        if event.application_id != app.pk or event.kind not in CORRECTABLE:
            raise ValidationError("该记录不能更正。")
        allowed = CORRECTABLE[event.kind] | {"on"}
        unknown = set(changes) - allowed
        if unknown or not changes:
            raise ValidationError(f"不能更正的内容：{'、'.join(sorted(unknown)) or '（无）'}")
        before = _state(app)
        payload = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()}
        correction = _append(
            app,
            EventKind.CORRECTION,
            on=timezone.localdate(),
            by=by,
            payload={"changes": payload, "kind": event.kind},
            note=reason.strip(),
            corrects=event,
        )
        _mirror_correction(app, event, changes)
        _finish(
            app,
            "correct_event",
            by=by,
            before=before,
            extra={"corrects": event.seq, "changes": payload},
        )
        return correction


def _mirror_correction(app: Application, event: ApplicationEvent, changes: dict[str, Any]) -> None:
    """Keep the columns that copy an entry's facts in step with its correction."""
    on = changes.get("on")
    kind = event.kind
    if kind == EventKind.REGISTERED:
        for f in ("arrived_on", "signed_for_on", "confirmed_on"):
            if f in changes:
                setattr(app, f, changes[f])
    elif kind == EventKind.CORRECTION_REQUESTED:
        if on:
            app.correction_requested_on = on
        if "period_ends_on" in changes:
            app.correction_period_ends_on = changes["period_ends_on"]
    elif kind == EventKind.CORRECTION_RECEIVED and on:
        app.corrected_on = on
    elif kind in (EventKind.DELIVERED,) and on:
        app.replied_on = app.closed_on = on
        Delivery.objects.filter(pk=event.payload.get("delivery")).update(delivered_on=on)
    elif kind in (EventKind.CORRECTION_EXPIRED, EventKind.FEE_EXPIRED, EventKind.WITHDRAWN) and on:
        app.closed_on = on
    elif kind == EventKind.CONSULTATION_SENT:
        fields = {"sent_on": on} if on else {}
        if "delivered_on" in changes:
            fields["delivered_on"] = changes["delivered_on"]
        Consultation.objects.filter(pk=event.payload.get("consultation")).update(**fields)
    elif kind == EventKind.CONSULTATION_ANSWERED and on:
        Consultation.objects.filter(pk=event.payload.get("consultation")).update(answered_on=on)
    elif kind == EventKind.FEE_PAID and on:
        FeeNotice.objects.filter(pk=event.payload.get("fee_notice")).update(paid_on=on)
    elif kind == EventKind.FEE_NOTICE_SENT:
        fields = {"sent_on": on} if on else {}
        if "received_on" in changes:
            fields["received_on"] = changes["received_on"]
        FeeNotice.objects.filter(pk=event.payload.get("fee_notice")).update(**fields)


# --- administrative reviews and lawsuits (report table 四) ----------------------------------


def review_save(
    *,
    by: Any,
    application: Application,
    body: str,
    applied_on: dt.date,
    case_number: str = "",
    decided_on: dt.date | None = None,
    result: str = ReviewResult.PENDING,
    note: str = "",
    review: Review | None = None,
) -> Review:
    """Add or change the record of an administrative review (行政复议) of this case."""
    if result not in ReviewResult.values:
        raise ValidationError({"result": "请选择复议结果。"})
    if result != ReviewResult.PENDING and decided_on is None:
        raise ValidationError({"decided_on": "已审结的，请填写复议决定日期。"})
    with transaction.atomic():
        app = _begin(application, "record_appeal", by)
        before_state = _state(app)
        fields = {
            "body": body.strip(),
            "applied_on": applied_on,
            "case_number": case_number.strip(),
            "decided_on": decided_on,
            "result": result,
            "note": note,
        }
        if review is None:
            review = Review.objects.create(application=app, **fields)
            old: dict[str, Any] = {}
        else:
            review = Review.objects.select_for_update().get(pk=review.pk, application=app)
            old = {k: getattr(review, k) for k in fields}
            for k, v in fields.items():
                setattr(review, k, v)
            review.save()
        _append(
            app,
            EventKind.APPEAL_RECORDED,
            on=timezone.localdate(),
            by=by,
            payload={"review": review.pk, "result": result},
        )
        _finish(
            app,
            "record_appeal",
            by=by,
            before=before_state,
            extra={"review": review.pk, "before": old, "after": fields},
        )
        return review


def lawsuit_save(
    *,
    by: Any,
    application: Application,
    kind: str,
    court: str,
    filed_on: dt.date,
    case_number: str = "",
    decided_on: dt.date | None = None,
    result: str = ReviewResult.PENDING,
    note: str = "",
    review: Review | None = None,
    lawsuit: Lawsuit | None = None,
) -> Lawsuit:
    """Add or change the record of an administrative lawsuit (行政诉讼) about this case."""
    if kind not in LawsuitKind.values:
        raise ValidationError({"kind": "请选择起诉类型。"})
    if result not in ReviewResult.values:
        raise ValidationError({"result": "请选择诉讼结果。"})
    if kind == LawsuitKind.DIRECT and review is not None:
        raise ValidationError({"review": "未经复议直接起诉的，不应关联行政复议。"})
    if result != ReviewResult.PENDING and decided_on is None:
        raise ValidationError({"decided_on": "已审结的，请填写裁判日期。"})
    with transaction.atomic():
        app = _begin(application, "record_appeal", by)
        if review is not None and review.application_id != app.pk:
            raise ValidationError({"review": "所选行政复议不属于本案。"})
        before_state = _state(app)
        fields = {
            "kind": kind,
            "court": court.strip(),
            "filed_on": filed_on,
            "case_number": case_number.strip(),
            "decided_on": decided_on,
            "result": result,
            "note": note,
            "review": review,
        }
        if lawsuit is None:
            lawsuit = Lawsuit.objects.create(application=app, **fields)
        else:
            lawsuit = Lawsuit.objects.select_for_update().get(pk=lawsuit.pk, application=app)
            for k, v in fields.items():
                setattr(lawsuit, k, v)
            lawsuit.save()
        _append(
            app,
            EventKind.APPEAL_RECORDED,
            on=timezone.localdate(),
            by=by,
            payload={"lawsuit": lawsuit.pk, "kind": kind, "result": result},
        )
        _finish(
            app,
            "record_appeal",
            by=by,
            before=before_state,
            extra={"lawsuit": lawsuit.pk, "kind": kind, "result": result},
        )
        return lawsuit


# --- deadline recomputation (calendar changes) ----------------------------------------------


def application_recompute_deadlines(
    *, application: Application, reason: str, calendar: Any = None, today: dt.date | None = None
) -> dict[str, tuple[Any, Any]]:
    """Recompute one case's deadlines (e.g. after a calendar change); audit any changed date.

    Writes nothing (no event, no audit entry) when no date changes.
    """
    with transaction.atomic():
        app = _lock(application)
        result = deadlines.compute(app, today=today, calendar=calendar, explain=False)
        changes = deadlines.apply_result(app, result)
        dated = {k: v for k, v in changes.items() if k != "deadlines"}
        if not changes:
            return {}
        app.save(update_fields=[*deadlines.DEADLINE_FIELDS, "updated_at"])
        if dated:
            payload = {
                k: [str(a) if a is not None else None, str(b) if b is not None else None]
                for k, (a, b) in dated.items()
            }
            _append(
                app,
                EventKind.DEADLINES_RECOMPUTED,
                on=timezone.localdate(),
                by=None,
                payload={"changes": payload},
                note=reason,
            )
            record_audit(
                action="application.recompute_deadlines",
                actor=None,
                target=app,
                agency=app.agency,
                before={k: a for k, (a, b) in dated.items()},
                after={**{k: b for k, (a, b) in dated.items()}, "reason": reason},
            )
        return dated


@dataclass
class RecomputeReport:
    """Outcome of a bulk recomputation: cases looked at and cases whose dates changed."""

    total: int = 0
    done: int = 0
    changed: int = 0


def applications_recompute_open(
    *,
    reason: str,
    progress: Callable[[RecomputeReport], None] | None = None,
    today: dt.date | None = None,
) -> RecomputeReport:
    """Recompute the deadlines of every open case (one transaction per case), auditing changes.

    ``progress`` is called after each case with the running report (for progress bars).
    """
    calendar = deadlines.get_calendar()
    ids = list(Application.objects.open().order_by("pk").values_list("pk", flat=True))
    report = RecomputeReport(total=len(ids))
    for pk in ids:
        app = Application.objects.filter(pk=pk).first()
        if app is not None and application_recompute_deadlines(
            application=app, reason=reason, calendar=calendar, today=today
        ):
            report.changed += 1
        report.done += 1
        if progress is not None:
            progress(report)
    return report


#: Write a run's progress at most this often (cases), so that 100,000 cases cost few updates.
PROGRESS_EVERY = 50


def recompute_run_create(*, reason: str, year: int | None = None) -> RecomputeRun:
    """Create the progress row of a recomputation (before its task is queued)."""
    return RecomputeRun.objects.create(reason=reason[:200], year=year)


def recompute_run_execute(
    *,
    run_id: int,
    progress: Callable[[RecomputeReport], None] | None = None,
    today: dt.date | None = None,
) -> RecomputeRun:
    """Recompute every open case, writing the progress into the run's row as it goes.

    ``progress`` is called as well (the CLI's terminal bar). The row is updated every
    ``PROGRESS_EVERY`` cases and at the end; a failure is recorded in ``error`` and re-raised.
    """
    run = RecomputeRun.objects.get(pk=run_id)
    RecomputeRun.objects.filter(pk=run_id).update(started_at=timezone.now())

    def record(report: RecomputeReport) -> None:
        if report.done == 1 or report.done % PROGRESS_EVERY == 0 or report.done == report.total:
            RecomputeRun.objects.filter(pk=run_id).update(
                total=report.total, done=report.done, changed=report.changed
            )
        if progress is not None:
            progress(report)

    try:
        report = applications_recompute_open(reason=run.reason, progress=record, today=today)
    except Exception as exc:
        RecomputeRun.objects.filter(pk=run_id).update(
            finished_at=timezone.now(), error=f"{type(exc).__name__}"[:300]
        )
        raise
    RecomputeRun.objects.filter(pk=run_id).update(
        total=report.total, done=report.done, changed=report.changed, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
