"""Office security pages: set up and pass the second factor; change an expired password."""

from __future__ import annotations

from typing import cast

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from gongkai.accounts.models import User
from gongkai.accounts.security import (
    has_confirmed_device,
    totp_confirm,
    totp_device_for_setup,
    verify_second_factor,
)
from gongkai.core.audit import record_audit


class TokenForm(forms.Form):
    """One code from the authenticator app (or a recovery code)."""

    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/office/"


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the key and QR code, confirm with a first code."""
    user = cast(User, request.user)  # @login_required
    if has_confirmed_device(user):
        return redirect("accounts:two_factor_verify")
    device = totp_device_for_setup(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", _("验证码不正确，请核对手机上的时间后重试。"))
        else:
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("身份验证器二维码")
    )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next(request)},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor after the password."""
    user = cast(User, request.user)  # @login_required
    if not has_confirmed_device(user):
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is None:
            record_audit(action="auth.2fa_failed", actor=user, target=user)
            form.add_error("token", _("验证码不正确或已使用。"))
        else:
            otp_login(request, device)
            record_audit(action="auth.2fa_passed", actor=user, target=user)
            return redirect(_next(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password (required when it has expired)."""
    form = PasswordChangeForm(cast(User, request.user), request.POST or None)  # @login_required
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        record_audit(action="auth.password_changed", actor=user, target=user)
        messages.success(request, _("密码已修改。"))
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})
