"""Freshness of the statutory columns (法定主动公开内容, 第二十条): update rules per column and,
for every unit of a tree, the columns out of date; and per unit the items published later than
the 20 working days of 第二十六条 (already checked per item: ``CatalogItem.is_late``).

A unit is held to a column's rule only once it has published in that column at all: a town
publishes no 政府集中采购 column, and counting it stale would bury the real gaps (decision 2005).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.agencies.models import Agency
from gongkai.catalog.choices import ItemStatus, StatutoryItem
from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit
from gongkai.supervision.choices import RuleKind
from gongkai.supervision.models import ColumnRule
from gongkai.supervision.scope import can


@dataclass(frozen=True)
class Rule:
    """An update rule (saved or default)."""

    statutory_item: int
    kind: str
    month: int | None = None
    day: int | None = None
    days: int | None = None

    @property
    def column(self) -> str:
        """The column's official label."""
        return str(StatutoryItem(self.statutory_item).label)

    def describe(self) -> str:
        """The rule in words."""
        if self.kind == RuleKind.YEARLY_BY:
            return _("每年%(m)s月%(d)s日前更新") % {"m": self.month, "d": self.day}
        n = self.days or 0
        return ngettext("至少每%(n)s天更新", "至少每%(n)s天更新", n) % {"n": n}

    def due(self, today: dt.date) -> dt.date | None:
        """The date by which the column should have been updated (None: not yet due)."""
        if self.kind == RuleKind.YEARLY_BY:
            deadline = dt.date(today.year, self.month or 1, self.day or 1)
            return dt.date(today.year, 1, 1) if today > deadline else None
        return today - dt.timedelta(days=self.days or 0)

    def stale(self, last: dt.date | None, today: dt.date) -> bool:
        """True when the latest publication ``last`` does not satisfy the rule on ``today``."""
        since = self.due(today)
        return since is not None and (last is None or last < since)


#: The default rules (decision 2005): 预决算 each year by 3月31日 (approximating "within 20 days of
#: approval"), 机构职能 and 收费 yearly, 统计信息 quarterly.
DEFAULT_RULES = (
    Rule(StatutoryItem.BUDGET, RuleKind.YEARLY_BY, month=3, day=31),
    Rule(StatutoryItem.ORGANISATION, RuleKind.EVERY_DAYS, days=366),
    Rule(StatutoryItem.FEES, RuleKind.EVERY_DAYS, days=366),
    Rule(StatutoryItem.STATISTICS, RuleKind.EVERY_DAYS, days=92),
)


def rules_of(office: Agency) -> list[Rule]:
    """The office's rules; the default set when it saved none."""
    saved = ColumnRule.objects.filter(office=office).order_by("statutory_item")
    if not saved:
        return list(DEFAULT_RULES)
    return [Rule(r.statutory_item, r.kind, r.month, r.day, r.days) for r in saved]


def stale_columns(
    root: Agency,
    rules: list[Rule],
    today: dt.date,
    held: dict[int, int] | None = None,
    ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Every (unit, column) of ``root``'s subtree out of date under ``rules`` (one query).

    ``held``, when given, receives per agency the number of ruled columns it publishes in;
    ``ids`` narrows to those agencies (all of them in ``root``'s subtree).
    """
    by_item = {r.statutory_item: r for r in rules}
    rows = (
        _in_tree(root, ids)
        .filter(
            agency__is_active=True,
            status=ItemStatus.PUBLISHED,
            statutory_item__in=list(by_item),
        )
        .values("agency_id", "statutory_item")
        .annotate(last=Max("published_on"))
    )
    rows = list(rows)
    if held is not None:
        for r in rows:
            held[r["agency_id"]] = held.get(r["agency_id"], 0) + 1
    stale = [r for r in rows if by_item[r["statutory_item"]].stale(r["last"], today)]
    names = Agency.objects.in_bulk({r["agency_id"] for r in stale})
    out = [
        {"agency": names[r["agency_id"]], "rule": by_item[r["statutory_item"]], "last": r["last"]}
        for r in stale
    ]
    return sorted(out, key=lambda e: (e["agency"].path, e["rule"].statutory_item))


def _in_tree(root: Agency, ids: list[int] | None) -> Any:
    if ids is not None:
        return CatalogItem.objects.filter(agency_id__in=ids)
    return CatalogItem.objects.filter(agency__path__startswith=root.path)


def late_items(root: Agency, year: int, ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per agency: items published in ``year`` and those later than 20 working days (第二十六条)."""
    rows = (
        _in_tree(root, ids)
        .filter(status=ItemStatus.PUBLISHED, published_year=year)
        .values("agency_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    )
    return {r["agency_id"]: {"published": r["n"], "late": r["late"]} for r in rows}


def rules_set(*, by: Actor, office: Agency, rules: list[Rule]) -> None:
    """Replace the office's rules (audited)."""
    if not can(by, "supervision.plan", office):
        raise PermissionDenied(_("您没有权限进行此项操作。"))
    for r in rules:
        if r.kind == RuleKind.YEARLY_BY:
            try:
                dt.date(2024, r.month or 0, r.day or 0)
            except ValueError:
                raise ValidationError(_("“%(c)s”的日期无效。") % {"c": r.column}) from None
        elif not r.days:
            raise ValidationError(_("“%(c)s”请填写天数。") % {"c": r.column})
    before = [r.describe() for r in rules_of(office)]
    with transaction.atomic():
        ColumnRule.objects.filter(office=office).delete()
        ColumnRule.objects.bulk_create(
            ColumnRule(office=office, statutory_item=r.statutory_item, kind=r.kind,
                       month=r.month, day=r.day, days=r.days)
            for r in rules
        )  # fmt: skip
        record_audit(
            action="supervision.column_rules",
            actor=by,
            agency=office,
            before={"rules": before},
            after={"rules": [f"{r.statutory_item}:{r.describe()}" for r in rules]},
            target_repr=f"{office.name}法定主动公开栏目更新要求",
        )
