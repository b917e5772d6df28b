"""Keep a reviewed batch for its reviewer for an hour (rows, and each file for its detail view).

A batch is private to the staff member who uploaded it: its cache key carries their user id, so
another person's token is indistinguishable from one that never existed.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache

from .batch import BatchRow

TTL = 3600


def _key(user_id: int, token: str, part: str = "rows") -> str:
    return f"reports:batch:{user_id}:{token}:{part}"


def save(user_id: int, rows: list[BatchRow], files: list[tuple[str, bytes]]) -> str:
    """Store the rows and the files of a batch; return its token."""
    token = secrets.token_hex(16)
    names = {name: i for i, (name, _) in enumerate(files)}
    cache.set(_key(user_id, token), [(r, names.get(r.name)) for r in rows], TTL)
    for i, (_, data) in enumerate(files):
        cache.set(_key(user_id, token, f"file:{i}"), data, TTL)
    return token


def rows(user_id: int, token: str) -> list[tuple[BatchRow, int | None]] | None:
    """The rows of a batch with the index of each file, or None (expired or not this user's)."""
    value: Any = cache.get(_key(user_id, token))
    return value


def file(user_id: int, token: str, index: int) -> bytes | None:
    """One file of a batch, or None."""
    value: Any = cache.get(_key(user_id, token, f"file:{index}"))
    return value


def filtered(
    items: list[tuple[BatchRow, int | None]], agency: str = "", problems_only: bool = False
) -> list[tuple[BatchRow, int | None]]:
    """Rows whose agency (or file name) contains ``agency``; with problems only if asked."""
    out = []
    for row, index in items:
        if agency and agency not in (row.agency or "") and agency not in row.name:
            continue
        if problems_only and not row.problems:
            continue
        out.append((row, index))
    return out
