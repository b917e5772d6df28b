"""The office workspaces: one registry from which the office menu is built per person.

A workspace is a landing page of the office (依申请公开, 年度报告, 台账 …) with the actions
whose roles open it. The same :meth:`Workspace.opens_for` check guards the page
(:func:`workspace_required`) and decides whether the menu shows its link, so a link is shown
exactly when its page opens for that person.

Another app adds its workspace with one call in its own ``<app>/workspaces.py`` (imported when
the project starts, see ``AccountsConfig.ready``)::

    from django.utils.translation import gettext_lazy as _
    from gongkai.accounts.workspaces import Workspace, register

    register(Workspace("supervision", _("督办"), "supervision:list", order=45,
                       actions=("supervision.issue", "supervision.answer")))

and puts ``@workspace_required("supervision")`` on the view behind ``supervision:list``.
``group="settings"`` lists the page under 系统设置 instead of the top menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import holds_action, is_staff_member
from gongkai.core.actors import Actor

MAIN = "main"
SETTINGS = "settings"


@dataclass(frozen=True)
class Workspace:
    """One office workspace: its menu label, landing URL name, place and the actions opening it.

    ``actions`` empty means every staff member; otherwise a person opens the workspace when
    they hold, in any agency, a role allowed one of the actions (``ACTION_ROLES``).
    ``prefixes`` are the starts of the URL names whose pages belong to it (for page titles and
    the highlighted menu entry); by default the namespace of ``url_name`` (``"reports:"``).
    """

    key: str
    label: Any
    url_name: str
    order: int = 100
    actions: tuple[str, ...] = ()
    group: str = MAIN
    icon: str = ""
    prefixes: tuple[str, ...] = field(default=())
    opens: Callable[[Any], bool] | None = None
    #: The workspace's own queue on the 工作台: ``queue(user)`` → [{label, count, url}].
    queue: Callable[[Any], list[dict[str, Any]]] | None = None

    def opens_for(self, user: Actor) -> bool:
        """True when this workspace's page opens for ``user`` (the view's own check)."""
        if not is_staff_member(user):
            return False
        if self.opens is not None:
            return self.opens(user)
        return not self.actions or any(holds_action(user, a) for a in self.actions)

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def url_prefixes(self) -> tuple[str, ...]:
        return self.prefixes or (self.url_name.rpartition(":")[0] + ":",)


REGISTRY: dict[str, Workspace] = {}


def register(workspace: Workspace) -> Workspace:
    """Add (or replace, by key) a workspace; returns it."""
    REGISTRY[workspace.key] = workspace
    return workspace


def get(key: str) -> Workspace:
    return REGISTRY[key]


def menu_for(user: Actor, group: str = MAIN) -> list[Workspace]:
    """The workspaces of ``group`` that open for ``user``, in menu order."""
    entries = [w for w in REGISTRY.values() if w.group == group]
    return sorted((w for w in entries if w.opens_for(user)), key=lambda w: (w.order, w.key))


def queues_for(user: Actor) -> list[dict[str, Any]]:
    """The 工作台's sections: each open workspace that has a queue, with its entries."""
    return [
        {"key": w.key, "label": w.label, "url": w.url, "items": w.queue(user)}
        for w in menu_for(user)
        if w.queue is not None
    ]


def workspace_of(view_name: str | None) -> Workspace | None:
    """The workspace a page (its full URL name) belongs to: the longest matching prefix."""
    if not view_name:
        return None
    best: tuple[int, Workspace] | None = None
    for w in REGISTRY.values():
        for prefix in (w.url_name, *w.url_prefixes):
            if view_name.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), w)
    return best[1] if best else None


def workspace_required(key: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Guard a workspace's view with the same check the menu uses.

    Anonymous visitors go to the login page; everyone else for whom the workspace does not
    open gets 404, like a page that does not exist (decision 0004).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not REGISTRY[key].opens_for(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _settings_open(user: Actor) -> bool:
    return bool(menu_for(user, SETTINGS))


# The workspaces of the kernel's own apps (accounts, agencies, core's audit trail); the other
# apps register theirs in their own workspaces.py.
register(Workspace("home", _("工作台"), "accounts:home", order=0))
register(Workspace("agencies", _("机关与人员"), "agencies:list", order=60))
register(Workspace("audit", _("审计日志"), "core:audit_log", order=70, actions=("audit.view",)))
register(
    Workspace(
        "accounts",
        _("账号"),
        "accounts:account_list",
        order=80,
        actions=("account.manage",),
        prefixes=("accounts:account",),
    )
)
register(Workspace("settings", _("系统设置"), "accounts:settings", order=90, opens=_settings_open))
