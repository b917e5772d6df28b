"""Reads of the ledger app: the agencies a user may import into or export from, recent jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.accounts.permissions import ACTION_ROLES
from gongkai.accounts.scoping import agency_ids_for
from gongkai.agencies.models import Agency
from gongkai.ledger.models import LedgerImport


def agencies_for(user: Any, action: str) -> QuerySet[Agency]:
    """Active agencies where ``user`` holds a role allowed to perform ``action``."""
    return Agency.objects.visible_to(user, roles=ACTION_ROLES[action]).filter(is_active=True)


def recent_imports(user: Any, *, limit: int = 20) -> list[LedgerImport]:
    """The latest import jobs of the agencies where ``user`` may import (newest first)."""
    ids = agency_ids_for(user, ACTION_ROLES["ledger.import"])
    return list(
        LedgerImport.objects.filter(agency_id__in=ids)
        .select_related("agency", "created_by")
        .defer("errors")[:limit]
    )
