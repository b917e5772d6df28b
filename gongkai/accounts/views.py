"""Office entry: login, logout and the home page (agencies, roles, work queue)."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.scoping import is_platform_admin
from gongkai.accounts.selectors import home_summary
from gongkai.accounts.workspaces import SETTINGS, menu_for, workspace_required
from gongkai.applications.selectors import home_queues as application_queues


class LoginView(auth_views.LoginView):
    """Staff login (failed attempts are throttled by django-axes)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@workspace_required("home")
def home(request: HttpRequest) -> HttpResponse:
    """The office home: the person's agencies and roles and their work queues."""
    context = home_summary(request.user)
    context["is_platform_admin"] = is_platform_admin(request.user)
    context["queues"] = application_queues(request.user)
    return render(request, "accounts/home.html", context)


@workspace_required("settings")
def settings_index(request: HttpRequest) -> HttpResponse:
    """系统设置: the settings pages that open for this person."""
    entries = menu_for(request.user, SETTINGS)
    return render(request, "accounts/settings.html", {"entries": entries})
