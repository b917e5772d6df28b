"""Composable filters over catalogue items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.catalog.choices import ItemStatus
from gongkai.core.tallies import TalliedQuerySet

if TYPE_CHECKING:
    from gongkai.catalog.models import CatalogItem  # noqa: F401 - the string base below


class CatalogItemQuerySet(  # type: ignore[override] # both bases type as_manager
    TalliedQuerySet["CatalogItem"], AgencyScopedQuerySet["CatalogItem"]
):
    """Filters used by the office, the portal, feeds, the API and table 二 (bulk writes keep
    the maintained aggregates in step)."""

    def public(self) -> CatalogItemQuerySet:
        """Items shown on the portal: published (which implies 主动公开, a CHECK constraint)."""
        return self.filter(status=ItemStatus.PUBLISHED)

    def of_subtree(self, agency: Any) -> CatalogItemQuerySet:
        """Items issued by ``agency`` or any agency below it."""
        return self.filter(agency__path__startswith=agency.path)

    def due_for_publication(self, now: Any) -> CatalogItemQuerySet:
        """Scheduled items whose time has come."""
        return self.filter(status=ItemStatus.SCHEDULED, scheduled_at__lte=now)
