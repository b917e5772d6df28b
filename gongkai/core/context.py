"""Per-request context (who and from where) for the audit trail, without passing requests around."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    """The actor and client address of the request being served."""

    user: Any = None
    ip: str = ""
    public_read: bool = False  # an anonymous GET/HEAD of a public page (may read a replica)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "gongkai_request_context", default=None
)


def current() -> RequestContext | None:
    """Return the context of the request being served, if any."""
    return _current.get()


def set_current(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    """Set the request context; return a token to restore the previous one."""
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    """Restore the context that was current before ``set_current``."""
    _current.reset(token)
