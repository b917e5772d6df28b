"""Reads of the catalogue for the portal, feeds, sitemap, API and office lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gongkai.catalog.choices import (
    FindingStatus,
    Genre,
    ItemStatus,
    PortalColumn,
    StatutoryItem,
    Validity,
)
from gongkai.catalog.models import (
    Attachment,
    CatalogItem,
    Category,
    CategoryScheme,
    PeriodicCount,
    SensitiveFinding,
)
from gongkai.core.actors import Actor
from gongkai.core.params import int_param, text_param, year_param

#: Columns fetched for list rows (never the body).
LIST_FIELDS = (
    "id",
    "title",
    "index_number",
    "doc_number",
    "published_on",
    "written_on",
    "genre",
    "validity",
    "agency_id",
    "agency__name",
    "category_id",
    "statutory_item",
)


@dataclass
class PublicFilters:
    """The filters of the public document list (all optional)."""

    agency: int | None = None
    category: int | None = None
    year: int | None = None
    genre: str = ""
    validity: str = ""
    statutory_item: int | None = None
    column: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data: Any) -> PublicFilters:
        """Read filters from a QueryDict, ignoring values that are not valid."""

        def number(name: str) -> int | None:
            return int_param(data, name, lenient=True)

        genre = text_param(data, "genre")
        validity = text_param(data, "validity")
        column = text_param(data, "column")
        statutory = number("item")
        return cls(
            agency=number("agency"),
            category=number("category"),
            year=year_param(data, lenient=True),
            genre=genre if genre in Genre.values else "",
            validity=validity if validity in Validity.values else "",
            statutory_item=statutory if statutory in StatutoryItem.values else None,
            column=column if column in PortalColumn.values else "",
            q=text_param(data, "q", max_length=50),
        )

    def as_query(self, **override: Any) -> dict[str, Any]:
        """The filters as query parameters (for links that change one of them)."""
        values = {
            "agency": self.agency,
            "category": self.category,
            "year": self.year,
            "genre": self.genre,
            "validity": self.validity,
            "item": self.statutory_item,
            "column": self.column,
            "q": self.q,
        }
        values.update(override)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _category_ids(category_id: int) -> list[int]:
    """A class and its sub-classes."""
    return [
        category_id,
        *Category.objects.filter(parent_id=category_id).values_list("pk", flat=True),
    ]


def public_items(filters: PublicFilters | None = None) -> QuerySet[CatalogItem]:
    """Published 主动公开 items matching the filters, newest first (list columns only)."""
    f = filters or PublicFilters()
    qs = CatalogItem.objects.public()
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.category:
        qs = qs.filter(category_id__in=_category_ids(f.category))
    if f.year:
        qs = qs.filter(published_on__range=(dt.date(f.year, 1, 1), dt.date(f.year, 12, 31)))
    if f.genre:
        qs = qs.filter(genre=f.genre)
    if f.validity:
        qs = qs.filter(validity=f.validity)
    if f.statutory_item:
        qs = qs.filter(statutory_item=f.statutory_item)
    if f.column:
        qs = qs.filter(portal_column=f.column)
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(doc_number__contains=f.q))
    return qs.order_by("-published_on", "-id")


@dataclass
class Facet:
    """Counts of the filtered list per value of one dimension."""

    name: str
    options: list[tuple[Any, str, int]] = field(default_factory=list)


def public_facets(filters: PublicFilters) -> list[Facet]:
    """Counts per year, genre and validity within the other active filters (one query each)."""
    facets = []
    specs = [
        ("year", "published_year", None),
        ("genre", "genre", Genre),
        ("validity", "validity", Validity),
    ]
    for name, column, choices in specs:
        others = PublicFilters(**{**filters.__dict__, name: None if name == "year" else ""})
        rows = (
            public_items(others)
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .order_by(f"-{column}" if name == "year" else column)
        )
        options = []
        for r in rows:
            value = r[column]
            if value in (None, ""):
                continue
            label = str(value) if choices is None else str(choices(value).label)
            options.append((value, label, r["n"]))
        facets.append(Facet(name, options))
    return facets


def public_item(pk: int) -> CatalogItem | None:
    """A published item with everything its page shows, or None."""
    return (
        CatalogItem.objects.public()
        .select_related("agency", "category__parent", "replaced_by", "cleanup")
        .prefetch_related(
            "co_issuers",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.only(
                    "id", "item_id", "name", "kind", "size", "sort_order"
                ),
            ),
            Prefetch(
                "interpretations",
                queryset=CatalogItem.objects.public().only("id", "title", "published_on"),
            ),
            Prefetch(
                "interprets",
                queryset=CatalogItem.objects.public().only("id", "title", "published_on"),
            ),
            "versions",
        )
        .filter(pk=pk)
        .first()
    )


def public_attachment(item_pk: int, pk: int) -> Attachment | None:
    """An attachment of a published item, or None."""
    return (
        Attachment.objects.filter(pk=pk, item_id=item_pk, item__in=CatalogItem.objects.public())
        .only("id", "file", "name", "kind", "item_id")
        .first()
    )


def statutory_overview(agency_id: int | None = None) -> list[dict[str, Any]]:
    """Each 第二十条 item with its number of published items (for 法定主动公开内容)."""
    qs = CatalogItem.objects.public().filter(statutory_item__isnull=False)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    counts = dict(qs.order_by().values_list("statutory_item").annotate(n=Count("pk")))
    return [
        {"value": item.value, "label": item.label, "count": counts.get(item.value, 0)}
        for item in StatutoryItem
    ]


def subject_categories(agency_id: int | None = None) -> list[dict[str, Any]]:
    """Top-level subject classes with their number of published items."""
    scheme = CategoryScheme.objects.filter(is_subject=True).first()
    if scheme is None:
        return []
    qs = CatalogItem.objects.public()
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    per_cat = dict(qs.order_by().values_list("category_id").annotate(n=Count("pk")))
    tops = list(scheme.categories.filter(parent=None).prefetch_related("children"))
    out = []
    for c in tops:
        n = per_cat.get(c.pk, 0) + sum(per_cat.get(ch.pk, 0) for ch in c.children.all())
        out.append({"category": c, "count": n})
    return out


def latest_public(
    *, agency_id: int | None = None, category_id: int | None = None, limit: int = 30
) -> list[CatalogItem]:
    """The newest published items (for feeds)."""
    qs = CatalogItem.objects.public().select_related("agency", "category")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if category_id:
        qs = qs.filter(category_id__in=_category_ids(category_id))
    return list(qs.order_by("-published_at", "-id")[:limit])


def office_items(user: Actor, *, status: str = "") -> QuerySet[CatalogItem]:
    """Items in the staff member's scope (optionally of one status), newest first."""
    qs = CatalogItem.objects.visible_to(user).select_related("agency")
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def office_queue_counts(user: Actor) -> dict[str, int]:
    """Counts per status in the staff member's scope (the office's work queue)."""
    rows = (
        CatalogItem.objects.visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def open_findings(item: CatalogItem) -> QuerySet[SensitiveFinding]:
    """Findings still blocking approval."""
    return item.findings.filter(status=FindingStatus.OPEN)


def periodic_counts(*, agency: Any, year: int) -> QuerySet[PeriodicCount]:
    """The counts entered for table 二 of an (already access-checked) agency and year."""
    return PeriodicCount.objects.filter(agency=agency, year=year)


def late_publications(*, agency_ids: list[int], year: int) -> dict[str, int]:
    """第二十六条: items published in ``year`` more than 20 working days after 成文日期."""
    qs = CatalogItem.objects.filter(
        agency_id__in=agency_ids,
        status=ItemStatus.PUBLISHED,
        published_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    )
    return qs.aggregate(
        published=Count("pk"),
        late=Count("pk", filter=Q(is_late=True)),
        provisional=Count("pk", filter=Q(is_late=True, delay_provisional=True)),
    )


def interpretation_count(agency: Any, year: int, *, consolidated: bool = False) -> int:
    """政策解读 published in ``year`` by ``agency`` (or its whole tree when consolidated)."""
    qs = CatalogItem.objects.public().filter(genre=Genre.INTERPRETATION, published_year=year)
    qs = qs.of_subtree(agency) if consolidated else qs.filter(agency=agency)
    return qs.count()
