"""Reads of the gazette: what the office compiles from, what the portal and the report show."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.catalog.choices import DOCUMENT_KINDS, Genre, StructuredKind
from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor
from gongkai.gazette.choices import SECTION_ORDER, IssueKind, Section
from gongkai.gazette.models import Distribution, GazetteEntry, GazetteIssue

#: Genres a gazette prints (besides every 规章 and 行政规范性文件): decision record 2101.
GAZETTE_GENRES = frozenset(
    {
        Genre.NOTICE,
        Genre.OPINION,
        Genre.MEASURES,
        Genre.PROVISIONS,
        Genre.RULES,
        Genre.DECISION,
        Genre.ANNOUNCEMENT,
        Genre.PUBLIC_NOTICE,
        Genre.CIRCULAR,
        Genre.PLAN,
        Genre.SCHEME,
        Genre.REPLY,
        Genre.ORDER,
    }
)


def eligible_items(agency: Any) -> QuerySet[CatalogItem]:
    """Published catalogue items of ``agency``'s tree of the kinds a gazette carries."""
    kinds = Q(structured_kind__in=DOCUMENT_KINDS) | Q(genre__in=GAZETTE_GENRES)
    return (
        CatalogItem.objects.public()
        .of_subtree(agency)
        .filter(kinds)
        .select_related("agency")
        .order_by("-published_on", "-id")
    )


def default_section(item: CatalogItem, government: Any) -> str:
    """The section an item goes to unless the editor chooses another."""
    if item.structured_kind == StructuredKind.REGULATION or item.genre == Genre.ORDER:
        return Section.REGULATION
    if "任免" in item.title:
        return Section.PERSONNEL
    if item.agency_id == government.pk:
        return Section.GOVERNMENT
    if item.agency.parent_id == government.pk and item.agency.is_disclosure_office:
        return Section.OFFICE
    return Section.DEPARTMENT


def ordered_entries(issue: GazetteIssue) -> list[GazetteEntry]:
    """The issue's entries in print order: by section, then by the editor's position."""
    entries = list(issue.entries.select_related("catalog_item", "corrects__issue"))
    entries.sort(key=lambda e: (SECTION_ORDER.get(e.section, 99), e.position, e.pk))
    return entries


@dataclass
class ContentsSection:
    """One section of the table of contents."""

    label: str
    entries: list[GazetteEntry]


def contents(issue: GazetteIssue) -> list[ContentsSection]:
    """The table of contents: the sections that have entries, each with its entries in order."""
    grouped: OrderedDict[str, list[GazetteEntry]] = OrderedDict()
    for entry in ordered_entries(issue):
        grouped.setdefault(entry.section, []).append(entry)
    return [ContentsSection(str(Section(k).label), v) for k, v in grouped.items()]


def office_issues(user: Actor) -> QuerySet[GazetteIssue]:
    """The issues in the staff member's scope, newest first, with their entry counts."""
    return (
        GazetteIssue.objects.visible_to(user)
        .select_related("agency")
        .annotate(entry_count=Count("entries"))
    )


# -- public -----------------------------------------------------------------------------------


def public_issues(year: int | None = None) -> QuerySet[GazetteIssue]:
    """Published issues (of one year), newest first."""
    qs = GazetteIssue.objects.published().select_related("agency")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-issue_date", "-total_number")


def archive_years() -> list[dict[str, Any]]:
    """Years with published issues and their counts, newest first."""
    return [
        dict(row)
        for row in GazetteIssue.objects.published()
        .values("year")
        .annotate(issues=Count("pk"))
        .order_by("-year")
    ]


def public_issue(uid: str) -> GazetteIssue | None:
    """A published issue by its permanent identifier."""
    return public_issues().filter(uid=uid).first()


def public_entry(uid: str) -> GazetteEntry | None:
    """A gazette item of a published issue by its permanent identifier."""
    return (
        GazetteEntry.objects.filter(uid=uid, issue__in=GazetteIssue.objects.published())
        .select_related("issue__agency", "catalog_item", "corrects__issue")
        .first()
    )


def entries_for_item(item_id: int) -> list[GazetteEntry]:
    """The published gazette items that printed catalogue item ``item_id``."""
    return list(
        GazetteEntry.objects.filter(
            catalog_item_id=item_id, issue__in=GazetteIssue.objects.published()
        ).select_related("issue__agency")
    )


def issue_by_digest(digest: str) -> GazetteIssue | None:
    """The published issue whose PDF has SHA-256 ``digest`` (lowercase hex)."""
    return public_issues().filter(pdf_sha256=digest.lower()).first()


def latest_entries(limit: int = 50) -> list[GazetteEntry]:
    """The newest published gazette items (for the feed)."""
    return list(
        GazetteEntry.objects.filter(issue__in=GazetteIssue.objects.published())
        .select_related("issue__agency", "catalog_item")
        .order_by("-issue__published_at", "position", "id")[:limit]
    )


# -- figures for the annual report -------------------------------------------------------------


def year_figures(agency: Any, year: int, *, consolidated: bool = False) -> dict[str, int]:
    """公报 figures of a year: issues (of which 增刊/特刊), copies printed, documents printed."""
    issues = GazetteIssue.objects.published().filter(year=year)
    issues = issues.of_subtree(agency) if consolidated else issues.filter(agency=agency)
    agg = issues.aggregate(
        issues=Count("pk"),
        extra=Count("pk", filter=~Q(kind=IssueKind.REGULAR)),
        copies=Sum("print_run"),
    )
    documents = (
        GazetteEntry.objects.filter(issue__in=issues).exclude(section=Section.CORRECTION).count()
    )
    return {
        "issues": agg["issues"] or 0,
        "extra_issues": agg["extra"] or 0,
        "copies": agg["copies"] or 0,
        "documents": documents,
    }


def distribution_total(issue: GazetteIssue) -> int:
    """Copies sent out under the issue's distribution list."""
    return Distribution.objects.filter(issue=issue).aggregate(n=Sum("copies"))["n"] or 0
