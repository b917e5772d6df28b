"""Fixed-window rate limits in Django's cache (no extra library): per IP and per identity.

Limits are "name -> (count, seconds)" in ``settings.PORTAL_RATE_LIMITS`` (defaults below). The
cache must be shared by all server processes in production (e.g. the database or Redis cache);
Django's local-memory cache limits per process only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

from gongkai.core.crypto import hash_for_lookup

#: name -> (requests allowed, window in seconds).
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "submit_ip": (20, 3600),  # applications submitted from one IP address per hour
    "submit_identity": (10, 3600),  # applications by one ID number / credit code per hour
    "lookup_ip": (30, 600),  # attempts to open a case (number + code) per IP in 10 minutes
    # Wrong codes: a growing delay per source, nothing per number (portal/lockout.py).
    "action_ip": (30, 600),  # corrections, withdrawals, payment proofs per IP
    "login_ip": (20, 600),  # applicant account logins per IP
    # Per account: a growing delay that a known device skips (portal/lockout.py), no hard lock.
    "signup_ip": (10, 3600),  # accounts created per IP
    "report_check_ip": (20, 600),  # 年报体检 checks (page or API) per IP in 10 minutes
    "gazette_verify_ip": (30, 600),  # 公报 download checks per IP in 10 minutes
    "comment_ip": (10, 3600),  # 征求意见 comments and mailbox messages per IP per hour
    "comment_contact": (5, 3600),  # comments and messages per contact (phone/e-mail) per hour
}


@dataclass(frozen=True)
class Limited:
    """A limit that was hit: its name and how many seconds until it resets."""

    name: str
    retry_after: int


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "PORTAL_RATE_LIMITS", {})}


def client_ip(request: HttpRequest) -> str:
    """The client address (REMOTE_ADDR; the reverse proxy must set it, see the nginx config)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def hit(name: str, key: str) -> Limited | None:
    """Count one request under limit ``name`` for ``key``; return Limited if over the limit."""
    count, window = _limits()[name]
    now = int(time.time())
    bucket = now // window
    # Keyed: the cache may be a database table, and keys include ID numbers.
    digest = hash_for_lookup(key, purpose="ratelimit")[:32]
    cache_key = f"rl:{name}:{bucket}:{digest}"
    added = cache.add(cache_key, 1, timeout=window + 5)
    value = 1 if added else _incr(cache_key, window)
    if value > count:
        return Limited(name, window - now % window)
    return None


def _incr(cache_key: str, window: int) -> int:
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window + 5)
        return 1


def check(*pairs: tuple[str, str]) -> Limited | None:
    """Count the request under each (limit name, key); return the first limit exceeded."""
    result = None
    for name, key in pairs:
        if not key:
            continue
        limited = hit(name, key)
        if limited and result is None:
            result = limited
    return result


def message(limited: Limited) -> str:
    """The message for a rate-limited request, in the active language (Chinese by default)."""
    minutes = max(1, (limited.retry_after + 59) // 60)
    return ngettext(
        "操作过于频繁，请%(minutes)s分钟后再试。如需帮助，请联系受理机关。",
        "操作过于频繁，请%(minutes)s分钟后再试。如需帮助，请联系受理机关。",
        minutes,
    ) % {"minutes": minutes}
