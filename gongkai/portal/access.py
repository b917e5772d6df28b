"""The one-time access code and the applicant's access session.

The code is shown once (receipt page, PDF receipt) and stored only as a salted SHA-256 hash. It
carries about 59 bits of randomness (12 characters of a 31-letter alphabet), so a fast hash is
enough; lookups are rate-limited. A wrong registration number and a wrong code get the same
answer, and the comparison takes the same work either way (``hmac.compare_digest`` against a
dummy hash when the number does not exist).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.http import HttpRequest

from gongkai.portal import lockout
from gongkai.portal.models import ApplicantAccount, CaseAccess
from gongkai.portal.ratelimit import Limited

#: Letters and digits without look-alikes (0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
SESSION_KEY = "portal_cases"
ACCOUNT_SESSION_KEY = "portal_account"
RECEIPT_SESSION_KEY = "portal_receipts"
_DUMMY_SALT = "0" * 32


def new_code() -> str:
    """A fresh access code, grouped for reading: ``ABCD-EFGH-JKMN``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper-case, drop separators and spaces, fold full-width characters."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in code or "")
    return "".join(c for c in folded.upper() if c.isalnum())[:64]


def hash_code(code: str, salt: str) -> str:
    """Salted SHA-256 of the normalised code."""
    return hashlib.sha256(f"{salt}:{normalise_code(code)}".encode()).hexdigest()


def make_code_hash(code: str) -> tuple[str, str]:
    """Return (salt, hash) to store for ``code``."""
    salt = secrets.token_hex(16)
    return salt, hash_code(code, salt)


def normalise_number(number: str) -> str:
    """A registration number as typed: trimmed, full-width folded, at most 40 characters."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in number or "")
    return folded.strip().replace(" ", "")[:40]


def find_case(number: str, code: str) -> CaseAccess | None:
    """Return the case access for (registration number, access code), or None.

    Registration numbers repeat across agencies, so every online case with this number is
    checked; the answer and the work done do not reveal whether the number exists.
    """
    candidates = list(
        CaseAccess.objects.select_related("application").filter(
            application__registration_number=normalise_number(number)
        )[:50]
    )
    found = None
    if not candidates:
        hmac.compare_digest(hash_code(code, _DUMMY_SALT), _DUMMY_SALT * 2)
    for access in candidates:
        if hmac.compare_digest(hash_code(code, access.code_salt), access.code_hash):
            found = access
    return found


def open_case(source: str, number: str, code: str) -> CaseAccess | Limited | None:
    """The case for (number, code) asked from ``source``: Limited while the source must wait
    after earlier wrong codes (``lockout``), None for a wrong code (counted for the source)."""
    if (wait := lockout.waiting(source)) is not None:
        return wait
    found = find_case(number, code)
    if found is None:
        lockout.record_failure(source, normalise_number(number))
    return found


# --- the browser session ---------------------------------------------------------------------


def grant(request: HttpRequest, access: CaseAccess) -> None:
    """Remember in the session that this browser proved the code of ``access``."""
    uids = list(request.session.get(SESSION_KEY, []))
    uid = str(access.uid)
    if uid not in uids:
        uids = [*uids[-19:], uid]
    request.session[SESSION_KEY] = uids
    request.session.cycle_key()


def current_account(request: HttpRequest) -> ApplicantAccount | None:
    """The applicant account logged in on this session, if any."""
    pk = request.session.get(ACCOUNT_SESSION_KEY)
    if not pk:
        return None
    return ApplicantAccount.objects.filter(pk=pk).first()


def session_access(request: HttpRequest, uid: Any) -> CaseAccess | None:
    """Return the case access named ``uid`` if this session may open it, else None.

    Allowed: a session that proved the code, or the logged-in account the case belongs to.
    Anything else (unknown uid, someone else's case) answers None alike.
    """
    uid_text = str(uid)
    access = (
        CaseAccess.objects.select_related("application", "application__agency")
        .filter(uid=uid_text)
        .first()
        if _is_uuid(uid_text)
        else None
    )
    if access is None:
        return None
    if uid_text in request.session.get(SESSION_KEY, []):
        return access
    account_id = request.session.get(ACCOUNT_SESSION_KEY)
    if account_id and access.account_id == account_id:
        return access
    return None


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def remember_receipt(request: HttpRequest, access: CaseAccess, code: str) -> None:
    """Keep the plain code in this session only, to show it on the receipt page and PDF."""
    receipts = dict(request.session.get(RECEIPT_SESSION_KEY, {}))
    receipts[str(access.uid)] = code
    request.session[RECEIPT_SESSION_KEY] = receipts


def receipt_code(request: HttpRequest, access: CaseAccess) -> str:
    """The plain code kept for the receipt, or "" once forgotten."""
    return str(request.session.get(RECEIPT_SESSION_KEY, {}).get(str(access.uid), ""))


def forget_receipt(request: HttpRequest, access: CaseAccess) -> None:
    """Drop the plain code from the session (the applicant has noted it)."""
    receipts = dict(request.session.get(RECEIPT_SESSION_KEY, {}))
    receipts.pop(str(access.uid), None)
    request.session[RECEIPT_SESSION_KEY] = receipts
