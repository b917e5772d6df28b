"""Scorecard figures that the dashboard does not count (decision 2004): whether each unit's
published annual report of the year before passes the 年报体检 (``reports.compute.report_checks``),
and whether its 政府信息公开指南 was published or revised in the year.

The guide is a catalogue item of the 政府信息公开制度 column whose title names the
政府信息公开指南 (the platform keeps no separate guide record; the portal's generated guide page
is derived from the agency's data and has no revision date).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongkai.catalog.choices import ItemStatus, PortalColumn
from gongkai.catalog.models import CatalogItem, ItemVersion
from gongkai.reports import verdict

#: How a catalogue item is recognised as the unit's disclosure guide (in its column).
GUIDE_TITLE = "政府信息公开指南"


@dataclass(frozen=True)
class ReportCheck:
    """The 年报体检 of one unit's published report: failures of hard and soft checks."""

    year: int
    hard: int
    soft: int
    messages: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """No check failed."""
        return not self.hard and not self.soft


def report_checks_of(agency_ids: list[int], year: int) -> dict[int, ReportCheck]:
    """Per unit with a published report of ``year``: the 年报体检 of its published figures (and,
    against its published report of the year before, the cross-year ones), as stored on the
    published version (``reports.verdict``)."""
    out = {}
    for agency_id, failures in verdict.verdicts(agency_ids, year).items():
        hard = sum(bool(is_hard) for is_hard, _message in failures)
        out[agency_id] = ReportCheck(
            year, hard, len(failures) - hard, tuple(message for _hard, message in failures)
        )
    return out


def guides_updated(agency_ids: list[int], year: int) -> dict[int, Any]:
    """Per unit whose guide was published or revised in ``year``: the latest such date.

    Reads the units' published items of the 政府信息公开制度 column first (index
    ``catalog_column_idx``: a few items per unit, never the whole catalogue), then the versions
    of those items only."""
    guides = dict(
        CatalogItem.objects.filter(
            portal_column=PortalColumn.RULES,
            status=ItemStatus.PUBLISHED,
            agency_id__in=agency_ids,
            title__contains=GUIDE_TITLE,
        )
        .order_by()
        .values_list("pk", "agency_id")
    )
    out: dict[int, Any] = {}

    def note(agency_id: int, on: Any) -> None:
        if on is not None and on.year == year:
            out[agency_id] = max(out.get(agency_id, on), on)

    items = CatalogItem.objects.filter(pk__in=list(guides), published_year=year).order_by()
    for agency_id, on in items.values_list("agency_id", "published_on"):
        note(agency_id, on)
    versions = ItemVersion.objects.filter(item_id__in=list(guides)).order_by()
    for item_id, at in versions.values_list("item_id", "created_at"):
        note(guides[item_id], timezone.localdate(at))
    return out
