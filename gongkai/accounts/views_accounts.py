"""The security administrator's pages: staff accounts (create, disable, unlock, reset 2FA)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.security import password_reset_by_admin, two_factor_reset
from gongkai.accounts.selectors import access_account, accounts_visible_to
from gongkai.accounts.services import user_create, user_set_active, user_unlock
from gongkai.accounts.workspaces import workspace_required


class NewAccountForm(forms.Form):
    """A new staff account with its first password."""

    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)
    password = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        if User.objects.filter(username=name).exists():
            raise ValidationError(_("该用户名已被使用。"))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


@workspace_required("accounts")
def account_list(request: HttpRequest) -> HttpResponse:
    """Staff accounts in the security administrator's scope; create a new one."""
    accounts = accounts_visible_to(request.user).order_by("username")
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = user_create(
            by=request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("已创建账号，请到机关的“人员与角色”页面授予角色。"))
        return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "accounts/account_list.html", {"accounts": accounts, "form": form})


@staff_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its roles and status, with the security actions."""
    account = access_account(user=request.user, pk=pk)
    memberships = account.memberships.select_related("agency")
    return render(
        request, "accounts/account_detail.html", {"account": account, "memberships": memberships}
    )


@staff_required
@require_POST
def account_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Disable, enable, unlock, reset the second factor or the password of an account."""
    account = access_account(user=request.user, pk=pk)
    if account == request.user:
        messages.error(request, _("不能对自己的账号执行此操作。"))
    elif action == "disable":
        user_set_active(by=request.user, user=account, active=False)
        messages.success(request, _("已停用账号。"))
    elif action == "enable":
        user_set_active(by=request.user, user=account, active=True)
        messages.success(request, _("已启用账号。"))
    elif action == "unlock":
        user_unlock(by=request.user, user=account)
        messages.success(request, _("已解除锁定。"))
    elif action == "reset-2fa":
        two_factor_reset(by=request.user, user=account)
        messages.success(request, _("已重置双因素登录，该人员下次登录时重新设置。"))
    elif action == "reset-password":  # shown once on this page, never stored or redirected
        temporary = password_reset_by_admin(by=request.user, user=account)
        context = {"account": account, "memberships": account.memberships.all()}
        return render(request, "accounts/account_detail.html", {**context, "temporary": temporary})
    else:
        raise Http404
    return redirect("accounts:account_detail", pk=account.pk)
