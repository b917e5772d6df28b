"""Guessing access codes: a growing delay per source, and the owner is never locked out.

The probe (finding 3) locked a case for ten minutes, for everyone, after 10–20 wrong codes on
its (sequential) registration number. Now:

* Failures are counted **per source** (client address), across all numbers. The first
  :data:`FREE_FAILURES` cost nothing; after that the source must wait before its next attempt,
  30 s, then 60 s, 120 s … up to an hour (:func:`delay_for`). While it waits its attempts are
  not checked at all (a 429), so the delay cannot be used as an oracle.
* Nothing is counted against a **number**: wrong codes from others never stop the holder of the
  right code, who opens the case from their own source at once. A number that draws
  :data:`NOTIFY_AFTER` failures within an hour is audited once and the applicant is told by
  e-mail (if they gave one) that someone is trying codes for their case.

An access code is 12 characters from 31 (about 59 bits): with a per-source delay and the
per-source hourly limit (``lookup_ip``) no number of sources gets near guessing one.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from gongkai.core.audit import record_audit
from gongkai.core.backoff import Backoff, known_device, remember_device
from gongkai.core.crypto import hash_for_lookup
from gongkai.portal.models import CaseAccess
from gongkai.portal.ratelimit import Limited

#: Applicant account logins: per source across accounts, and per account across sources
#: (the latter not for a known device of the account: the owner is never locked out).
LOGIN_SOURCE = Backoff("applicant-login-source", free=10, base=30, maximum=900)
LOGIN_ACCOUNT = Backoff("applicant-login-account", free=10, base=30, maximum=900)

FREE_FAILURES = 5
BASE_DELAY = 30
MAX_DELAY = 3600
#: How long a source's failures are remembered after the last one.
MEMORY = 24 * 3600
NOTIFY_AFTER = 10
NOTIFY_WINDOW = 3600


def _key(kind: str, value: str) -> str:
    return f"lk:{kind}:{hash_for_lookup(value, purpose='ratelimit')[:32]}"


def delay_for(failures: int) -> int:
    """Seconds a source waits after its ``failures``-th failure (0 for the free ones)."""
    if failures <= FREE_FAILURES:
        return 0
    return min(BASE_DELAY * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY)


def waiting(source: str) -> Limited | None:
    """Limited while ``source`` must still wait after its last failure, else None."""
    state = cache.get(_key("src", source))
    if not state:
        return None
    left = int(state["until"] - time.time())
    return Limited("lookup_delay", left) if left > 0 else None


def record_failure(source: str, number: str) -> int:
    """Count a wrong code from ``source`` for ``number``; return the delay now imposed."""
    key = _key("src", source)
    state = cache.get(key) or {"failures": 0, "until": 0}
    state["failures"] += 1
    delay = delay_for(state["failures"])
    state["until"] = time.time() + delay
    cache.set(key, state, timeout=MEMORY)
    if number:
        _count_for_number(number)
    return delay


def _count_for_number(number: str) -> None:
    key = _key("num", f"{number}:{int(time.time()) // NOTIFY_WINDOW}")
    if cache.add(key, 1, timeout=NOTIFY_WINDOW + 5):
        count = 1
    else:
        try:
            count = int(cache.incr(key))
        except ValueError:
            return
    if count == NOTIFY_AFTER:
        notify_guessing(number)


def notify_guessing(number: str) -> None:
    """Audit the guessing once and tell the applicant(s) of ``number`` by e-mail."""
    for access in CaseAccess.objects.select_related("application").filter(
        application__registration_number=number
    )[:10]:
        app = access.application
        record_audit(
            action="portal.lookup_guessing",
            target=app,
            agency=app.agency,
            after={"failures": NOTIFY_AFTER, "window_seconds": NOTIFY_WINDOW},
        )
        if app.email:
            send_mail(
                _("政府信息公开申请：有人多次输错查询码"),
                _(
                    "您的政府信息公开申请（受理编号 %(number)s）在一小时内被多次输入错误的查询码。"
                    "您本人使用正确的查询码仍可随时查看，不受影响；如非本人操作，请妥善保管受理回执。"
                )
                % {"number": number},
                None,
                [app.email],
                fail_silently=True,
            )


def login_wait(request: Any, source: str, login: str) -> Limited | None:
    """Limited while this source, or (from an unknown device) this account, must wait."""
    wait = LOGIN_SOURCE.waiting(source)
    if not known_device(request, "applicant", login):
        wait = max(wait, LOGIN_ACCOUNT.waiting(login))
    return Limited("login_delay", wait) if wait else None


def login_failed(request: Any, source: str, login: str) -> None:
    """Count a wrong password for the source and (from an unknown device) for the account."""
    LOGIN_SOURCE.failure(source)
    if not known_device(request, "applicant", login):
        LOGIN_ACCOUNT.failure(login)


def login_succeeded(request: Any, response: Any, login: str) -> None:
    """The owner proved the password: forget the account's failures, remember this device."""
    LOGIN_ACCOUNT.clear(login)
    remember_device(request, response, "applicant", login)
