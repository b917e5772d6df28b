"""The supervisor's dashboard across the tree: one row per unit below a root, each unit's
figures rolled up over its own subtree, in a fixed number of aggregate queries.

Rows are the root itself (its own records only) and each active direct child (the child and
everything below it). Figures of the year ``year``:

* 在办 / 临期 (due within 5 working days) / 超期 — open applications now;
* 办结 / 按时办结 — concluded in the year; on time when ``closed_on`` ≤ ``reply_due_on``;
* 纠错率 — reviews and lawsuits decided in the year whose result is 结果纠正, over those decided;
* 收件 — applications received in the year, also per month;
* 主动公开 — catalogue items published in the year;
* 年报 — reports of the year before: each agency's state against its statutory date
  (31 January for departments, 31 March for governments), late when not published by then
  or published after it;
* 督办 — 督办单 still awaiting an answer;
* 任务 — tasks of the year's list led by the unit: all, done, overdue (not done, past deadline);
* 栏目 — statutory columns out of date under the office's rules (``freshness``), and items of
  the year published later than 20 working days after they were written (第二十六条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.applications.choices import OPEN_STATUSES, ReviewResult
from gongkai.applications.models import Application, Lawsuit, Review
from gongkai.applications.selectors import due_soon_until
from gongkai.catalog.choices import ItemStatus
from gongkai.catalog.models import CatalogItem
from gongkai.reports.choices import SeasonState
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import season_state, statutory_deadline
from gongkai.stats import selectors as aggregates
from gongkai.supervision.choices import AWAITING_ANSWER, TaskStatus
from gongkai.supervision.freshness import late_items, stale_columns
from gongkai.supervision.models import Order, Task

COUNTS = (
    "open", "due_soon", "overdue", "concluded", "on_time", "with_due", "received",
    "decided", "corrected", "published", "reports", "reports_published", "reports_late",
    "orders_open", "orders_due", "orders_in_time", "tasks", "tasks_done", "tasks_overdue",
    "tasks_due", "tasks_done_in_time", "stale_columns", "held_columns", "late_items",
)  # fmt: skip


@dataclass
class UnitRow:
    """One unit's figures (rolled up over its subtree unless it is the root's own row)."""

    agency: Agency
    own_only: bool = False
    has_children: bool = False
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    months: list[int] = field(default_factory=lambda: [0] * 12)
    season: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SeasonState.values, 0))

    @property
    def on_time_rate(self) -> float | None:
        """Share of the year's concluded cases (with a deadline) concluded on time, 0–100."""
        f = self.figures
        return round(100 * f["on_time"] / f["with_due"], 1) if f["with_due"] else None

    @property
    def correction_rate(self) -> float | None:
        """纠错率: share of decided reviews and lawsuits ending in 纠正, 0–100."""
        f = self.figures
        return round(100 * f["corrected"] / f["decided"], 1) if f["decided"] else None


class Rollup:
    """Maps every agency id of the root's subtree to the row that counts it."""

    @classmethod
    def per_agency(cls, root: Agency, agencies: list[Agency]) -> Rollup:
        """One row per agency given (each counting its own records only)."""
        rollup = cls.__new__(cls)
        rollup.root = root
        rollup.rows = [UnitRow(a, own_only=True) for a in agencies]
        rollup.index = {a.pk: i for i, a in enumerate(agencies)}
        return rollup

    def __init__(self, root: Agency) -> None:
        children = list(root.children.filter(is_active=True).order_by("sort_order", "pk"))
        self.root = root
        self.rows = [UnitRow(root, own_only=True)] + [UnitRow(c) for c in children]
        by_path = {c.path: i + 1 for i, c in enumerate(children)}
        self.index: dict[int, int] = {root.pk: 0}
        parents: set[str] = set()
        start = len(root.path)
        for pk, path, parent_id in Agency.objects.filter(path__startswith=root.path).values_list(
            "pk", "path", "parent_id"
        ):
            parents.add(str(parent_id))
            # The path of the root's child above this agency: one segment after the root's.
            i = by_path.get(path[: path.find("/", start) + 1]) if pk != root.pk else None
            if i is not None:
                self.index[pk] = i
        for row in self.rows[1:]:
            row.has_children = str(row.agency.pk) in parents

    @property
    def ids(self) -> list[int]:
        """The agencies counted (an indexed ``agency_id IN`` beats a join on the path prefix)."""
        return list(self.index)

    def add(self, agency_id: int, key: str, n: int) -> None:
        """Add ``n`` to ``key`` of the row counting ``agency_id``."""
        i = self.index.get(agency_id)
        if i is not None and n:
            self.rows[i].figures[key] += n


