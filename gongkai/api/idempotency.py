"""Idempotency-Key bound to the client: the key, a hash of the body and the credential.

A retry is recognised only when all three match: the same ``Idempotency-Key``, the same body
(canonical JSON, so key order does not matter) and the same credential (the ``Authorization``
header of an integration gateway, if it sends one). The stored submission token and the replay
cache are keyed by this fingerprint, so another client that learns a key gets nothing of the
first client's answer: with a different body it is told the key is taken (409); the replay
cache is read only after the body has passed validation (decision 1802).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest

from gongkai.portal.models import SubmissionToken

PREFIX = "api:"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]


def token_key(request: HttpRequest, key: str, body: dict[str, Any]) -> str:
    """The submission token for ``key`` sent with ``body`` by this request's client."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    credential = request.headers.get("Authorization", "")
    return f"{PREFIX}{_digest(key)}:{_digest(canonical + '|' + credential)}"


def taken_by_another(token: str) -> bool:
    """True when the key of ``token`` was already used with another body or credential."""
    prefix = token.rsplit(":", 1)[0] + ":"
    return SubmissionToken.objects.filter(key__startswith=prefix).exclude(key=token).exists()


def replay_cache_key(token: str) -> str:
    """Where the first answer (with the access code) is kept for retries of this request."""
    return f"api-replay:{token}"
