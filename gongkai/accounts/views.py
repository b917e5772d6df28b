"""Office entry: login, logout and the home page (agencies, roles, work queue)."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongkai.accounts.scoping import is_platform_admin
from gongkai.accounts.selectors import home_summary
from gongkai.accounts.workspaces import SETTINGS, menu_for, queues_for, workspace_required
from gongkai.core.backoff import Backoff, known_device, remember_device

#: Failed staff logins per account, from all sources (django-axes locks username + address).
STAFF_ACCOUNT_FAILURES = Backoff("staff-login-account", free=10, base=30, maximum=900)


class LoginView(auth_views.LoginView):
    """Staff login. Failures are throttled per username and address (django-axes, a lock) and
    per account across all addresses (a growing delay that a known device of the account does
    not wait for, so guesses from elsewhere never lock the owner out)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def _account(self) -> str:
        return str(self.request.POST.get("username", ""))[:150].strip().lower()

    def _known(self) -> bool:
        return known_device(self.request, "staff", self._account())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = 0 if self._known() else STAFF_ACCOUNT_FAILURES.waiting(self._account())
        if wait:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("该账号登录失败次数过多，请%(s)s秒后再试。") % {"s": wait})
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if not self._known():
            STAFF_ACCOUNT_FAILURES.failure(self._account())
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        STAFF_ACCOUNT_FAILURES.clear(self._account())
        remember_device(self.request, response, "staff", self._account())
        return response


@workspace_required("home")
def home(request: HttpRequest) -> HttpResponse:
    """The office home: the person's agencies and roles and their work queues."""
    context = home_summary(request.user)
    context["is_platform_admin"] = is_platform_admin(request.user)
    context["workspace_queues"] = queues_for(request.user)
    return render(request, "accounts/home.html", context)


@workspace_required("settings")
def settings_index(request: HttpRequest) -> HttpResponse:
    """系统设置: the settings pages that open for this person."""
    entries = menu_for(request.user, SETTINGS)
    return render(request, "accounts/settings.html", {"entries": entries})
