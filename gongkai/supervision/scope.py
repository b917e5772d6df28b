"""Who supervises whom: the disclosure office (政务公开办) of a government and the tree below.

A person holding a role in an agency marked ``is_disclosure_office`` supervises every unit of
that office's government's subtree (the government itself, its departments, the lower
governments and theirs), except the office itself. The roles that count per action are
``accounts.permissions.ACTION_ROLES`` (``supervision.issue``). Staff of the unit act through
their ordinary roles there (``supervision.answer``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import ACTION_ROLES, require
from gongkai.accounts.scoping import memberships_of
from gongkai.core.actors import Actor, SystemActor

#: Actions taken from above, by the supervising office, never by the unit itself.
SUPERVISOR_ACTIONS = frozenset({"supervision.issue", "supervision.plan"})
#: Supervisor actions the office may also take on itself (it leads tasks of the yearly list).
SELF_INCLUDED = frozenset({"supervision.plan"})


def government_path(office: Any) -> str:
    """The materialised path of the office's government (its parent)."""
    parts = office.path.strip("/").split("/")[:-1]
    return "/" + "/".join(parts) + "/" if parts else office.path


def supervising_memberships(user: Actor, action: str = "supervision.issue") -> list[Any]:
    """The user's memberships in active disclosure offices with a role ``action`` allows."""
    roles = ACTION_ROLES[action]
    return [
        m
        for m in memberships_of(user)
        if m.role in roles and m.agency.is_disclosure_office and m.agency.is_active
    ]


def supervising_offices(user: Actor, action: str = "supervision.issue") -> list[Any]:
    """The disclosure offices through which ``user`` supervises (outermost first)."""
    seen: dict[int, Any] = {}
    for m in supervising_memberships(user, action):
        seen.setdefault(m.agency_id, m.agency)
    return sorted(seen.values(), key=lambda a: (a.depth, a.path))


def supervised_filter(user: Actor, action: str = "supervision.issue", prefix: str = "") -> Q:
    """A filter on agencies (``prefix`` to reach them) the user supervises; matches none if none."""
    cond = Q(pk__in=[])
    for office in supervising_offices(user, action):
        cond |= Q(**{f"{prefix}path__startswith": government_path(office)}) & ~Q(
            **{f"{prefix}pk": office.pk}
        )
    return cond


def supervising_role(user: Actor, agency: Any, action: str = "supervision.issue") -> str | None:
    """The role in which ``user`` supervises ``agency`` for ``action``, or None."""
    self_ok = action in SELF_INCLUDED
    held = sorted(
        m.role
        for m in supervising_memberships(user, action)
        if agency.path.startswith(government_path(m.agency))
        and (self_ok or agency.pk != m.agency_id)
    )
    return held[0] if held else None


def office_for(user: Actor, agency: Any, action: str = "supervision.issue") -> Any:
    """The nearest disclosure office through which ``user`` supervises ``agency`` (or None)."""
    offices = [
        m.agency
        for m in supervising_memberships(user, action)
        if agency.path.startswith(government_path(m.agency)) and agency.pk != m.agency_id
    ]
    return max(offices, key=lambda a: a.depth, default=None)


def check(actor: Any, action: str, agency: Any, *, allow: Collection[SystemActor] = ()) -> str:
    """The supervision workflow's permission check (``accounts.permissions.require`` otherwise).

    Supervisor actions pass only through a disclosure office above the unit: the unit's own
    staff cannot issue or close a 督办单 to themselves whatever their role.
    """
    if action not in SUPERVISOR_ACTIONS:
        return require(actor, action, agency, allow=allow)
    if isinstance(actor, SystemActor):
        if actor in allow:
            return ""
        raise PermissionDenied(_("您没有权限进行此项操作。"))
    role = supervising_role(actor, agency, action)
    if role is None:
        raise PermissionDenied(_("您没有权限进行此项操作。"))
    return role


def can(actor: Any, action: str, agency: Any) -> bool:
    """``check`` as a boolean."""
    try:
        check(actor, action, agency)
    except PermissionDenied:
        return False
    return True
