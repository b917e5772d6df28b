"""Reads of the audit trail, scoped to what an auditor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from gongkai.accounts.choices import Role
from gongkai.accounts.scoping import agency_ids_for
from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor
from gongkai.core.models import AuditEvent, AuditEventQuerySet


def audit_events_visible_to(user: Actor) -> AuditEventQuerySet:
    """Audit entries an auditor may read: those of the agencies in the auditor's scope.

    An auditor whose scope covers the root agency (with its subtree) also sees platform-wide
    entries that belong to no agency (logins, calendar loads).
    """
    ids = agency_ids_for(user, roles=[Role.AUDITOR])
    if not ids:
        return AuditEvent.objects.none()
    root_ids = set(Agency.objects.filter(parent=None).values_list("pk", flat=True))
    platform_wide = bool(root_ids) and root_ids <= ids and len(ids) == Agency.objects.count()
    cond = Q(agency_id__in=ids)
    if platform_wide:
        cond |= Q(agency_id__isnull=True)
    return AuditEvent.objects.filter(cond)


def filter_audit_events(
    qs: AuditEventQuerySet,
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> AuditEventQuerySet:
    """Apply the audit page's filters."""
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_repr__icontains=actor)
    if target:
        qs = qs.filter(Q(target_repr__icontains=target) | Q(target_id=target))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs
