"""Writes for people and roles, each audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.choices import SEPARATED_ADMIN_ROLES, Role
from gongkai.accounts.models import StaffMembership, User
from gongkai.accounts.scoping import clear_scope_cache
from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit


def membership_grant(
    *, by: Actor, user: User, agency: Any, role: str, includes_subagencies: bool = False
) -> StaffMembership:
    """Give ``user`` a role in ``agency`` (idempotent), audited."""
    if role not in Role.values:
        raise ValidationError(_("未知角色：{role}").format(role=role))
    check_role_separation(user=user, role=role)
    with transaction.atomic():
        membership, created = StaffMembership.objects.get_or_create(
            user=user,
            agency=agency,
            role=role,
            defaults={"includes_subagencies": includes_subagencies},
        )
        if not created and membership.includes_subagencies != includes_subagencies:
            membership.includes_subagencies = includes_subagencies
            membership.save(update_fields=["includes_subagencies"])
            created = True
        if created:
            record_audit(
                action="membership.grant",
                actor=by,
                target=user,
                agency=agency,
                after={"role": role, "includes_subagencies": includes_subagencies},
            )
    clear_scope_cache(user)
    return membership


def membership_revoke(*, by: Actor, membership: StaffMembership) -> None:
    """Remove a role from a person, audited."""
    with transaction.atomic():
        record_audit(
            action="membership.revoke",
            actor=by,
            target=membership.user,
            agency=membership.agency,
            before={
                "role": membership.role,
                "includes_subagencies": membership.includes_subagencies,
            },
        )
        membership.delete()
    clear_scope_cache(membership.user)


def user_create(
    *, by: Actor, username: str, password: str | None, full_name: str = "", email: str = ""
) -> User:
    """Create a staff account, audited (the password is never recorded)."""
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        record_audit(
            action="user.create",
            actor=by,
            target=user,
            after={"username": username, "full_name": full_name},
        )
    return user


def check_role_separation(*, user: User, role: str) -> None:
    """三员分立: refuse a second one of the platform, security and audit administrator roles."""
    if role not in SEPARATED_ADMIN_ROLES:
        return
    held = set(
        StaffMembership.objects.filter(user=user, role__in=SEPARATED_ADMIN_ROLES)
        .exclude(role=role)
        .values_list("role", flat=True)
    )
    if held:
        raise ValidationError(
            _("三员分立：{user}已担任{held}，不能再担任{role}。").format(
                user=user, held="、".join(str(Role(r).label) for r in held), role=Role(role).label
            )
        )


def user_set_active(*, by: Actor, user: User, active: bool) -> User:
    """Enable or disable a staff account (a disabled account cannot log in), audited."""
    with transaction.atomic():
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            record_audit(
                action="user.activate" if active else "user.deactivate",
                actor=by,
                target=user,
                before={"is_active": not active},
                after={"is_active": active},
            )
    return user


def user_unlock(*, by: Actor, user: User) -> None:
    """Lift a lock-out caused by repeated failed logins, audited."""
    from axes.utils import reset

    with transaction.atomic():
        reset(username=user.username)
        record_audit(action="user.unlock", actor=by, target=user)
