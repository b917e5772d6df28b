"""The JSON API for submitting and following applications (一网通办 integration).

Same validation as the web form (``portal.forms.ApplyForm`` fed with the JSON fields, which
calls ``applications.services.validate_online``), same rate limits, same idempotency
(``Idempotency-Key`` header = the form token), same answer for a wrong number and a wrong code.
The API carries no cookies or other ambient credentials — a request proves itself with the
registration number and access code in its body — so it is exempt from CSRF (decision 0503).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from gongkai.api.errors import error, json_response
from gongkai.api.openapi import schema
from gongkai.applications.choices import ApplicantType
from gongkai.core.params import ParamError, parse_json_body, text_param
from gongkai.portal import casework, ratelimit, selectors, submission
from gongkai.portal.choices import FileKind
from gongkai.portal.forms import ORGANISATION, PERSON, ApplyForm
from gongkai.portal.models import CaseAccess
from gongkai.portal.uploads import CheckedFile, check_bytes, max_bytes

#: Plain text fields of a submission (all strings).
TEXT_FIELDS = [
    "applicant_type",
    "applicant_name",
    "id_document_type",
    "id_number",
    "credit_code",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
    "doc_title",
    "doc_number",
    "doc_date",
    "description",
    "requested_form",
    "requested_delivery",
]
FILE_FIELDS = ["identity_copy", "attachment"]
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,128}$")


def _method_not_allowed(allowed: str) -> HttpResponse:
    return error("method_not_allowed", f"请使用 {allowed} 方法。", 405, Allow=allowed)


def _body(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    """Parse the JSON object body, or return the error response."""
    try:
        raw = request.body
    except RequestDataTooBig:
        return error("too_large", "请求体过大。", 413)
    try:
        data = parse_json_body(raw)
    except ParamError as exc:
        return error("invalid_json", exc.message, 400)
    if not isinstance(data, dict):
        return error("invalid_json", "请求体应为JSON对象。", 400)
    return data


def _case_view(access: Any) -> selectors.CaseView:
    """The case as the API shows it: labels, deadline texts and dates in Chinese (the default
    language), whatever the client's Accept-Language (the portal pages follow the language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return selectors.case_view(access)


def _decode_file(value: Any, field: str, errors: dict[str, str]) -> CheckedFile | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        errors[field] = "文件应为包含 filename 和 content_base64 的对象。"
        return None
    name = value.get("filename", "")
    content = value.get("content_base64", "")
    if not isinstance(name, str) or not isinstance(content, str):
        errors[field] = "filename 和 content_base64 应为字符串。"
        return None
    if len(content) > max_bytes() * 4 // 3 + 8:
        errors[field] = f"文件过大，单个文件不能超过{max_bytes() // 1024 // 1024} MB。"
        return None
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        errors[field] = "content_base64 不是有效的Base64编码。"
        return None
    try:
        return check_bytes(data, name)
    except ValidationError as exc:
        errors[field] = exc.messages[0]
        return None


