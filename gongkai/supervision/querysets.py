"""Filters over 督办单: what the unit and the supervising office each see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Self

from django.db.models import Q

from gongkai.accounts.scoping import AgencyScopedQuerySet, agency_ids_for
from gongkai.core.actors import Actor
from gongkai.supervision.choices import AWAITING_ANSWER
from gongkai.supervision.scope import supervised_filter


class OrderQuerySet(AgencyScopedQuerySet[Any]):
    """督办单 of the user's own units, and those to units the user supervises."""

    def visible_to(self, user: Actor, roles: Iterable[str] | None = None) -> Self:
        """Orders addressed to the user's agencies, or to units below the user's office."""

        own = Q(agency_id__in=agency_ids_for(user, roles))
        return self.filter(own | supervised_filter(user, prefix="agency__"))

    def awaiting_answer(self) -> Self:
        """Orders the unit still has to answer."""
        return self.filter(status__in=AWAITING_ANSWER)

    def overdue(self, *, on: dt.date) -> Self:
        """Orders not answered by their deadline."""
        return self.awaiting_answer().filter(deadline__lt=on)


class TaskQuerySet(AgencyScopedQuerySet[Any]):
    """Tasks the user leads or supports, and those of the units the user supervises."""

    def visible_to(self, user: Actor, roles: Iterable[str] | None = None) -> Self:
        """Tasks led or supported by the user's agencies, or led by units below the office."""

        ids = agency_ids_for(user, roles)
        own = Q(agency_id__in=ids) | Q(supporting__in=ids)
        return self.filter(own | supervised_filter(user, prefix="agency__")).distinct()
