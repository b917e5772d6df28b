"""Report table 二 (主动公开政府信息情况) from the catalogue, in the 2021 and 2019 layouts.

Labels are exactly those of spec §4.2. The result is plain JSON data, keyed so that builders
and validators never depend on positions (docs/decisions/0605-table-two.md)::

    {"layout": "2021", "year": 2025, "agency_id": 7, "scope": "subtree", "agency_count": 100,
     "blocks": [
        {"key": "art20_1", "caption": "第二十条第（一）项",
         "columns": [{"key": "label", "label": "信息内容"},
                     {"key": "issued", "label": "本年制发件数"}, …],
         "rows": [{"key": "regulation", "label": "规章",
                   "values": {"issued": 2, "abolished": 0, "in_force": 17}}, …]},
        …]}

Amounts (本年收费金额) are strings with four decimals in 万元; counts are integers.
Sources: published items of the structured kinds (one item = one decision / document) plus the
periodic counts entered with their source; both are added.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import subtree_filter
from gongkai.catalog.choices import (
    ABOLISHED_VALIDITIES,
    CountMetric,
    ItemStatus,
    StructuredKind,
)
from gongkai.catalog.models import CatalogItem, PeriodicCount

LAYOUTS = ("2021", "2019")
_WAN = Decimal("10000")


def _document_counts(where: Q, year: int) -> dict[str, dict[str, int]]:
    """Per document kind: written this year, published this year, abolished this year,
    in force at the year's end, published in total by the year's end."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = CatalogItem.objects.filter(
        where,
        structured_kind__in=[StructuredKind.REGULATION, StructuredKind.NORMATIVE],
        status=ItemStatus.PUBLISHED,
    )
    written = Q(written_on__range=(start, end))
    published = Q(published_on__range=(start, end))
    abolished = Q(validity__in=list(ABOLISHED_VALIDITIES), abolished_on__range=(start, end))
    exists_by_end = Q(published_on__lte=end)
    still_valid = ~Q(validity__in=list(ABOLISHED_VALIDITIES)) | Q(abolished_on__gt=end)
    rows = base.values("structured_kind").annotate(
        issued=Count("pk", filter=written),
        published=Count("pk", filter=published),
        abolished=Count("pk", filter=abolished),
        in_force=Count("pk", filter=exists_by_end & still_valid),
        total=Count("pk", filter=exists_by_end),
    )
    out: dict[str, dict[str, int]] = {
        k: {"issued": 0, "published": 0, "abolished": 0, "in_force": 0, "total": 0}
        for k in (StructuredKind.REGULATION, StructuredKind.NORMATIVE)
    }
    for r in rows:
        out[r["structured_kind"]] = {
            k: r[k] for k in ("issued", "published", "abolished", "in_force", "total")
        }
    return out


