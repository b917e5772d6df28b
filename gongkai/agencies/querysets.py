"""Composable agency filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from gongkai.accounts.scoping import agency_ids_for
from gongkai.core.actors import Actor

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


class AgencyQuerySet(models.QuerySet["Agency"]):
    """Filters over the agency tree."""

    def active(self) -> AgencyQuerySet:
        """Agencies that have not been deactivated."""
        return self.filter(is_active=True)

    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        """``agency`` and everything below it."""
        return self.filter(path__startswith=agency.path)

    def visible_to(self, user: Actor, roles: Any = None) -> AgencyQuerySet:
        """Agencies the staff member may see in the office (the scoping chokepoint)."""
        return self.filter(pk__in=agency_ids_for(user, roles))
