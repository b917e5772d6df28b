"""Object access for ledger import jobs: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from gongkai.accounts.permissions import ACTION_ROLES, access_object
from gongkai.core.actors import Actor
from gongkai.ledger.models import LedgerImport


def access_ledger_import(*, user: Actor, pk: int) -> LedgerImport:
    """Return the import job if it belongs to an agency where ``user`` may import ledgers.

    Jobs are visible only to those who may import for the agency: anyone else gets 404.
    """
    jobs = LedgerImport.objects.visible_to(user, roles=ACTION_ROLES["ledger.import"])
    return access_object(
        jobs.select_related("agency", "created_by"), user=user, pk=pk, action="ledger.import"
    )