def _decisions_and_amounts(where: Q, year: int) -> dict[tuple[str, str], Decimal]:
    """(kind, metric) -> value for one year: decision items and fee items plus periodic counts."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    values: dict[tuple[str, str], Decimal] = {}
    rows = (
        CatalogItem.objects.filter(
            where,
            status=ItemStatus.PUBLISHED,
            published_on__range=(start, end),
            structured_kind__in=[
                StructuredKind.LICENSING,
                StructuredKind.OTHER_SERVICE,
                StructuredKind.PENALTY,
                StructuredKind.ENFORCEMENT,
                StructuredKind.FEE,
                StructuredKind.PROCUREMENT,
            ],
        )
        .values("structured_kind")
        .annotate(n=Count("pk"), amount=Sum("fee_amount"))
    )
    for r in rows:
        kind = r["structured_kind"]
        if kind == StructuredKind.FEE:
            values[(kind, CountMetric.AMOUNT)] = Decimal(r["amount"] or 0)
        else:
            values[(kind, CountMetric.DECISIONS)] = Decimal(r["n"])
    for pc in (
        PeriodicCount.objects.filter(where, year__in=[year])
        .values("kind", "metric")
        .annotate(total=Sum("value"))
    ):
        key = (pc["kind"], pc["metric"])
        values[key] = values.get(key, Decimal(0)) + Decimal(pc["total"] or 0)
    return values


def _matters(where: Q, year: int) -> dict[str, Decimal]:
    """项目数量 per kind for a year (entered as periodic counts)."""
    return {
        r["kind"]: Decimal(r["total"] or 0)
        for r in PeriodicCount.objects.filter(where, year=year, metric=CountMetric.MATTERS)
        .values("kind")
        .annotate(total=Sum("value"))
    }


def _int(value: Decimal | None) -> int:
    return int(value or 0)


def _wan(value: Decimal | None) -> str:
    return str(((value or Decimal(0)) / _WAN).quantize(Decimal("0.0001")))


def _col(key: str, label: str) -> dict[str, str]:
    return {"key": key, "label": label}


def table_two(
    *, agency: Any, year: int, layout: str = "2021", subtree: bool = True
) -> dict[str, Any]:
    """Return table 二 for ``agency`` (with its subtree unless ``subtree`` is False) and ``year``."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    where = subtree_filter(agency, subtree=subtree)
    docs = _document_counts(where, year)
    vals = _decisions_and_amounts(where, year)
    reg, norm = docs[StructuredKind.REGULATION], docs[StructuredKind.NORMATIVE]
    label = _col("label", "信息内容")

    def decisions(kind: str) -> int:
        return _int(vals.get((kind, CountMetric.DECISIONS)))

    if layout == "2021":
        blocks = [
            {
                "key": "art20_1",
                "caption": "第二十条第（一）项",
                "columns": [
                    label,
                    _col("issued", "本年制发件数"),
                    _col("abolished", "本年废止件数"),
                    _col("in_force", "现行有效件数"),
                ],
                "rows": [
                    {
                        "key": "regulation",
                        "label": "规章",
                        "values": {k: reg[k] for k in ("issued", "abolished", "in_force")},
                    },
                    {
                        "key": "normative",
                        "label": "行政规范性文件",
                        "values": {k: norm[k] for k in ("issued", "abolished", "in_force")},
                    },
                ],
            },
            {
                "key": "art20_5",
                "caption": "第二十条第（五）项",
                "columns": [label, _col("decisions", "本年处理决定数量")],
                "rows": [
                    {
                        "key": "licensing",
                        "label": "行政许可",
                        "values": {"decisions": decisions(StructuredKind.LICENSING)},
                    }
                ],
            },
            {
                "key": "art20_6",
                "caption": "第二十条第（六）项",
                "columns": [label, _col("decisions", "本年处理决定数量")],
                "rows": [
                    {
                        "key": "penalty",
                        "label": "行政处罚",
                        "values": {"decisions": decisions(StructuredKind.PENALTY)},
                    },
                    {
                        "key": "enforcement",
                        "label": "行政强制",
                        "values": {"decisions": decisions(StructuredKind.ENFORCEMENT)},
                    },
                ],
            },
            {
                "key": "art20_8",
                "caption": "第二十条第（八）项",
                "columns": [label, _col("amount_wan", "本年收费金额（单位：万元）")],
                "rows": [
                    {
                        "key": "fee",
                        "label": "行政事业性收费",
                        "values": {
                            "amount_wan": _wan(vals.get((StructuredKind.FEE, CountMetric.AMOUNT)))
                        },
                    }
                ],
            },
        ]
    else:
        now, before = _matters(where, year), _matters(where, year - 1)

        def change(kind: str) -> int:
            return _int(now.get(kind)) - _int(before.get(kind))

        def project_row(key: str, kind: str, label_text: str, with_decisions: bool) -> dict:
            values: dict[str, Any] = {
                "previous_items": _int(before.get(kind)),
                "change": change(kind),
            }
            if with_decisions:
                values["decisions"] = decisions(kind)
            return {"key": key, "label": label_text, "values": values}

        project_cols = [
            label,
            _col("previous_items", "上一年项目数量"),
            _col("change", "本年增/减"),
            _col("decisions", "处理决定数量"),
        ]
        blocks = [
            {
                "key": "art20_1",
                "caption": "第二十条第（一）项",
                "columns": [
                    label,
                    _col("made", "本年新制作数量"),
                    _col("published", "本年新公开数量"),
                    _col("total", "对外公开总数量"),
                ],
                "rows": [
                    {
                        "key": "regulation",
                        "label": "规章",
                        "values": {
                            "made": reg["issued"],
                            "published": reg["published"],
                            "total": reg["total"],
                        },
                    },
                    {
                        "key": "normative",
                        "label": "规范性文件",
                        "values": {
                            "made": norm["issued"],
                            "published": norm["published"],
                            "total": norm["total"],
                        },
                    },
                ],
            },
            {
                "key": "art20_5",
                "caption": "第二十条第（五）项",
                "columns": project_cols,
                "rows": [
                    project_row("licensing", StructuredKind.LICENSING, "行政许可", True),
                    project_row(
                        "other_service", StructuredKind.OTHER_SERVICE, "其他对外管理服务事项", True
                    ),
                ],
            },
            {
                "key": "art20_6",
                "caption": "第二十条第（六）项",
                "columns": project_cols,
                "rows": [
                    project_row("penalty", StructuredKind.PENALTY, "行政处罚", True),
                    project_row("enforcement", StructuredKind.ENFORCEMENT, "行政强制", True),
                ],
            },
            {
                "key": "art20_8",
                "caption": "第二十条第（八）项",
                "columns": project_cols[:3],
                "rows": [project_row("fee", StructuredKind.FEE, "行政事业性收费", False)],
            },
            {
                "key": "art20_9",
                "caption": "第二十条第（九）项",
                "columns": [
                    label,
                    _col("projects", "采购项目数量"),
                    _col("amount", "采购总金额"),
                ],
                "rows": [
                    {
                        "key": "procurement",
                        "label": "政府集中采购",
                        "values": {
                            "projects": _int(now.get(StructuredKind.PROCUREMENT))
                            + decisions(StructuredKind.PROCUREMENT),
                            "amount": str(
                                vals.get(
                                    (StructuredKind.PROCUREMENT, CountMetric.AMOUNT), Decimal(0)
                                ).quantize(Decimal("0.01"))
                            ),
                        },
                    }
                ],
            },
        ]
    return {
        "layout": layout,
        "year": year,
        "agency_id": agency.pk,
        "scope": "subtree" if subtree else "own",
        "agency_count": (
            Agency.objects.filter(path__startswith=agency.path).count() if subtree else 1
        ),
        "blocks": blocks,
    }
