"""Access to 督办单 and to the supervision pages (404 outside the scope, 403 for a wrong role)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.permissions import agencies_for, one_or_404
from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor
from gongkai.supervision.models import Order, Task
from gongkai.supervision.scope import can, supervised_filter, supervising_offices


def access_order(*, user: Actor, pk: Any, action: str = "view") -> Order:
    """One 督办单 for an office view: 404 if missing or out of scope, 403 if ``action`` is refused.

    "view" is allowed to everyone who sees the order (the unit's staff and the supervisors).
    """
    order = one_or_404(Order.objects.visible_to(user).select_related("agency", "issuer"), pk)
    if action != "view" and not can(user, action, order.agency):
        raise PermissionDenied
    return order


def require_supervisor(user: Actor) -> list[Agency]:
    """The offices through which ``user`` supervises; 404 for anyone who supervises nothing."""
    offices = supervising_offices(user)
    if not offices:
        raise Http404
    return offices


def supervised_agencies(user: Actor) -> Any:
    """The active agencies ``user`` supervises (scoped query; none for a non-supervisor)."""
    return Agency.objects.filter(supervised_filter(user), is_active=True)


def access_supervised_agency(*, user: Actor, pk: Any) -> Agency:
    """One agency the user supervises (404 otherwise)."""
    return one_or_404(supervised_agencies(user), pk)


def answering_agencies(user: Actor) -> Any:
    """The agencies where ``user`` may answer 督办单."""
    return agencies_for(user, "supervision.answer")


def access_task(*, user: Actor, pk: Any, action: str = "view") -> Task:
    """One task of the yearly list: 404 if missing or out of scope, 403 if ``action`` is refused."""
    task = one_or_404(Task.objects.visible_to(user).select_related("agency", "issuer"), pk)
    if action != "view" and not can(user, action, task.agency):
        raise PermissionDenied
    return task


def plannable_agencies(user: Actor) -> Any:
    """Units a task of the user's office may be given to: those supervised, and the office."""
    from django.db.models import Q

    offices = [o.pk for o in supervising_offices(user, "supervision.plan")]
    return Agency.objects.filter(
        supervised_filter(user, "supervision.plan") | Q(pk__in=offices), is_active=True
    ).order_by("path")
