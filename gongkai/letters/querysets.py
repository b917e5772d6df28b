"""Composable filters over letters and archives (scoping chokepoint)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models


class AgencyScopedQuerySet(models.QuerySet):
    """Rows that belong to an agency through an ``agency`` foreign key."""

    def visible_to(self, user: Any, roles: Iterable[str] | None = None) -> AgencyScopedQuerySet:
        """Rows of the agencies in the staff member's scope."""
        from gongkai.accounts.scoping import agency_ids_for

        return self.filter(agency_id__in=agency_ids_for(user, roles))
