"""One submission path for the application form and the JSON API (issue 14, decision 1408).

Both channels go through the same steps here, so they cannot drift apart again:

* **limits** — ``count`` charges ``submit_ip`` for the client address and ``submit_identity``
  for the person (``identity_key``: the normalised 居民身份证 number or credit code), so one
  person has ONE hourly limit whichever channel they use; every attempt counts, valid or not.
* **idempotency** — a submission is made once per key: the form's signed one-time token or the
  API's ``Idempotency-Key`` bound to the body and the credential (``bind_api_key``, decision
  1802). ``earlier`` finds the first submission of a key; the same key with another body is
  refused with ``idempotency_key_reused``.
* **errors** — every refusal is a ``Refused`` with a machine code, a status, a message in the
  active language and field messages keyed by the service's field names; the portal shows them
  on the form, the API sends them as ``{"code", "message", "errors"}``.

The views only translate their input (form fields or JSON) and these outcomes.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.agencies.credit_code import normalise_credit_code
from gongkai.agencies.models import Agency
from gongkai.applications.identity import normalise_id_number
from gongkai.applications.services import ApplicantData
from gongkai.portal import ratelimit, services
from gongkai.portal.models import ApplicantAccount, SubmissionToken
from gongkai.portal.services import Submitted
from gongkai.portal.uploads import CheckedFile

#: The prefix of API submission tokens (a form token starts with "form:").
API_PREFIX = "api:"
#: How long the API keeps the first answer (with the access code) for retries.
REPLAY_SECONDS = 3600


@dataclass
class Refused(Exception):
    """A submission that is not taken: the machine code, the HTTP status, the messages."""

    code: str
    status: int
    message: str
    errors: dict[str, str] = field(default_factory=dict)
    retry_after: int = 0

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def invalid(errors: dict[str, str]) -> Refused:
    """The refusal of input with errors by field."""
    return Refused("invalid", 400, _("提交的内容有误，请按各字段的提示修改。"), errors)


def rate_limited(limited: ratelimit.Limited) -> Refused:
    """The refusal of a request over one of its limits (429 with the seconds to wait)."""
    return Refused("rate_limited", 429, ratelimit.message(limited), {}, limited.retry_after)


# --- limits ----------------------------------------------------------------------------------


def identity_key(data: Mapping[str, Any]) -> str:
    """The person behind a submission for the per-identity limit ("" when none is given).

    The same for the form's POST and the API's JSON body: the normalised ID number, else the
    normalised credit code; values that are not strings (a broken JSON body) are ignored.
    """
    number = data.get("id_number")
    code = data.get("credit_code")
    number = normalise_id_number(number[:40]) if isinstance(number, str) else ""
    code = normalise_credit_code(code[:40])[:18] if isinstance(code, str) else ""
    return f"id:{number}" if number else (f"org:{code}" if code else "")


def count(*, source: str, data: Mapping[str, Any]) -> None:
    """Count one submission attempt from ``source`` (IP) for the person in ``data``.

    Raises ``Refused`` (``rate_limited``, 429) when either limit is exceeded.
    """
    limited = ratelimit.check(("submit_ip", source), ("submit_identity", identity_key(data)))
    if limited:
        raise rate_limited(limited)


# --- idempotency -----------------------------------------------------------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]


def bind_api_key(key: str, body: Mapping[str, Any], credential: str) -> str:
    """The submission token for the API ``key`` sent with ``body`` under ``credential``.

    A retry is recognised only when all three match (decision 1802): canonical JSON (sorted
    keys) makes key order irrelevant; the credential is the ``Authorization`` header of an
    integration gateway, if any.
    """
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{API_PREFIX}{_digest(key)}:{_digest(canonical + '|' + credential)}"


def _taken_by_another(token: str) -> bool:
    if not token.startswith(API_PREFIX):
        return False  # a form token is signed and one-time: it is never bound to a body
    prefix = token.rsplit(":", 1)[0] + ":"
    return SubmissionToken.objects.filter(key__startswith=prefix).exclude(key=token).exists()


def earlier(token: str) -> Submitted | None:
    """The submission already made with ``token``, or None when the token is new ("" too).

    Raises ``Refused`` (``idempotency_key_reused``, 409) when the key was used with another
    body or credential — with no data of the first submission.
    """
    if not token:
        return None
    found = services.submitted_with(token)
    if found is None and _taken_by_another(token):
        raise Refused(
            "idempotency_key_reused",
            409,
            _("该 Idempotency-Key 已用于另一份申请，请为新的申请使用新的键。"),
        )
    return found


def _replay_cache_key(token: str) -> str:
    return f"api-replay:{token}"


def replay(token: str) -> Any:
    """The first answer kept for retries of ``token`` (with the access code), or None."""
    return cache.get(_replay_cache_key(token)) if token else None


def keep_for_replay(token: str, answer: Any) -> None:
    """Keep the first answer of ``token`` for its retries (one hour)."""
    if token:
        cache.set(_replay_cache_key(token), answer, timeout=REPLAY_SECONDS)


# --- the submission --------------------------------------------------------------------------


def submit(
    *,
    token: str,
    agency: Agency,
    applicant: ApplicantData,
    description: str,
    requested_form: str,
    requested_delivery: str,
    files: list[tuple[str, CheckedFile]],
    account: ApplicantAccount | None = None,
) -> Submitted:
    """Submit the application once per ``token`` (a later call returns the first case; without
    a token, once).

    Raises ``Refused`` (``invalid``) with the field messages when the rules refuse the input
    (keyed by the service's names: ``agency``, ``applicant_type``, ``id_number`` …).
    """
    try:
        return services.submit_online(
            key=token or f"once:{secrets.token_hex(16)}",
            agency=agency,
            applicant=applicant,
            description=description,
            requested_form=requested_form,
            requested_delivery=requested_delivery,
            files=files,
            account=account,
        )
    except ValidationError as exc:
        raise invalid({k: " ".join(v) for k, v in exc.message_dict.items()}) from exc
