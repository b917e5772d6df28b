"""Object access for agencies in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import StaffMembership
from gongkai.accounts.permissions import can
from gongkai.agencies.models import Agency


def access_agency(*, user: Any, pk: int, action: str = "view") -> Agency:
    """Return the agency if ``user`` may reach it and perform ``action``.

    Raises Http404 when it does not exist or lies outside the user's scope, and
    PermissionDenied when it is visible but the user's roles do not allow ``action``.
    """
    agency = Agency.objects.visible_to(user).filter(pk=pk).first()
    if agency is None:
        raise Http404
    if not can(user, action, agency):
        raise PermissionDenied
    return agency


def access_membership(*, agency: Agency, pk: int) -> StaffMembership:
    """Return one of ``agency``'s memberships (the agency was already access-checked)."""
    membership = StaffMembership.objects.filter(pk=pk, agency=agency).first()
    if membership is None:
        raise Http404
    return membership
