"""Writes the applicant makes without a staff account (the public portal and the JSON API).

The office services in ``services.py`` require a staff member with the step's role
(``by=...``). An applicant acting on their own case online has no role, so these functions
perform the same transitions from the same table (``transitions.TRANSITIONS``) with
``by=None`` and the applicant recorded as the actor in the event note and the audit entry.
They reuse the office module's helpers (lock, append the event, recompute the deadlines through
the clock, audit, schedule the notification) so that the bookkeeping stays in one place.

Every function is keyword-only, runs in ``transaction.atomic`` and never writes personal data
into event payloads, audit entries or log lines.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.credit_code import normalise_credit_code
from gongkai.agencies.models import Agency
from gongkai.applications import deadlines
from gongkai.applications import services as office
from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    EventKind,
    IdDocumentType,
    InformationForm,
    Result,
    Status,
)
from gongkai.applications.identity import normalise_id_number
from gongkai.applications.models import Application, RequestedItem
from gongkai.applications.numbering import allocate_registration_number
from gongkai.applications.transitions import check_transition

#: How the applicant appears as the actor of an event they caused online (no account).
APPLICANT_ACTOR = "申请人（网上）"
#: Longest request text accepted online (characters).
DESCRIPTION_MAX = 5000


def validate_online(
    *,
    agency: Agency | None,
    applicant: office.ApplicantData,
    description: str,
    requested_form: str,
    requested_delivery: str,
) -> dict[str, str]:
    """Return field → Chinese error for an online application (empty when valid).

    The office's applicant rules apply (``services.validate_applicant``: ID check digit, credit
    code, a contact); online, a natural person must also give a 居民身份证 number or another
    document, and the request text is limited in length.
    """
    errors = office.validate_applicant(applicant)
    if agency is None or not agency.is_active:
        errors["agency"] = "请选择受理申请的机关（所选机关不存在或已撤销）。"
    text = description.strip()
    if not text:
        errors["description"] = "请填写所需政府信息的名称、文号或者特征性描述。"
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = f"申请内容不能超过{DESCRIPTION_MAX}字，请分项提出申请。"
    if requested_form and requested_form not in InformationForm.values:
        errors["requested_form"] = "请选择所需信息的载体形式。"
    if requested_delivery and requested_delivery not in DeliveryMethod.values:
        errors["requested_delivery"] = "请选择获取信息的方式。"
    if applicant.applicant_type == ApplicantType.PERSON and (
        applicant.id_document_type and applicant.id_document_type not in IdDocumentType.values
    ):
        errors["id_document_type"] = "请选择身份证件类型。"
    return errors


def register_online(
    *,
    agency: Agency,
    applicant: office.ApplicantData,
    description: str,
    items: list[str] | None = None,
    requested_form: str = "",
    requested_delivery: str = "",
    on: dt.date | None = None,
) -> Application:
    """Register an application submitted online (网络申请) by the applicant.

    第三十一条: an application through the internet is received on the date both sides confirm
    it. The platform confirms receipt to the applicant at once (the receipt page, the PDF
    receipt and the e-mail), so the confirmation date is the submission date (decision 0501).
    Raises ValidationError (a dict keyed by field) on invalid input; nothing is written then.
    """
    errors = validate_online(
        agency=agency,
        applicant=applicant,
        description=description,
        requested_form=requested_form,
        requested_delivery=requested_delivery,
    )
    if errors:
        raise ValidationError(errors)
    check_transition("register", None)
    on = on or timezone.localdate()
    is_person = applicant.applicant_type == ApplicantType.PERSON
    id_number = (
        normalise_id_number(applicant.id_number)
        if applicant.id_document_type == IdDocumentType.ID_CARD
        else applicant.id_number.strip()
    )
    code = normalise_credit_code(applicant.credit_code) if applicant.credit_code else ""
    receipt = {
        "channel": Channel.ONLINE,
        "arrived_on": on.isoformat(),
        "signed_for_on": None,
        "confirmed_on": on.isoformat(),
    }
    with transaction.atomic():
        received_on = deadlines.receipt_date(receipt) or on
        serial, number = allocate_registration_number(agency, received_on.year)
        application = Application.objects.create(
            agency=agency,
            registration_year=received_on.year,
            registration_serial=serial,
            registration_number=number,
            channel=Channel.ONLINE,
            arrived_on=on,
            confirmed_on=on,
            received_on=received_on,
            applicant_type=applicant.applicant_type,
            applicant_name=applicant.name.strip(),
            id_document_type=applicant.id_document_type if is_person else "",
            id_number=id_number if is_person else "",
            credit_code=code,
            legal_representative=applicant.legal_representative.strip(),
            contact_name=applicant.contact_name.strip(),
            phone=applicant.phone.strip(),
            email=applicant.email.strip(),
            address=applicant.address.strip(),
            postcode=applicant.postcode.strip(),
            applicant_key=office.applicant_key(
                applicant_type=applicant.applicant_type,
                id_number=id_number,
                credit_code=code,
                name=applicant.name,
            ),
            description=description.strip(),
            requested_form=requested_form,
            requested_delivery=requested_delivery,
            status=Status.HANDLING,
        )
        texts = [t.strip() for t in (items or []) if t.strip()] or [application.description]
        RequestedItem.objects.bulk_create(
            RequestedItem(application=application, position=n, description=text)
            for n, text in enumerate(texts, 1)
        )
        office._append(
            application, EventKind.REGISTERED, on=on, by=None, payload=receipt, note=APPLICANT_ACTOR
        )
        office._finish(
            application,
            "register",
            by=None,
            before={},
            extra={
                "registration_number": number,
                "channel": Channel.ONLINE,
                "actor": APPLICANT_ACTOR,
            },
            notify="registered",
        )
    return application


def applicant_submit_correction(
    *, application: Application, note: str, on: dt.date | None = None
) -> Application:
    """Record the applicant's corrected application (补正) submitted online.

    Same transition as the office's ``application_receive_correction``: the case returns to
    handling and the reply limit counts again from ``on`` (第三十条). The corrected text is kept
    in the event note (it is the applicant's own request, not identity data).
    """
    text = note.strip()
    if not text:
        raise ValidationError({"correction": "请填写补正后的申请内容。"})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError({"correction": f"补正内容不能超过{DESCRIPTION_MAX}字。"})
    on = on or timezone.localdate()
    with transaction.atomic():
        app = office._lock(application)
        check_transition("receive_correction", app.status)
        if app.correction_requested_on and on < app.correction_requested_on:
            raise ValidationError({"correction": "补正日期不能早于补正告知日期。"})
        before = office._state(app)
        office._set_status(app, "receive_correction", Status.HANDLING)
        app.corrected_on = on
        office._append(
            app,
            EventKind.CORRECTION_RECEIVED,
            on=on,
            by=None,
            payload={"channel": Channel.ONLINE},
            note=f"{APPLICANT_ACTOR}补正：{text}",
        )
        return office._finish(
            app,
            "receive_correction",
            by=None,
            before=before,
            extra={"actor": APPLICANT_ACTOR},
            notify="correction_received",
        )


def applicant_withdraw(
    *, application: Application, reason: str = "", on: dt.date | None = None
) -> Application:
    """Withdraw the application at the applicant's request (撤回): concluded as （六）3.其他."""
    on = on or timezone.localdate()
    with transaction.atomic():
        app = office._lock(application)
        check_transition("withdraw", app.status)
        before = office._state(app)
        office._conclude(app, "withdraw", Status.WITHDRAWN, Result.R6_3, on)
        office._append(
            app,
            EventKind.WITHDRAWN,
            on=on,
            by=None,
            payload={"channel": Channel.ONLINE},
            note=f"{APPLICANT_ACTOR}撤回" + (f"：{reason.strip()[:500]}" if reason.strip() else ""),
        )
        return office._finish(
            app,
            "withdraw",
            by=None,
            before=before,
            extra={"actor": APPLICANT_ACTOR},
            notify="concluded",
        )


def applicant_record_payment(
    *, application: Application, paid_on: dt.date, receipt_number: str = ""
) -> None:
    """Check that a payment proof may be recorded now (the case awaits the fee).

    The proof itself (file, date, number) is stored by the portal; the office confirms the
    payment with ``services.fee_pay`` after checking it (the fee goes to the treasury against a
    财政票据, which only the office can verify — decision 0502). Raises ValidationError when the
    case is not awaiting a fee or the date is impossible.
    """
    app = Application.objects.get(pk=application.pk)
    check_transition("pay_fee", app.status)
    notice = app.fee_notices.order_by("-sent_on", "-pk").first()
    if notice is None:
        raise ValidationError({"paid_on": "本申请没有收费通知。"})
    if paid_on < notice.sent_on:
        raise ValidationError({"paid_on": "缴费日期不能早于收费通知日期。"})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "缴费日期不能晚于今天。"})
    if len(receipt_number) > 60:
        raise ValidationError({"receipt_number": "票据号不能超过60个字符。"})
