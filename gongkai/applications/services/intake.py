"""Registration (登记): who applies, what they ask for, the receipt date and the 受理编号.

Three ways in, one way to create a case (``_create``): the office registers an application of
any channel (``application_register``), the applicant submits online (``register_online``, as
``APPLICANT``), and a transfer registers the case at the receiving agency (inside the transfer
step, which authorises it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.agencies.credit_code import credit_code_error, normalise_credit_code
from gongkai.agencies.models import Agency
from gongkai.applications import deadlines
from gongkai.applications.choices import (
    ORGANISATION_TYPES,
    ApplicantType,
    Channel,
    DeliveryMethod,
    EventKind,
    IdDocumentType,
    InformationForm,
    Result,
    Status,
)
from gongkai.applications.identity import id_number_error, normalise_id_number
from gongkai.applications.models import Application, RequestedItem
from gongkai.applications.numbering import allocate_registration_number
from gongkai.applications.results import EVIDENCED
from gongkai.applications.workflow import APPLICANT, WORKFLOW, conclude, notify
from gongkai.core.actors import Actor, user_of
from gongkai.core.crypto import hash_for_lookup, lookup_hashes
from gongkai.core.workflow import Step

#: How the applicant appears as the actor of an event they caused online (no account).
APPLICANT_ACTOR = APPLICANT.label
#: Longest request text accepted online (characters).
DESCRIPTION_MAX = 5000


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

    @classmethod
    def of(cls, application: Application) -> ApplicantData:
        """The applicant of a stored case (decrypted), e.g. to register it again elsewhere."""
        return cls(
            applicant_type=application.applicant_type,
            name=application.applicant_name,
            id_document_type=application.id_document_type,
            id_number=application.id_number,
            credit_code=application.credit_code,
            legal_representative=application.legal_representative,
            contact_name=application.contact_name,
            phone=application.phone,
            email=application.email,
            address=application.address,
            postcode=application.postcode,
        )


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


def validate_online(
    *,
    agency: Agency | None,
    applicant: ApplicantData,
    description: str,
    requested_form: str,
    requested_delivery: str,
) -> dict[str, str]:
    """Return field → Chinese error for an online application (empty when valid).

    The office's applicant rules apply (``validate_applicant``: ID check digit, credit code, a
    contact); online, a natural person must also give a 居民身份证 number or another document,
    and the request text is limited in length.
    """
    errors = validate_applicant(applicant)
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


def _new_case(*, agency: Agency, applicant: ApplicantData, **fields: Any) -> Application:
    """An unsaved case of ``applicant`` (identity normalised, the applicant key computed)."""
    is_person = applicant.applicant_type == ApplicantType.PERSON
    id_number = (
        normalise_id_number(applicant.id_number)
        if applicant.id_document_type == IdDocumentType.ID_CARD
        else applicant.id_number.strip()
    )
    code = normalise_credit_code(applicant.credit_code) if applicant.credit_code else ""
    return Application(
        agency=agency,
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
        applicant_key=applicant_key(
            applicant_type=applicant.applicant_type,
            id_number=id_number,
            credit_code=code,
            name=applicant.name,
        ),
        status=Status.HANDLING,
        **fields,
    )


def _number_and_items(step: Step, received_on: dt.date, items: list[str] | None) -> str:
    """Give the new case its receipt date and 受理编号, save it, add its requested items."""
    app = step.obj
    app.received_on = received_on
    serial, number = allocate_registration_number(app.agency, received_on.year)
    app.registration_year = received_on.year
    app.registration_serial = serial
    app.registration_number = number
    app.save()
    texts = [t.strip() for t in (items or []) if t.strip()] or [app.description]
    RequestedItem.objects.bulk_create(
        RequestedItem(application=app, position=n, description=text)
        for n, text in enumerate(texts, 1)
    )
    return number


def _register_errors(
    applicant: ApplicantData, description: str, channel: str, on_the_spot_result: str | None
) -> dict[str, str]:
    errors = validate_applicant(applicant)
    if not description.strip():
        errors["description"] = "请填写所需政府信息的名称、文号或者特征性描述。"
    if channel not in Channel.values:
        errors["channel"] = "请选择申请方式。"
    if on_the_spot_result is not None and on_the_spot_result not in Result.values:
        errors["on_the_spot_result"] = "请选择当场答复的办理结果。"
    elif on_the_spot_result in EVIDENCED:
        errors["on_the_spot_result"] = (
            "当场答复不能选择需要先有补正或收费过程的办理结果（第三十条、收费管理办法）。"
        )
    return errors


def _receipt(
    channel: str,
    arrived_on: dt.date,
    letter_needs_signature: bool,
    signed_for_on: dt.date | None,
    confirmed_on: dt.date | None,
) -> dict[str, Any]:
    """The 第三十一条 facts of the registration event (the clock derives the receipt date).

    A letter that needs signing for is taken as signed for on arrival unless a date is given.
    """
    needs_confirmation = channel in {Channel.ONLINE, Channel.EMAIL, Channel.FAX} or (
        channel == Channel.LETTER and not letter_needs_signature
    )
    if needs_confirmation and confirmed_on is None:
        raise ValidationError({"confirmed_on": "请填写与申请人确认收到申请的日期（第三十一条）。"})
    return {
        "channel": channel,
        "arrived_on": arrived_on.isoformat(),
        "signed_for_on": signed_for_on.isoformat() if signed_for_on else None,
        "confirmed_on": confirmed_on.isoformat() if confirmed_on else None,
    }


def application_register(
    *,
    by: Actor,
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
    authorised_by: Step | None = None,
) -> Application:
    """Register an application (登记) with a fresh 受理编号; optionally answered on the spot.

    The receipt date follows 第三十一条 from the channel facts (the clock engine decides it).
    With ``on_the_spot_result`` the case is replied to on the spot (当场答复) and concluded on
    the receipt date with that result. ``authorised_by``: the transfer step registering the
    case at the receiving agency (its permission covers this registration).
    """
    errors = _register_errors(applicant, description, channel, on_the_spot_result)
    if errors:
        raise ValidationError(errors)
    if channel == Channel.LETTER and letter_needs_signature and signed_for_on is None:
        signed_for_on = arrived_on
    receipt = _receipt(channel, arrived_on, letter_needs_signature, signed_for_on, confirmed_on)
    case = _new_case(
        agency=agency,
        applicant=applicant,
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
        description=description.strip(),
        requested_form=requested_form,
        requested_delivery=requested_delivery,
        handler=handler,
        created_by=user_of(by),
    )
    with WORKFLOW.perform(case, "register", by=by, authorised_by=authorised_by) as step:
        received_on = deadlines.receipt_date(receipt)
        if received_on is None:
            raise ValidationError({"confirmed_on": "收到申请的日期尚不能确定（第三十一条）。"})
        number = _number_and_items(step, received_on, items)
        payload = dict(receipt)
        if transferred_from is not None:
            payload["from_application"] = transferred_from.pk
            payload["from_agency"] = transferred_from.agency_id
        step.record(
            EventKind.TRANSFERRED_IN if transferred_from else EventKind.REGISTERED,
            on=arrived_on,
            payload=payload,
            note="口头申请，代为填写" if is_oral else "",
        )
        if handler is not None:
            step.record(EventKind.HANDLER_ASSIGNED, on=arrived_on, payload={"handler": handler.pk})
        if on_the_spot_result is not None:
            _reply_on_the_spot(step, on_the_spot_result, on_the_spot_reply)
        step.audit_after.update(registration_number=number, channel=channel)
        notify(step.obj, "registered")
    return step.obj


def _reply_on_the_spot(step: Step, result: str, reply: str) -> None:
    """当场答复: the case is answered and concluded on its receipt date."""
    app = step.obj
    app.replied_on_the_spot = True
    app.items.update(decision=result)
    app.proposed_result = result
    app.reply_summary = reply
    step.set_status(Status.REPLIED)
    conclude(step, result, app.received_on)
    app.replied_on = app.received_on
    step.record(
        EventKind.REPLIED_ON_THE_SPOT,
        on=app.received_on,
        payload={"result": result},
        note=reply,
    )


def register_online(
    *,
    agency: Agency,
    applicant: ApplicantData,
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
    on = on or timezone.localdate()
    receipt = {
        "channel": Channel.ONLINE,
        "arrived_on": on.isoformat(),
        "signed_for_on": None,
        "confirmed_on": on.isoformat(),
    }
    case = _new_case(
        agency=agency,
        applicant=applicant,
        channel=Channel.ONLINE,
        arrived_on=on,
        confirmed_on=on,
        received_on=on,
        description=description.strip(),
        requested_form=requested_form,
        requested_delivery=requested_delivery,
    )
    with WORKFLOW.perform(case, "register", by=APPLICANT) as step:
        number = _number_and_items(step, deadlines.receipt_date(receipt) or on, items)
        step.record(EventKind.REGISTERED, on=on, payload=receipt, note=APPLICANT_ACTOR)
        step.audit_after.update(
            registration_number=number, channel=Channel.ONLINE, actor=APPLICANT_ACTOR
        )
        notify(step.obj, "registered")
    return step.obj
