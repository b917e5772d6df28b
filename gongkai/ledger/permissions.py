"""Object access for ledger import jobs: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.accounts.permissions import ACTION_ROLES
from gongkai.accounts.scoping import agency_ids_for
from gongkai.ledger.models import LedgerImport


def access_ledger_import(*, user: Any, pk: int) -> LedgerImport:
    """Return the import job if it belongs to an agency where ``user`` may import ledgers."""
    job = (
        LedgerImport.objects.filter(
            pk=pk, agency_id__in=agency_ids_for(user, ACTION_ROLES["ledger.import"])
        )
        .select_related("agency", "created_by")
        .first()
    )
    if job is None:
        raise Http404
    return job
