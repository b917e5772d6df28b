"""Freshness of the statutory columns (法定主动公开内容, 第二十条): update rules per column and,
for every unit of a tree, the columns out of date; and per unit the items published later than
the 20 working days of 第二十六条 (already checked per item: ``CatalogItem.is_late``).

A unit is held to a column's rule only once it has published in that column at all: a town
publishes no 政府集中采购 column, and counting it stale would bury the real gaps (decision 2005).

An event-tied rule (``AFTER_EVENT``, e.g. 预决算 within 20 working days of approval) is checked
per item instead: the event is the item's 成文日期, and an item written in the last
``EVENT_WINDOW_DAYS`` days that was published (or is still unpublished) later than the rule's
working days on the calendar puts its column out of date for that unit (decision 2005).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.agencies.models import Agency
from gongkai.catalog.choices import ItemStatus, StatutoryItem
from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit
from gongkai.stats.models import ColumnTally, LateTally, PublishedTally
from gongkai.supervision.choices import RuleKind
from gongkai.supervision.models import ColumnRule
from gongkai.supervision.scope import can
from gongkai.workcalendar.calendar import CalendarRangeError, WorkCalendar
from gongkai.workcalendar.selectors import get_calendar

#: How far back an event-tied rule looks: items written in the last 366 days.
EVENT_WINDOW_DAYS = 366
#: Items an event-tied rule ignores: not meant for proactive publication, or taken down.
NOT_OWED = frozenset({ItemStatus.CATALOGUED, ItemStatus.WITHDRAWN})


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
        if self.kind == RuleKind.AFTER_EVENT:
            return ngettext("成文后%(n)s个工作日内公开", "成文后%(n)s个工作日内公开", n) % {"n": n}
        return ngettext("至少每%(n)s天更新", "至少每%(n)s天更新", n) % {"n": n}

    @property
    def after_event(self) -> bool:
        """True for a rule checked per item from its 成文日期 (``AFTER_EVENT``)."""
        return self.kind == RuleKind.AFTER_EVENT

    def late_item(
        self, written: dt.date, published: dt.date | None, today: dt.date, cal: WorkCalendar
    ) -> bool:
        """For an event-tied rule: True when an item written on ``written`` was published
        (``published``; None: not yet) more than the rule's working days after it, or is still
        unpublished past them on ``today``. Dates outside the calendar are not judged."""
        return self.past(self.deadline(written, cal), published, today)

    @staticmethod
    def past(deadline: dt.date | None, published: dt.date | None, today: dt.date) -> bool:
        """True when an item due by ``deadline`` (None: not judged) was published after it, or
        is still unpublished (``published`` None) past it on ``today``."""
        return deadline is not None and (published or today) > deadline

    def deadline(self, written: dt.date, cal: WorkCalendar) -> dt.date | None:
        """For an event-tied rule: the last day to publish an item written on ``written``
        (None: outside the calendar, not judged)."""
        try:
            return cal.add_working_days(written, self.days or 0).date
        except CalendarRangeError:
            return None

    def due(self, today: dt.date) -> dt.date | None:
        """The date by which the column should have been updated (None: not yet due)."""
        if self.after_event:
            return None
        if self.kind == RuleKind.YEARLY_BY:
            deadline = dt.date(today.year, self.month or 1, self.day or 1)
            return dt.date(today.year, 1, 1) if today > deadline else None
        return today - dt.timedelta(days=self.days or 0)

    def stale(self, last: dt.date | None, today: dt.date) -> bool:
        """True when the latest publication ``last`` does not satisfy the rule on ``today``."""
        since = self.due(today)
        return since is not None and (last is None or last < since)


#: The default rules (decision 2005): 预决算 within 20 working days of the approval (the item's
#: 成文日期), 机构职能 and 收费 yearly, 统计信息 quarterly.
DEFAULT_RULES = (
    Rule(StatutoryItem.BUDGET, RuleKind.AFTER_EVENT, days=20),
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
    *,
    recount: bool = False,
) -> list[dict[str, Any]]:
    """Every (unit, column) of ``root``'s subtree out of date under ``rules``.

    ``held``, when given, receives per agency the number of ruled columns it publishes in;
    ``ids`` narrows to those agencies (all of them in ``root``'s subtree). The latest
    publication per unit and column is read from the maintained ``ColumnTally`` (decision
    2006), or with ``recount`` from the records.
    """
    by_item = {r.statutory_item: r for r in rules}
    late = _late_after_event(root, [r for r in rules if r.after_event], today, ids)
    if recount:
        rows = list(
            _in_tree(root, ids)
            .filter(
                agency__is_active=True,
                status=ItemStatus.PUBLISHED,
                statutory_item__in=list(by_item),
            )
            .values("agency_id", "statutory_item")
            .annotate(last=Max("published_on"))
        )
        counts = None
    else:
        rows, counts = _candidates(root, rules, today, late, ids, held is not None)
    # ``rows`` holds every published (unit, column) that may be stale, those late included.
    published = {(r["agency_id"], r["statutory_item"]) for r in rows}
    for (agency_id, item), _n in late.items():
        if (agency_id, item) not in published:  # late before anything was published there
            rows.append({"agency_id": agency_id, "statutory_item": item, "last": None})
            if counts is not None:
                counts[agency_id] = counts.get(agency_id, 0) + 1
    if held is not None:
        for agency_id, n in (counts or Counter(r["agency_id"] for r in rows)).items():
            held[agency_id] = held.get(agency_id, 0) + n
    stale = [
        r
        for r in rows
        if (r["agency_id"], r["statutory_item"]) in late
        or by_item[r["statutory_item"]].stale(r["last"], today)
    ]
    # One read of the subtree's names beats an IN list of hundreds of ids.
    names = {a.pk: a for a in _subtree(root).only("pk", "name", "path")} if stale else {}
    out = [
        {
            "agency": names[r["agency_id"]],
            "rule": by_item[r["statutory_item"]],
            "last": r["last"],
            "late": late.get((r["agency_id"], r["statutory_item"]), 0),
        }
        for r in stale
    ]
    return sorted(out, key=lambda e: (e["agency"].path, e["rule"].statutory_item))


def _candidates(
    root: Agency,
    rules: list[Rule],
    today: dt.date,
    late: dict[tuple[int, int], int],
    ids: list[int] | None,
    count: bool,
) -> tuple[list[dict[str, Any]], dict[int, int] | None]:
    """From the maintained ``ColumnTally``: the published (unit, column) rows out of date by
    their latest publication or with late items, and with ``count`` the number of ruled
    columns each unit publishes in (the date conditions are in SQL: few rows are read)."""
    units = _subtree(root).filter(is_active=True).values("pk")
    base = ColumnTally.objects.filter(own=True, n__gt=0, node__in=units)
    due = Q(pk__in=[])
    for r in rules:
        since = r.due(today)
        if since is not None:
            due |= Q(statutory_item=r.statutory_item) & (Q(last__isnull=True) | Q(last__lt=since))
    if late:
        due |= Q(statutory_item__in={item for _, item in late})
    found = base.filter(due).values("statutory_item", "last", agency_id=F("node"))
    by_item = {r.statutory_item: r for r in rules}
    rows = [
        r
        for r in _only(found, ids)
        if by_item[r["statutory_item"]].stale(r["last"], today)
        or (r["agency_id"], r["statutory_item"]) in late
    ]
    if not count:
        return rows, None
    per_unit = base.filter(statutory_item__in=[r.statutory_item for r in rules])
    counted = per_unit.values(agency_id=F("node")).annotate(k=Count("pk")).order_by()
    return rows, {r["agency_id"]: r["k"] for r in _only(counted, ids)}


def _late_after_event(
    root: Agency, rules: list[Rule], today: dt.date, ids: list[int] | None
) -> dict[tuple[int, int], int]:
    """Per (agency, column) of the event-tied ``rules``: items of the window published late or
    still unpublished past the rule's working days (one query over the window's items)."""
    if not rules:
        return {}
    by_item = {r.statutory_item: r for r in rules}
    cal = get_calendar()
    since = today - dt.timedelta(days=EVENT_WINDOW_DAYS)
    units = _subtree(root).filter(is_active=True).values("pk")
    items: Any = (
        CatalogItem.objects.filter(
            agency_id__in=units,
            statutory_item__in=list(by_item),
            written_on__gte=since,
            written_on__lte=today,
        )
        .exclude(status__in=NOT_OWED)
        .values_list("agency_id", "statutory_item", "written_on", "published_on", "status")
    )
    late: dict[tuple[int, int], int] = {}
    deadlines: dict[tuple[int, dt.date], dt.date | None] = {}
    keep = set(ids) if ids is not None else None
    for agency_id, item, written, published, status in items:
        if keep is not None and agency_id not in keep:
            continue
        if (item, written) not in deadlines:  # a few hundred dates in the window
            deadlines[(item, written)] = by_item[item].deadline(written, cal)
        on = published if status == ItemStatus.PUBLISHED else None
        if Rule.past(deadlines[(item, written)], on, today):
            late[(agency_id, item)] = late.get((agency_id, item), 0) + 1
    return late


def _subtree(root: Agency) -> Any:
    return Agency.objects.filter(path__startswith=root.path)


def _only(rows: Any, ids: list[int] | None) -> list[dict[str, Any]]:
    """The aggregate rows of the agencies ``ids`` (all when None), filtered here: the subtree's
    rows are few, and a subquery on the path beats an IN list of hundreds of ids."""
    keep = set(ids) if ids is not None else None
    return [r for r in rows if keep is None or r["agency_id"] in keep]


def _in_tree(root: Agency, ids: list[int] | None) -> Any:
    if ids is not None:
        return CatalogItem.objects.filter(agency_id__in=ids)
    return CatalogItem.objects.filter(agency__path__startswith=root.path)


def late_items(
    root: Agency, year: int, ids: list[int] | None = None, *, recount: bool = False
) -> dict[int, dict[str, int]]:
    """Per agency: items published in ``year`` and those later than 20 working days (第二十六条),
    from the maintained ``PublishedTally`` and ``LateTally`` (decision 2006), or with
    ``recount`` from the records."""
    if not recount:
        units = _subtree(root).values("pk")
        out: dict[int, dict[str, int]] = {}
        for model, name in ((PublishedTally, "published"), (LateTally, "late")):
            rows = model.objects.filter(own=True, n__gt=0, published_year=year, node__in=units)
            for r in _only(rows.values("n", agency_id=F("node")), ids):
                out.setdefault(r["agency_id"], {"published": 0, "late": 0})[name] = r["n"]
        return out
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
