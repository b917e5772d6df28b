"""Audit every login, logout and failed login."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongkai.core.audit import record_audit

if TYPE_CHECKING:
    from gongkai.accounts.models import User


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_audit(action="auth.login", actor=user, target=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_audit(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    record_audit(
        action="auth.login_failed",
        target_repr=str(credentials.get("username", ""))[:150],
        after={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: Any = None, username: str = "", ip_address: str = "", **kwargs: Any
) -> None:
    record_audit(
        action="auth.locked_out",
        target_repr=str(username)[:150],
        after={"username": str(username)[:150], "ip": ip_address},
    )
