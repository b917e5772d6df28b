"""Office session rules: idle timeout, second factor, password age (enforced on every request)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from gongkai.accounts.security import (
    has_confirmed_device,
    idle_timeout_seconds,
    password_expired,
    two_factor_required,
)
from gongkai.core.audit import record_audit

EXEMPT_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
}
#: Reachable with an expired password — but only after the second factor: changing the
#: password is security-sensitive, so a session with the password alone cannot do it.
PASSWORD_NAMES = {"accounts:password_change"}


class StaffSecurityMiddleware:
    """End idle sessions; require the second factor and a current password for the office."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path.startswith("/office/"):
            return self.get_response(request)
        now = time.time()
        last = request.session.get("last_activity")
        if last is not None and now - float(last) > idle_timeout_seconds():
            record_audit(action="auth.idle_logout", actor=user, target=user)
            logout(request)
            messages.info(request, _("长时间未操作，已自动退出，请重新登录。"))
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        request.session["last_activity"] = now
        try:
            match = resolve(request.path_info)
            name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        except Resolver404:
            name = None  # unknown paths fall through to the 404 handler
        if name in EXEMPT_NAMES:
            return self.get_response(request)
        if two_factor_required() and not user.is_verified():
            target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
            return redirect(f"{reverse('accounts:' + target)}?next={request.path}")
        if password_expired(user) and name not in PASSWORD_NAMES:
            messages.warning(request, _("密码已过期，请先修改密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)
