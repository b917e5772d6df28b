"""Who may do what: one table of actions to roles, and view decorators built on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from gongkai.accounts.choices import Role
from gongkai.accounts.scoping import is_platform_admin, memberships_of, roles_in

#: action -> roles that may perform it on an agency's records.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": frozenset(Role.values),
    "agency.change": frozenset({Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
    "agency.create_child": frozenset({Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
    "agency.move": frozenset({Role.PLATFORM_ADMIN}),
    "agency.deactivate": frozenset({Role.PLATFORM_ADMIN}),
    # 三员分立: roles and accounts are the security administrator's (and, for their own
    # agency, the agency administrator's) work — never the platform administrator's.
    "agency.manage_members": frozenset({Role.AGENCY_ADMIN, Role.SECURITY_ADMIN}),
    "audit.view": frozenset({Role.AUDITOR}),
    # The disclosure catalogue (gongkai/catalog/services.py checks these again).
    "catalog.draft": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "catalog.review": frozenset({Role.REVIEWER}),
    "catalog.approve": frozenset({Role.HEAD}),
    "catalog.withdraw": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "catalog.revise": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "catalog.manage": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    # Disclosure applications (gongkai/applications/transitions.py names the action per step).
    "application.register": frozenset({Role.HANDLER}),
    "application.assign": frozenset({Role.HANDLER, Role.HEAD}),
    "application.handle": frozenset({Role.HANDLER}),
    "application.review": frozenset({Role.REVIEWER}),
    "application.approve": frozenset({Role.HEAD}),
    "application.approve_extension": frozenset({Role.HEAD}),
    "application.set_longer_deadline": frozenset({Role.HEAD}),  # 第三十五条 合理期限
    "application.correct": frozenset({Role.HANDLER, Role.HEAD}),
    "application.record_appeal": frozenset({Role.HANDLER, Role.HEAD}),
    # Annual reports (gongkai/reports/services.py checks these again).
    "report.draft": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "report.review": frozenset({Role.REVIEWER}),
    "report.approve": frozenset({Role.HEAD}),
    "report.correct": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "report.import": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "report.season": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN}),
    # Letters (告知书/答复书), their templates and case archives (gongkai/letters).
    "letter.issue": frozenset({Role.HANDLER, Role.HEAD}),
    "letter.archive": frozenset({Role.HANDLER, Role.HEAD}),
    "letter.template_change": frozenset({Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
    # Legacy ledger (台账) import/export and the registration page's repeat check (gongkai/ledger).
    "ledger.import": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN}),
    "ledger.export": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN}),
    "application.repeat_check": frozenset(
        {Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.AGENCY_ADMIN}
    ),
}


def can(user: Any, action: str, agency: Any) -> bool:
    """True if ``user`` may perform ``action`` on ``agency``'s records."""
    allowed = ACTION_ROLES[action]
    return bool(roles_in(user, agency) & allowed)


def is_staff_member(user: Any) -> bool:
    """True for a logged-in person holding at least one role."""
    return bool(memberships_of(user))


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a logged-in staff member; send anonymous users to the login page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def require_platform_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Allow only platform admins; everyone else gets 404 (anonymous users: the login page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
