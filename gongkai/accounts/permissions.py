"""Who may do what, in one module: the table of actions to roles and every check built on it.

* ``ACTION_ROLES`` — action → the roles that may perform it on an agency's records.
* ``require(actor, action, agency)`` — the one role check of every write: returns the role the
  actor acts in, raises PermissionDenied otherwise. A :class:`~gongkai.core.actors.SystemActor`
  (``SYSTEM``, the applicant online) holds no role and passes only where the caller names it in
  ``allow``; a workflow step names them in ``Transition.actors``.
* ``can(...)`` — the same question as a boolean (for pages and selectors).
* ``agencies_for(user, action)`` — the active agencies where ``user`` may perform ``action``.
* ``access_object(queryset, user=, pk=, action=)`` — one record for an office view: 404 when it
  is missing or outside the user's scope (alike, so ids leak nothing), 403 when it is visible
  but the user's roles do not allow ``action`` (decision 0004, 0010); ``one_or_404(queryset,
  pk)`` is its first half, for a queryset scoped otherwise (e.g. the agencies one supervises).
* ``staff_required`` / ``require_platform_admin`` — view decorators.

Lists start from ``Model.objects.visible_to(user)`` (``scoping.AgencyScopedQuerySet``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from gongkai.accounts.choices import WORK_ROLES, Role
from gongkai.accounts.scoping import is_platform_admin, memberships_of, roles_in
from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor, SystemActor

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency
    from gongkai.agencies.querysets import AgencyQuerySet

M = TypeVar("M", bound=models.Model)

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
    # Office workspaces that only open (gongkai/accounts/workspaces.py): who sees each one.
    "account.manage": frozenset({Role.SECURITY_ADMIN}),
    "calendar.manage": frozenset({Role.PLATFORM_ADMIN}),
    "search.synonyms": frozenset({Role.PLATFORM_ADMIN}),
    "application.workspace": frozenset(WORK_ROLES),
    "catalog.workspace": frozenset(WORK_ROLES),
    "report.workspace": frozenset(WORK_ROLES | {Role.PLATFORM_ADMIN}),
    "gazette.workspace": frozenset(WORK_ROLES),
    "engagement.workspace": frozenset(WORK_ROLES),
    # The disclosure catalogue (gongkai/catalog/services.py checks these again).
    "catalog.draft": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "catalog.review": frozenset({Role.REVIEWER}),
    "catalog.approve": frozenset({Role.HEAD}),
    "catalog.withdraw": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "catalog.revise": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "catalog.manage": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    # Disclosure applications (gongkai/applications/workflow.py names the action per step).
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
    # docs/report-roles.md: the 经办人 drafts, the 审核人 reviews, the 负责人 approves and
    # publishes, the 机关管理员 may do all of it; opening, recomputing and chasing the season
    # also belong to the 负责人 and, across the tree, the 平台管理员 (decision 1501).
    "report.start": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
    "report.compute": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
    "report.draft": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "report.review": frozenset({Role.REVIEWER, Role.AGENCY_ADMIN}),
    "report.approve": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "report.correct": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "report.import": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN}),
    "report.season": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}),
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
    # The government gazette (gongkai/gazette) and public engagement (gongkai/engagement).
    "gazette.compile": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "gazette.publish": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    "engagement.manage": frozenset({Role.HANDLER, Role.AGENCY_ADMIN}),
    "engagement.moderate": frozenset({Role.HANDLER, Role.REVIEWER, Role.AGENCY_ADMIN}),
    "engagement.publish": frozenset({Role.HEAD, Role.AGENCY_ADMIN}),
    # 监督考核 (gongkai/supervision): "issue" is held in a 政务公开办 (a disclosure office) and
    # reaches the units of its government's subtree (supervision/scope.py); "answer" is the
    # unit's own.
    "supervision.issue": frozenset({Role.HANDLER, Role.HEAD}),
    "supervision.plan": frozenset({Role.HANDLER, Role.HEAD}),  # the yearly task list
    "supervision.answer": frozenset({Role.HANDLER, Role.HEAD, Role.AGENCY_ADMIN}),
}


def require(actor: Any, action: str, agency: Any, *, allow: Collection[SystemActor] = ()) -> str:
    """Check that ``actor`` may perform ``action`` on ``agency``'s records; return the role used.

    A staff member needs one of ``ACTION_ROLES[action]`` over the agency (directly, through a
    parent's subtree, or as platform admin); the role returned is the first of those held
    (alphabetically), recorded in the audit entry. A system actor passes only if it is in
    ``allow`` (its role is ""). Anyone else: PermissionDenied with a Chinese message.
    """
    if isinstance(actor, SystemActor):
        if actor in allow:
            return ""
    else:
        held = sorted(roles_in(actor, agency) & ACTION_ROLES[action])
        if held:
            return held[0]
    raise PermissionDenied(_("您没有权限进行此项操作。"))


def can(actor: Any, action: str, agency: Any, *, allow: Collection[SystemActor] = ()) -> bool:
    """True if ``actor`` may perform ``action`` on ``agency``'s records (``require`` as a test)."""
    if isinstance(actor, SystemActor):
        return actor in allow
    return bool(roles_in(actor, agency) & ACTION_ROLES[action])


def agencies_for(user: Actor, action: str) -> AgencyQuerySet:
    """The active agencies on whose records ``user`` may perform ``action``."""
    return Agency.objects.visible_to(user, roles=ACTION_ROLES[action]).filter(is_active=True)


def access_object(
    source: type[M] | models.QuerySet[M], *, user: Actor, pk: Any, action: str = "view"
) -> M:
    """Return the record ``pk`` of ``source`` (a scoped model or queryset) for an office view.

    Raises Http404 when it does not exist, lies outside the user's scope or ``pk`` is not a
    number — all alike — and PermissionDenied when it is visible but the user's roles over its
    agency do not allow ``action``. ``source`` may carry ``select_related`` and filters.
    """
    queryset = source._default_manager.all() if isinstance(source, type) else source
    obj = one_or_404(queryset.visible_to(user), pk)  # type: ignore[attr-defined]
    if not can(user, action, agency_of(obj)):
        raise PermissionDenied
    return obj


def one_or_404(queryset: models.QuerySet[M], pk: Any) -> M:
    """The record ``pk`` of ``queryset`` (already scoped to what the user may see); Http404
    when it is not there or ``pk`` is not a number, alike."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    obj = queryset.filter(pk=number).first()
    if obj is None:
        raise Http404
    return obj


def agency_of(obj: Any) -> Agency:
    """The agency that owns ``obj``: the agency itself, else its ``agency``."""
    return obj if isinstance(obj, Agency) else obj.agency


def holds_action(user: Actor, action: str) -> bool:
    """True if ``user`` holds, in some active agency, a role allowed ``action``."""
    allowed = ACTION_ROLES[action]
    return any(m.role in allowed for m in memberships_of(user))


def is_staff_member(user: Actor) -> bool:
    """True for a logged-in person holding at least one role."""
    return bool(memberships_of(user))


def staff_refusal(request: HttpRequest) -> HttpResponseBase | None:
    """None for a logged-in staff member; the login page for anonymous users; 404 otherwise."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        raise Http404
    return None


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Require a logged-in staff member; send anonymous users to the login page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return staff_refusal(request) or view(request, *args, **kwargs)

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
