"""Composable filters over applications (scoping, open/closed, deadlines)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.applications.choices import CONCLUDED_STATUSES, OPEN_STATUSES
from gongkai.core.tallies import TalliedQuerySet

if TYPE_CHECKING:
    from gongkai.applications.models import Application  # noqa: F401 - the string base below


class ApplicationQuerySet(  # type: ignore[override] # both bases type as_manager
    TalliedQuerySet["Application"], AgencyScopedQuerySet["Application"]
):
    """Filters over applications (``visible_to``/``for_agencies`` from the scoped base); bulk
    writes keep the maintained aggregates in step (``TalliedQuerySet``)."""

    def open(self) -> ApplicationQuerySet:
        """Cases without a result yet."""
        return self.filter(status__in=OPEN_STATUSES)

    def concluded(self) -> ApplicationQuerySet:
        """Cases with a result (办结)."""
        return self.filter(status__in=CONCLUDED_STATUSES)

    def overdue(self, *, on: dt.date) -> ApplicationQuerySet:
        """Open cases whose nearest deadline lies before ``on``."""
        return self.open().filter(due_on__lt=on)

    def due_between(self, *, start: dt.date, end: dt.date) -> ApplicationQuerySet:
        """Open cases whose nearest deadline falls in [start, end]."""
        return self.open().filter(due_on__gte=start, due_on__lte=end)

    def with_id_number(self, value: str) -> ApplicationQuerySet:
        """Applications whose 证件号码 is exactly ``value`` (normalised; by its keyed hash).

        The number itself is encrypted at rest and cannot be compared in the database.
        """
        keys = self.model._meta.get_field("id_number_hash").hashes_for(value)  # type: ignore[union-attr]
        return self.filter(id_number_hash__in=keys) if keys else self.none()

    def with_phone(self, value: str) -> ApplicationQuerySet:
        """Applications whose 联系电话 is exactly ``value`` (normalised; by its keyed hash)."""
        keys = self.model._meta.get_field("phone_hash").hashes_for(value)  # type: ignore[union-attr]
        return self.filter(phone_hash__in=keys) if keys else self.none()