def _form_data(data: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Map the JSON fields onto the web form's fields (type errors go into ``errors``)."""
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = "应为字符串。"
            value = ""
        values[name] = value
    agency = data.get("agency_id")
    if isinstance(agency, bool) or not isinstance(agency, (int, str)) or agency == "":
        errors.setdefault("agency_id", "请提供受理机关编号 agency_id（整数）。")
        agency = ""
    kind = values.pop("applicant_type")
    form = {
        **values,
        "agency": str(agency),
        "applicant_kind": PERSON if kind == ApplicantType.PERSON else ORGANISATION,
        "org_type": "" if kind == ApplicantType.PERSON else kind,
    }
    if not kind:
        form["applicant_kind"] = ""
    elif kind not in ApplicantType.values:
        errors.setdefault(
            "applicant_type",
            "申请人类型应为 PERSON、BUSINESS、RESEARCH、PUBLIC_INTEREST、LEGAL_SERVICE 或 OTHER_ORG。",
        )
    return form


#: Web form field -> API field.
FIELD_NAMES = {
    "agency": "agency_id",
    "applicant_kind": "applicant_type",
    "org_type": "applicant_type",
}


def _case_payload(request: HttpRequest, view: selectors.CaseView) -> dict[str, Any]:
    uid = view.access.uid

    def letter_url(letter: Any, fmt: str) -> str:
        return request.build_absolute_uri(
            reverse("apply:letter", kwargs={"uid": uid, "pk": letter.pk, "fmt": fmt})
        )

    return selectors.case_json(view, letter_url=letter_url)


def _idempotency_key(request: HttpRequest) -> str | HttpResponse:
    """The submission's key from the Idempotency-Key header ("" without one)."""
    key_header = request.headers.get("Idempotency-Key", "")
    if key_header and not IDEMPOTENCY_KEY.match(key_header):
        return error(
            "invalid_idempotency_key",
            "Idempotency-Key 应为8至128位字母、数字、下划线或连字符。",
            400,
        )
    return key_header


def _refused(refused: submission.Refused) -> HttpResponse:
    """A refusal of the submission service as the JSON error with the same code."""
    errors = {FIELD_NAMES.get(k, k): v for k, v in refused.errors.items()}
    headers = {"Retry_After": str(refused.retry_after)} if refused.retry_after else {}
    return error(refused.code, refused.message, refused.status, errors, **headers)


def _checked_submission(
    data: dict[str, Any],
) -> tuple[ApplyForm, list[tuple[str, CheckedFile]]]:
    """The application form and files of the request body; Refused listing every error."""
    errors: dict[str, str] = {}
    form_data = _form_data(data, errors)
    files: list[tuple[str, CheckedFile]] = []
    for name in FILE_FIELDS:
        checked = _decode_file(data.get(name), name, errors)
        if checked is not None:
            files.append(
                (FileKind.IDENTITY if name == "identity_copy" else FileKind.ATTACHMENT, checked)
            )
    if "identity_copy" not in errors and not any(k == FileKind.IDENTITY for k, _ in files):
        errors["identity_copy"] = "请上传身份证明复印件（identity_copy）。"
    form = ApplyForm(form_data, agency_choices=[])
    if not form.is_valid():
        for field, messages in form.errors.items():
            name = FIELD_NAMES.get(field, field) if field != "__all__" else "non_field"
            errors.setdefault(name, " ".join(str(m) for m in messages))
    if errors:
        raise submission.invalid(errors)
    return form, files


def _submit(request: HttpRequest, key: str) -> HttpResponse:
    """The submission steps of the service, in the API's order; Refused on any refusal."""
    data = _body(request)
    # Invalid bodies count too (decision 1802).
    submission.count(
        source=ratelimit.client_ip(request), data=data if isinstance(data, dict) else {}
    )
    if isinstance(data, HttpResponse):
        return data
    form, files = _checked_submission(data)
    # Only now, with a valid body: the key is bound to this body and this client's credential.
    token = (
        submission.bind_api_key(key, data, request.headers.get("Authorization", "")) if key else ""
    )
    if (replay := submission.replay(token)) is not None:
        return json_response(replay, status=200)
    result = submission.earlier(token) or submission.submit(
        token=token,
        agency=form.checked_agency,
        applicant=form.applicant(),
        description=form.full_description(),
        requested_form=form.cleaned_data["requested_form"],
        requested_delivery=form.cleaned_data["requested_delivery"],
        files=files,
    )
    body = {
        "registration_number": result.access.application.registration_number,
        "access_code": result.code or None,
        "case": _case_payload(request, _case_view(result.access)),
    }
    if result.created:
        submission.keep_for_replay(token, body)
    return json_response(body, status=201 if result.created else 200)


@csrf_exempt
def applications(request: HttpRequest) -> HttpResponse:
    """POST: submit an application. Returns 201 with the registration number and access code."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    key = _idempotency_key(request)
    if isinstance(key, HttpResponse):
        return key
    with translation.override(settings.LANGUAGE_CODE):  # the API's messages are Chinese
        try:
            return _submit(request, key)
        except submission.Refused as refused:
            return _refused(refused)


def _text(data: dict[str, Any], name: str) -> str:
    """A text value of the body ("" when absent or not a string: the service refuses it)."""
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def _case_step(
    request: HttpRequest, step: Callable[[CaseAccess, dict[str, Any], str], object]
) -> HttpResponse:
    """POST with the credentials in the body: open the case (``casework.open_case``), take the
    ``step`` on it, answer the case as it is then; a refusal is the JSON error of its code."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    data = _body(request)
    if isinstance(data, HttpResponse):
        return data
    source = ratelimit.client_ip(request)
    with translation.override(settings.LANGUAGE_CODE):  # the API's messages are Chinese
        try:
            found = casework.open_case(
                source=source,
                number=_text(data, "registration_number"),
                code=_text(data, "access_code"),
            )
            step(found, data, source)
        except submission.Refused as refused:
            return _refused(refused)
        return json_response(_case_payload(request, selectors.case_view(found)))


@csrf_exempt
def lookup(request: HttpRequest) -> HttpResponse:
    """POST {registration_number, access_code}: the case's status, deadlines and letters."""
    return _case_step(request, lambda access, data, source: None)


def _correct(access: CaseAccess, data: dict[str, Any], source: str) -> None:
    errors: dict[str, str] = {}
    files_in = data.get("files") or []
    if not isinstance(files_in, list) or len(files_in) > 5:
        errors["files"] = "files 应为最多5个文件对象的数组。"
        files_in = []
    files = []
    for n, item in enumerate(files_in):
        checked = _decode_file(item, f"files.{n}", errors)
        if checked is not None:
            files.append(checked)
    casework.correct(
        access=access, source=source, text=_text(data, "correction"), files=files, errors=errors
    )


@csrf_exempt
def correction(request: HttpRequest) -> HttpResponse:
    """POST {registration_number, access_code, correction, files?}: answer a 补正 notice."""
    return _case_step(request, _correct)


def _withdraw(access: CaseAccess, data: dict[str, Any], source: str) -> None:
    reason = data.get("reason", "")
    errors = {} if isinstance(reason, str) else {"reason": "应为字符串。"}
    casework.withdraw(access=access, source=source, reason=_text(data, "reason"), errors=errors)


@csrf_exempt
def withdraw(request: HttpRequest) -> HttpResponse:
    """POST {registration_number, access_code, reason?}: withdraw the application."""
    return _case_step(request, _withdraw)


def agencies(request: HttpRequest) -> HttpResponse:
    """GET ?q=: agencies that receive applications (id and name)."""
    if request.method != "GET":
        return _method_not_allowed("GET")
    query = text_param(request.GET, "q", max_length=50)
    rows = selectors.agencies_for_applications(query)[:500]
    return json_response({"results": [{"id": a.pk, "name": a.name} for a in rows]})


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 schema of the whole platform API (this app and the other apps' fragments)."""
    return json_response(schema(request.build_absolute_uri("/").rstrip("/")))
