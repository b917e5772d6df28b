"""The applicant's steps on a submitted case — open it, answer a 补正, prove a payment, withdraw —
one path for the case page and the JSON API (issue 14, decision 1408).

Like ``submission``, each step is a service the two channels call as thin adapters:

* **who may** — a case is opened only with its registration number and access code
  (``open_case``; a wrong number, a wrong code and another applicant's case answer alike:
  ``not_found``); the steps then act on that ``CaseAccess`` only. The portal's session holds
  the cases it proved (``access.session_access``); the API proves them in every request.
* **throttles** — ``lookup_ip`` and the wrong-code delay (``lockout``) for opening,
  ``action_ip`` for every step; every attempt counts, valid or not.
* **refusals** — one ``submission.Refused`` per case: ``rate_limited`` (429), ``invalid`` (400,
  messages by field), ``not_found`` (404), ``not_allowed`` (409, the step is not possible in
  the case's status). The portal puts the message on the form, the API sends the JSON error
  with the same code.

The channels pass what they found wrong in their own input (``errors``: a form's field errors,
a JSON value of the wrong type, a file that failed its check); the service adds its own checks,
so both refuse the same input with the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.applications.models import Application
from gongkai.portal import access as acc
from gongkai.portal import ratelimit, services
from gongkai.portal.models import ApplicantFile, CaseAccess
from gongkai.portal.submission import Refused, invalid, rate_limited
from gongkai.portal.uploads import CheckedFile

#: The same answer for a wrong number, a wrong code and another applicant's case.
NOT_FOUND = gettext_lazy("受理编号或查询码不正确，请核对受理回执。")
#: The longest withdrawal reason kept.
REASON_MAX = 500

T = TypeVar("T")


def open_case(*, source: str, number: str, code: str) -> CaseAccess:
    """The case of (registration number, access code), asked from ``source`` (the client IP).

    Raises ``Refused``: ``rate_limited`` (too many lookups, or waiting after wrong codes),
    ``invalid`` (a blank number or code), ``not_found`` (no such case for this code).
    """
    if limited := ratelimit.check(("lookup_ip", source)):
        raise rate_limited(limited)
    errors = {}
    if not number.strip():
        errors["registration_number"] = _("请填写受理编号。")
    if not code.strip():
        errors["access_code"] = _("请填写查询码。")
    if errors:
        raise Refused("invalid", 400, _("请填写受理编号和查询码。"), errors)
    found = acc.open_case(source, number, code)
    if isinstance(found, ratelimit.Limited):
        raise rate_limited(found)
    if found is None:
        raise Refused("not_found", 404, str(NOT_FOUND))
    return found


def _step(source: str, errors: Mapping[str, str], refusal: str, perform: Callable[[], T]) -> T:
    """Charge ``action_ip``, refuse the channel's input ``errors``, then ``perform`` the step;
    the step's ValidationError by field is ``invalid``, any other is ``not_allowed``."""
    if limited := ratelimit.check(("action_ip", source)):
        raise rate_limited(limited)
    if errors:
        raise invalid(dict(errors))
    try:
        return perform()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise invalid({k: " ".join(v) for k, v in exc.message_dict.items()}) from exc
        raise Refused("not_allowed", 409, " ".join(exc.messages) or refusal) from exc


def correct(
    *,
    access: CaseAccess,
    source: str,
    text: str,
    files: list[CheckedFile],
    errors: Mapping[str, str] | None = None,
) -> Application:
    """The applicant's 补正: the corrected request and files; the reply clock restarts."""
    found = dict(errors or {})
    if not text.strip() and "correction" not in found:
        found["correction"] = _("请填写补正后的申请内容。")
    return _step(
        source,
        found,
        _("当前不能提交补正。"),
        lambda: services.submit_correction(access=access, text=text, files=files),
    )


def pay(
    *,
    access: CaseAccess,
    source: str,
    paid_on: dt.date | None,
    receipt_number: str,
    proof: CheckedFile | None,
    errors: Mapping[str, str] | None = None,
) -> ApplicantFile:
    """The applicant's proof of paying the fee (the office confirms it, decision 0502)."""
    found = dict(errors or {})
    if paid_on is None and "paid_on" not in found:
        found["paid_on"] = _("请填写缴费日期。")
    if proof is None and "payment_proof" not in found:
        found["payment_proof"] = _("请上传缴费凭证。")

    def perform() -> ApplicantFile:
        assert paid_on is not None and proof is not None  # noqa: S101 - refused above
        return services.record_payment(
            access=access, paid_on=paid_on, receipt_number=receipt_number, proof=proof
        )

    return _step(source, found, _("当前不能提交缴费凭证。"), perform)


def withdraw(
    *, access: CaseAccess, source: str, reason: str, errors: Mapping[str, str] | None = None
) -> Application:
    """The applicant withdraws the application (from every open status)."""
    return _step(
        source,
        errors or {},
        _("当前不能撤回。"),
        lambda: services.withdraw(access=access, reason=reason[:REASON_MAX]),
    )
