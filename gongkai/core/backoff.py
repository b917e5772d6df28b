"""Growing delays after failures, and the "known device" that lets an owner past them.

A :class:`Backoff` counts failures per key (a source address, an account) in the shared cache:
the first ``free`` cost nothing, then each failure makes the key wait ``base`` seconds,
doubling up to ``maximum``. Nothing is ever locked for good, and a key's failures are forgotten
``memory`` seconds after the last one.

A browser that has logged in to an account before carries a signed *known-device* cookie
for it (:func:`remember_device`); the per-account delay does not apply to it, so guesses from
elsewhere never lock the owner out of their own account (OWASP's "device cookies").
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.cache import cache

from gongkai.core.crypto import hash_for_lookup

DEVICE_COOKIE = "gk_device"
DEVICE_MAX_AGE = 180 * 24 * 3600


@dataclass(frozen=True)
class Backoff:
    """Failures of one kind, counted per key, with a growing delay."""

    name: str
    free: int = 5
    base: int = 30
    maximum: int = 900
    memory: int = 24 * 3600

    def _key(self, key: str) -> str:
        return f"bo:{self.name}:{hash_for_lookup(key, purpose='ratelimit')[:32]}"

    def delay_for(self, failures: int) -> int:
        """Seconds to wait after the ``failures``-th failure (0 for the free ones)."""
        if failures <= self.free:
            return 0
        return min(self.base * 2 ** (failures - self.free - 1), self.maximum)

    def waiting(self, key: str) -> int:
        """Seconds ``key`` must still wait (0 when it may try now)."""
        if not key:
            return 0
        state = cache.get(self._key(key))
        if not state:
            return 0
        return max(0, math.ceil(state["until"] - time.time()))

    def failure(self, key: str) -> int:
        """Count a failure for ``key``; return the delay it now has to wait."""
        if not key:
            return 0
        cache_key = self._key(key)
        state = cache.get(cache_key) or {"failures": 0, "until": 0}
        state["failures"] += 1
        delay = self.delay_for(state["failures"])
        state["until"] = time.time() + delay
        cache.set(cache_key, state, timeout=self.memory)
        return delay

    def clear(self, key: str) -> None:
        """Forget ``key``'s failures (after its owner proved themselves)."""
        if key:
            cache.delete(self._key(key))


def _device_salt(purpose: str) -> str:
    return f"gongkai.backoff.device.{purpose}"


def known_device(request: Any, purpose: str, account_key: str) -> bool:
    """True when this browser has logged in to ``account_key`` before (signed cookie)."""
    raw = request.COOKIES.get(f"{DEVICE_COOKIE}_{purpose}", "")
    if not raw:
        return False
    try:
        keys = signing.loads(raw, salt=_device_salt(purpose), max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return hash_for_lookup(account_key, purpose="device")[:24] in keys


def remember_device(request: Any, response: Any, purpose: str, account_key: str) -> None:
    """Mark this browser as a known device of ``account_key`` (kept for 180 days)."""
    name = f"{DEVICE_COOKIE}_{purpose}"
    try:
        keys = signing.loads(
            request.COOKIES.get(name, ""), salt=_device_salt(purpose), max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        keys = []
    mine = hash_for_lookup(account_key, purpose="device")[:24]
    keys = [mine, *[k for k in keys if k != mine]][:5]
    response.set_cookie(
        name,
        signing.dumps(keys, salt=_device_salt(purpose)),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )
