"""The one chokepoint that decides which agencies' records a staff member can reach.

Every office list starts from ``Model.objects.visible_to(user)`` (:class:`AgencyScopedQuerySet`,
the base of every agency-owned model's queryset) and every object view from
``permissions.access_object``; both come here. Agencies outside the scope answer 404 exactly
like missing records, so ids leak nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Q

from gongkai.accounts.choices import Role
from gongkai.core.actors import Actor, SystemActor

_CACHE_ATTR = "_gongkai_scope_cache"
M = TypeVar("M", bound=models.Model)


def memberships_of(user: Actor | None) -> list[Any]:
    """Return the user's memberships (with their agencies), cached on the user object."""
    if isinstance(user, SystemActor | None) or not user.is_authenticated or not user.is_active:
        return []
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        # From the app registry: the accounts' and agencies' models import this module.
        cache = {
            "memberships": list(
                apps.get_model("accounts", "StaffMembership")
                ._default_manager.filter(user_id=user.pk, agency__is_active=True)
                .select_related("agency")
            ),
            "ids": {},
        }
        setattr(user, _CACHE_ATTR, cache)
    return cache["memberships"]


def clear_scope_cache(user: Actor) -> None:
    """Forget the cached scope (after a membership change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_platform_admin(user: Actor) -> bool:
    """True if the user holds the 平台管理员 role."""
    return any(m.role == Role.PLATFORM_ADMIN for m in memberships_of(user))


def agency_ids_for(user: Actor, roles: Iterable[str] | None = None) -> frozenset[int]:
    """Ids of the agencies whose records ``user`` may reach through the given roles.

    A membership covers its agency, and its whole subtree when ``includes_subagencies`` is set.
    A platform admin's scope is every agency (for administration of the platform itself).
    """
    # From the app registry, as in memberships_of.
    agencies = apps.get_model("agencies", "Agency")._default_manager
    memberships = memberships_of(user)
    if not memberships:
        return frozenset()
    wanted = frozenset(roles) if roles is not None else None
    key = tuple(sorted(wanted)) if wanted is not None else None
    cache = getattr(user, _CACHE_ATTR)
    if key in cache["ids"]:
        return cache["ids"][key]
    chosen = [m for m in memberships if wanted is None or m.role in wanted]
    if any(m.role == Role.PLATFORM_ADMIN for m in chosen):
        ids = frozenset(agencies.values_list("pk", flat=True))
    else:
        direct = {m.agency_id for m in chosen if not m.includes_subagencies}
        cond = Q(pk__in=direct)
        for m in chosen:
            if m.includes_subagencies:
                cond |= Q(path__startswith=m.agency.path)
        ids = (
            frozenset(agencies.filter(cond).values_list("pk", flat=True)) if chosen else frozenset()
        )
    cache["ids"][key] = ids
    return ids


def roles_in(user: Actor, agency: Any) -> set[str]:
    """The roles ``user`` holds over ``agency`` (directly or through an ancestor's subtree)."""
    ancestors = set(agency.ancestor_ids())
    roles: set[str] = set()
    for m in memberships_of(user):
        if m.role == Role.PLATFORM_ADMIN:
            roles.add(m.role)
        elif m.agency_id == agency.pk or (m.includes_subagencies and m.agency_id in ancestors):
            roles.add(m.role)
    return roles


class AgencyScopedQuerySet(models.QuerySet[M]):
    """The base of every agency-owned model's queryset: rows belong to an agency through an
    ``agency`` foreign key, and office lists start from :meth:`visible_to`."""

    def visible_to(self, user: Actor, roles: Iterable[str] | None = None) -> Self:
        """Rows of the agencies in the staff member's scope (through ``roles`` if given)."""
        return self.filter(agency_id__in=agency_ids_for(user, roles))

    def for_agencies(self, agency_ids: Iterable[int]) -> Self:
        """Rows of any of the given agencies."""
        return self.filter(agency_id__in=list(agency_ids))
