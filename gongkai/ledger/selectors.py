"""Reads of the ledger app: the agencies a user may import into or export from, recent jobs."""

from __future__ import annotations

from gongkai.accounts.permissions import ACTION_ROLES
from gongkai.core.actors import Actor
from gongkai.ledger.models import LedgerImport


def recent_imports(user: Actor, *, limit: int = 20) -> list[LedgerImport]:
    """The latest import jobs of the agencies where ``user`` may import (newest first)."""
    return list(
        LedgerImport.objects.visible_to(user, roles=ACTION_ROLES["ledger.import"])
        .select_related("agency", "created_by")
        .defer("errors")[:limit]
    )
