"""The scorecard (考核): weighted indicators per office and year, computed for every unit the
office supervises from the same figures as the dashboard (``dashboard.fill``, one row per unit).

Each indicator gives a ratio between 0 and 1; the unit earns ``weight × ratio`` points. A unit
with nothing to measure for an indicator (no case concluded, no review decided, no task due)
earns the full weight: there was nothing it failed to do (decision 2004).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit
from gongkai.reports.choices import SeasonState
from gongkai.supervision.choices import IndicatorKind as K
from gongkai.supervision.dashboard import Rollup, UnitRow, fill, freshness_counts
from gongkai.supervision.freshness import rules_of
from gongkai.supervision.models import Indicator
from gongkai.supervision.record_checks import ReportCheck, guides_updated, report_checks_of
from gongkai.supervision.scope import can, government_path

#: The default set (total 100): kind → (weight, target).
DEFAULTS: dict[str, tuple[int, int]] = {
    K.ON_TIME: (20, 0),
    K.NOT_CORRECTED: (10, 0),
    K.REPORT_ON_TIME: (10, 0),
    K.REPORT_PASSES: (10, 0),
    K.GUIDE_UPDATED: (5, 0),
    K.PUBLISHED: (10, 12),
    K.COLUMNS_FRESH: (10, 0),
    K.TASKS_DONE: (15, 0),
    K.ORDERS_IN_TIME: (10, 0),
}


@dataclass
class Part:
    """One indicator's score for one unit, with the figures behind it."""

    kind: str
    weight: int
    ratio: float
    basis: str
    details: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The indicator's name."""
        return str(K(self.kind).label)

    @property
    def points(self) -> float:
        """Points earned (weight × ratio, one decimal)."""
        return round(self.weight * self.ratio, 1)


@dataclass
class Card:
    """One unit's scorecard."""

    agency: Agency
    parts: list[Part] = field(default_factory=list)
    rank: int = 0

    @property
    def total(self) -> float:
        """The unit's score."""
        return round(sum(p.points for p in self.parts), 1)


def indicators(office: Agency, year: int) -> list[tuple[str, int, int]]:
    """The office's indicators of ``year`` (kind, weight, target); the default set if none saved."""
    saved = list(Indicator.objects.filter(office=office, year=year).order_by("id"))
    if saved:
        return [(i.kind, i.weight, i.target) for i in saved if i.weight]
    return [(k, w, t) for k, (w, t) in DEFAULTS.items()]


def _share(num: int, den: int, what: str) -> tuple[float, str]:
    if not den:
        return 1.0, _("无%(what)s，按满分计") % {"what": what}
    return num / den, f"{num}/{den}"


def ratio(
    kind: str, row: UnitRow, target: int, extra: Mapping[str, Any] | None = None
) -> tuple[float, str]:
    """The ratio (0–1) an indicator gives ``row``, and the figures behind it in words.

    ``extra`` carries the figures the dashboard does not count (``record_checks``): ``year``,
    ``report_check`` (a ``ReportCheck`` or None) and ``guide_updated`` (a date or None).
    """
    f = row.figures
    extra = extra or {}
    if kind == K.ON_TIME:
        r, basis = _share(f["on_time"], f["with_due"], _("本年办结的申请"))
        return r, _("按时办结 %(b)s") % {"b": basis}
    if kind == K.NOT_CORRECTED:
        r, basis = _share(f["decided"] - f["corrected"], f["decided"], _("审结的复议、诉讼"))
        return r, _("未被纠错 %(b)s") % {"b": basis}
    if kind == K.REPORT_ON_TIME:
        published = row.season[SeasonState.PUBLISHED]
        on_time = published and not f["reports_late"]
        return (1.0 if on_time else 0.0), (
            _("上年度报告按时发布") if on_time else _("上年度报告未按时发布")
        )
    if kind == K.REPORT_PASSES:
        return _report_passes(extra.get("report_check"))
    if kind == K.GUIDE_UPDATED:
        on = extra.get("guide_updated")
        if on is None:
            return 0.0, _("%(y)s年未发布或修订政府信息公开指南") % {"y": extra.get("year")}
        return 1.0, _("政府信息公开指南于%(d)s发布或修订") % {"d": date_format(on)}
    if kind == K.PUBLISHED:
        goal = max(target, 1)
        n = f["published"]
        said = ngettext("发布 %(n)s 条（满分 %(t)s 条）", "发布 %(n)s 条（满分 %(t)s 条）", n)
        return min(n, goal) / goal, said % {"n": n, "t": goal}
    if kind == K.TASKS_DONE:
        r, basis = _share(f["tasks_done_in_time"], f["tasks_due"], _("到期的任务"))
        return r, _("按时完成 %(b)s") % {"b": basis}
    if kind == K.COLUMNS_FRESH:
        held = f["held_columns"]
        r, basis = _share(held - f["stale_columns"], held, _("有更新要求的栏目"))
        return r, _("按要求更新的栏目 %(b)s") % {"b": basis}
    r, basis = _share(f["orders_in_time"], f["orders_due"], _("到期的督办单"))
    return r, _("按时反馈 %(b)s") % {"b": basis}