def _applications(rollup: Rollup, year: int, today: dt.date) -> None:
    soon = due_soon_until(today)
    open_q = Q(status__in=OPEN_STATUSES)
    closed_in_year = Q(closed_on__year=year, reply_due_on__isnull=False)
    rows = (
        Application.objects.filter(agency_id__in=rollup.ids)
        .values("agency_id")
        .annotate(
            open=Count("pk", filter=open_q),
            due_soon=Count("pk", filter=open_q & Q(due_on__gte=today, due_on__lte=soon)),
            overdue=Count("pk", filter=open_q & Q(due_on__lt=today)),
            concluded=Count("pk", filter=Q(closed_on__year=year)),
            with_due=Count("pk", filter=closed_in_year),
            on_time=Count("pk", filter=closed_in_year & Q(closed_on__lte=F("reply_due_on"))),
            received=Count("pk", filter=Q(received_on__year=year)),
        )
    )
    for row in rows:
        for key in ("open", "due_soon", "overdue", "concluded", "with_due", "on_time", "received"):
            rollup.add(row["agency_id"], key, row[key])
    monthly = (
        Application.objects.filter(
            agency_id__in=rollup.ids,
            received_on__gte=dt.date(year, 1, 1),
            received_on__lte=dt.date(year, 12, 31),
        )
        .annotate(month=ExtractMonth("received_on"))
        .values("agency_id", "month")
        .annotate(n=Count("pk"))
    )
    for month_row in monthly:
        i = rollup.index.get(month_row["agency_id"])
        if i is not None:
            rollup.rows[i].months[month_row["month"] - 1] += month_row["n"]


def _corrections(rollup: Rollup, year: int) -> None:
    decided = ~Q(result=ReviewResult.PENDING)
    for model in (Review, Lawsuit):
        rows = (
            model.objects.filter(application__agency_id__in=rollup.ids, decided_on__year=year)
            .values("application__agency_id")
            .annotate(
                decided=Count("pk", filter=decided),
                corrected=Count("pk", filter=Q(result=ReviewResult.CORRECTED)),
            )
        )
        for row in rows:
            rollup.add(row["application__agency_id"], "decided", row["decided"])
            rollup.add(row["application__agency_id"], "corrected", row["corrected"])


