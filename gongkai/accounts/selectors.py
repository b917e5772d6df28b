"""Reads about the current staff member."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.scoping import agency_ids_for, memberships_of
from gongkai.core.actors import Actor


def home_summary(user: Actor) -> dict[str, Any]:
    """The person's agencies and roles, grouped per agency, for the office home page."""
    by_agency: dict[int, dict[str, Any]] = {}
    for m in memberships_of(user):
        entry = by_agency.setdefault(m.agency_id, {"agency": m.agency, "roles": []})
        label = m.get_role_display() + (_("（含下级机关）") if m.includes_subagencies else "")
        entry["roles"].append(label)
    roles = {m.role for m in memberships_of(user)}
    links = []
    if Role.SECURITY_ADMIN in roles:
        links.append((_("人员账号"), reverse("accounts:account_list")))
    if Role.AUDITOR in roles:
        links.append((_("审计日志"), reverse("core:audit_log")))
    if Role.PLATFORM_ADMIN in roles:
        links.append((_("工作日历"), reverse("workcalendar:year_list")))
    return {
        "agencies": sorted(by_agency.values(), key=lambda e: e["agency"].path),
        "admin_links": links,
    }


def accounts_visible_to(user: Actor) -> Any:
    """Accounts a security administrator may manage: staff of agencies in scope, and new ones."""
    ids = agency_ids_for(user, roles=[Role.SECURITY_ADMIN])
    if not ids:
        raise Http404
    return User.objects.filter(
        Q(memberships__agency_id__in=ids) | Q(memberships__isnull=True)
    ).distinct()


def access_account(*, user: Actor, pk: int) -> User:
    """One account in the security administrator's scope (404 otherwise)."""
    account = accounts_visible_to(user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account