def _report_passes(check: ReportCheck | None) -> tuple[float, str]:
    """Passes the 年报体检: 1 with no failure, 0.5 with only 提示 (soft checks), else 0."""
    if check is None:
        return 0.0, _("上年度报告未发布，无法体检")
    if check.hard:
        return 0.0, ngettext(
            "上年度报告体检：%(n)s处勾稽关系不成立",
            "上年度报告体检：%(n)s处勾稽关系不成立",
            check.hard,
        ) % {"n": check.hard}
    if check.soft:
        return 0.5, ngettext(
            "上年度报告体检：%(n)s处提示（计一半分）",
            "上年度报告体检：%(n)s处提示（计一半分）",
            check.soft,
        ) % {"n": check.soft}
    return 1.0, _("上年度报告通过体检")


def units(office: Agency) -> list[Agency]:
    """The units the office scores: every active agency of its government's tree but itself."""
    return list(
        Agency.objects.filter(path__startswith=government_path(office), is_active=True)
        .exclude(pk=office.pk)
        .order_by("path")
    )


def compute(
    office: Agency,
    year: int,
    *,
    today: dt.date,
    only: Agency | None = None,
    recount: bool = False,
) -> list[Card]:
    """Every unit's card, ranked (ties share a rank); or just ``only``'s card (rank 0).

    The figures of applications, appeals and catalogue items are the ``own`` rows of the
    maintained aggregates (decision 2006), or with ``recount`` counted from the records."""
    root = Agency.objects.get(path=government_path(office))
    scored = [only] if only is not None else units(office)
    rollup = Rollup.per_agency(root, scored)
    fill(rollup, year=year, today=today, recount=recount)
    freshness_counts(rollup, rules_of(office), year, today, recount=recount)
    chosen = indicators(office, year)
    kinds = {k for k, _w, _t in chosen}
    ids = [row.agency.pk for row in rollup.rows]
    checks = report_checks_of(ids, year - 1) if K.REPORT_PASSES in kinds else {}
    guides = guides_updated(ids, year) if K.GUIDE_UPDATED in kinds else {}
    cards = []
    for row in rollup.rows:
        pk = row.agency.pk
        check = checks.get(pk)
        extra = {"year": year, "report_check": check, "guide_updated": guides.get(pk)}
        card = Card(row.agency)
        for kind, weight, target in chosen:
            r, basis = ratio(kind, row, target, extra)
            details = check.messages if check and kind == K.REPORT_PASSES else ()
            card.parts.append(Part(kind, weight, r, basis, details))
        cards.append(card)
    if only is None:
        cards.sort(key=lambda c: (-c.total, c.agency.path))
        for i, card in enumerate(cards):
            same = i and cards[i - 1].total == card.total
            card.rank = cards[i - 1].rank if same else i + 1
    return cards


def indicators_set(
    *, by: Actor, office: Agency, year: int, values: dict[str, tuple[int, int]]
) -> list[Indicator]:
    """Save the office's indicators of ``year`` (weight 0 drops one); audited."""
    if not can(by, "supervision.plan", office):
        raise PermissionDenied(_("您没有权限进行此项操作。"))
    unknown = set(values) - set(K.values)
    if unknown or not any(w for w, _t in values.values()):
        raise ValidationError(_("请至少为一项指标设置分值。"))
    before = {k: (w, t) for k, w, t in indicators(office, year)}
    with transaction.atomic():
        Indicator.objects.filter(office=office, year=year).delete()
        rows = Indicator.objects.bulk_create(
            Indicator(office=office, year=year, kind=k, weight=w, target=t)
            for k, (w, t) in values.items()
        )
        record_audit(
            action="supervision.indicators",
            actor=by,
            agency=office,
            before={"year": year, "indicators": {k: list(v) for k, v in before.items()}},
            after={"year": year, "indicators": {k: list(v) for k, v in values.items()}},
            target_repr=f"{office.name}{year}年考核指标",
        )
    return rows