def _catalogue(rollup: Rollup, year: int) -> None:
    rows = (
        CatalogItem.objects.filter(
            agency_id__in=rollup.ids,
            status=ItemStatus.PUBLISHED,
            published_year=year,
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        rollup.add(row["agency_id"], "published", row["n"])


#: The JSON columns of reports and versions the season states do not need (not decoded).
HEAVY = ("data", "manual_cells", "narrative")


def report_states(root: Agency, year: int, today: dt.date) -> list[dict[str, Any]]:
    """Every active agency of the subtree with its report of ``year``: state, due date, late."""
    reports: dict[int, AnnualReport] = {}
    for r in (
        AnnualReport.objects.filter(agency__path__startswith=root.path, year=year)
        .select_related("published_version")
        .defer(*HEAVY, *(f"published_version__{f}" for f in HEAVY))
        .order_by("scope")
    ):
        reports.setdefault(r.agency_id, r)
    out = []
    for agency in Agency.objects.filter(path__startswith=root.path, is_active=True):
        report = reports.get(agency.pk)
        due = statutory_deadline(agency, year)
        state = season_state(report, due, today)
        version = report.published_version if report is not None else None
        late = state == SeasonState.OVERDUE or (version is not None and version.published_on > due)
        out.append({"agency": agency, "state": state, "due": due, "late": late})
    return out


def _season(rollup: Rollup, year: int, today: dt.date) -> list[dict[str, Any]]:
    states = report_states(rollup.root, year - 1, today)
    for entry in states:
        i = rollup.index.get(entry["agency"].pk)
        if i is None:
            continue
        row = rollup.rows[i]
        row.season[entry["state"]] += 1
        row.figures["reports"] += 1
        row.figures["reports_published"] += entry["state"] == SeasonState.PUBLISHED
        row.figures["reports_late"] += entry["late"]
    return states


def _orders(rollup: Rollup, year: int, today: dt.date) -> None:
    awaiting = Q(status__in=AWAITING_ANSWER)
    due = Q(year=year) & (Q(answered_on__isnull=False) | Q(deadline__lt=today))
    rows = (
        Order.objects.filter(agency_id__in=rollup.ids)
        .values("agency_id")
        .annotate(
            open=Count("pk", filter=awaiting),
            due=Count("pk", filter=due),
            in_time=Count("pk", filter=Q(year=year, answered_on__lte=F("deadline"))),
        )
    )
    for row in rows:
        rollup.add(row["agency_id"], "orders_open", row["open"])
        rollup.add(row["agency_id"], "orders_due", row["due"])
        rollup.add(row["agency_id"], "orders_in_time", row["in_time"])


def _tasks(rollup: Rollup, year: int, today: dt.date) -> None:
    rows = (
        Task.objects.filter(agency_id__in=rollup.ids, year=year)
        .values("agency_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(deadline__lt=today)),
            due=Count("pk", filter=Q(deadline__lt=today) | Q(status=TaskStatus.DONE)),
            in_time=Count("pk", filter=Q(status=TaskStatus.DONE, done_on__lte=F("deadline"))),
        )
    )
    for row in rows:
        rollup.add(row["agency_id"], "tasks_due", row["due"])
        rollup.add(row["agency_id"], "tasks_done_in_time", row["in_time"])
        rollup.add(row["agency_id"], "tasks", row["n"])
        rollup.add(row["agency_id"], "tasks_done", row["done"])
        rollup.add(row["agency_id"], "tasks_overdue", row["overdue"])


def _from_aggregates(rollup: Rollup, year: int, today: dt.date) -> None:
    units = [(row.agency.pk, row.own_only) for row in rollup.rows]
    figures = aggregates.unit_figures(units, year=year, today=today, soon=due_soon_until(today))
    for row, unit in zip(rollup.rows, units, strict=True):
        months = figures[unit].pop("months")
        row.months = [a + b for a, b in zip(row.months, months, strict=True)]
        for key, n in figures[unit].items():
            row.figures[key] += n


def fill(
    rollup: Rollup, *, year: int, today: dt.date, recount: bool = False
) -> list[dict[str, Any]]:
    """Count every figure into the rollup's rows; return the report states of ``year - 1``.

    Applications, reviews, lawsuits and catalogue items come from the maintained aggregates
    (``gongkai.stats``), or with ``recount`` from the records.
    """
    if recount:
        _applications(rollup, year, today)
        _corrections(rollup, year)
        _catalogue(rollup, year)
    else:
        _from_aggregates(rollup, year, today)
    states = _season(rollup, year, today)
    _orders(rollup, year, today)
    _tasks(rollup, year, today)
    return states


def freshness_counts(
    rollup: Rollup, rules: list[Any], year: int, today: dt.date, *, recount: bool = False
) -> list[Any]:
    """Add held / stale columns and late items per unit to the rollup; return the stale
    (unit, column) entries (from the aggregates, or with ``recount`` from the records)."""
    held: dict[int, int] = {}
    stale = stale_columns(rollup.root, rules, today, held, ids=rollup.ids, recount=recount)
    for agency_id, n in held.items():
        rollup.add(agency_id, "held_columns", n)
    for entry in stale:
        rollup.add(entry["agency"].pk, "stale_columns", 1)
    for agency_id, counts in late_items(rollup.root, year, ids=rollup.ids, recount=recount).items():
        rollup.add(agency_id, "late_items", counts["late"])
    return stale


def build(
    root: Agency,
    *,
    year: int,
    today: dt.date,
    rules: list[Any] | None = None,
    recount: bool = False,
) -> dict[str, Any]:
    """The dashboard of ``root`` for ``year``: unit rows, totals, monthly volume, late reports,
    and with the column ``rules``, the statutory columns out of date."""
    rollup = Rollup(root)
    states = fill(rollup, year=year, today=today, recount=recount)
    stale = (
        freshness_counts(rollup, rules, year, today, recount=recount) if rules is not None else []
    )
    total = UnitRow(root)
    for row in rollup.rows:
        for key, n in row.figures.items():
            total.figures[key] += n
        total.months = [a + b for a, b in zip(total.months, row.months, strict=True)]
        for key, n in row.season.items():
            total.season[key] += n
    return {
        "root": root,
        "year": year,
        "rows": rollup.rows,
        "total": total,
        "late_reports": [s for s in states if s["late"] and s["state"] != SeasonState.PUBLISHED],
        "season_summary": [(SeasonState(k).label, n) for k, n in total.season.items()],
        "stale": stale,
    }


def unit_label(row: UnitRow) -> str:
    """How charts and tables name a row (the root's own row says so)."""
    name = row.agency.short_name or row.agency.name
    return _("%(name)s（本级）") % {"name": name} if row.own_only else name


def charts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The dashboard's charts for ECharts (``static/reports/charts.js``), each with its text."""
    rows = data["rows"]
    names = [unit_label(r) for r in rows]
    flight = [
        {"name": _("在办"), "values": [r.figures["open"] for r in rows]},
        {"name": _("临期"), "values": [r.figures["due_soon"] for r in rows]},
        {"name": _("超期"), "values": [r.figures["overdue"] for r in rows]},
    ]
    rates = [r.on_time_rate if r.on_time_rate is not None else 0 for r in rows]
    total = data["total"]
    season = [(SeasonState(k).label, n) for k, n in total.season.items() if n]
    return [
        {
            "key": "flight",
            "kind": "bar",
            "title": _("在办申请（按单位）"),
            "categories": names,
            "series": flight,
            "alt": _("见表“各单位情况”的在办、临期、超期列。"),
        },
        {
            "key": "months",
            "kind": "line",
            "title": _("%(year)s年各月收到申请") % {"year": data["year"]},
            "categories": [_("%(m)s月") % {"m": m} for m in range(1, 13)],
            "series": [{"name": _("收件"), "values": total.months}],
            "alt": _("见表“各月收件”。"),
        },
        {
            "key": "on_time",
            "kind": "bar",
            "title": _("按时办结率（%）"),
            "categories": names,
            "series": [{"name": _("按时办结率"), "values": rates}],
            "alt": _("见表“各单位情况”的按时办结率列。"),
        },
        {
            "key": "season",
            "kind": "pie",
            "title": _("%(year)s年度报告进度") % {"year": data["year"] - 1},
            "categories": [str(s[0]) for s in season],
            "series": [{"name": _("年报"), "values": [s[1] for s in season]}],
            "alt": _("见表“年度报告进度”。"),
        },
    ]
