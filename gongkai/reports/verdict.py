"""The 年报体检 verdict stored on each published version (decision 2004): the checks of
``compute.report_checks`` run once when the version is published, against the unit's published
report of the year before (本机关 scope preferred), so the scorecard reads the verdict instead
of re-running the checks for every unit on every view. A verdict is current while the year
before's published version is still the one it was checked against; otherwise it is re-run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.reports.compute import report_checks
from gongkai.reports.models import AnnualReport, ReportVersion, VersionVerdict

#: One stored failure: ``[is_hard, message]``.
Stored = list[list[Any]]


def run(data: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Stored:
    """The checks of ``data`` (against ``previous``) in the stored form."""
    return [[f.is_hard, f.message] for f in report_checks(data, previous)]


def published_ids(agency_ids: Iterable[int], years: list[int]) -> dict[tuple[int, int], int]:
    """(agency, year) → the id of its published version (本机关 scope preferred)."""
    out: dict[tuple[int, int], int] = {}
    rows = (
        AnnualReport.objects.published()
        .filter(agency_id__in=list(agency_ids), year__in=years)
        .order_by("-scope")  # OWN before CONSOLIDATED
        .values_list("agency_id", "year", "published_version_id")
    )
    for agency_id, year, version_id in rows:
        out.setdefault((agency_id, year), version_id)
    return out


def store(version: ReportVersion) -> VersionVerdict:
    """Run and store the checks of a version just published."""
    report = version.report
    before = published_ids([report.agency_id], [report.year - 1]).get(
        (report.agency_id, report.year - 1)
    )
    previous = ReportVersion.objects.get(pk=before).data if before is not None else None
    return VersionVerdict.objects.create(
        version=version, checks=run(version.data, previous), checked_against=before
    )


def verdicts(agency_ids: list[int], year: int) -> dict[int, Stored]:
    """Per unit with a published report of ``year``: its stored verdict, re-run (not stored)
    where none is stored or the year before's published version has changed since."""
    ids = published_ids(agency_ids, [year, year - 1])
    mine = {a: ids[(a, year)] for a in agency_ids if (a, year) in ids}
    stored = VersionVerdict.objects.filter(version_id__in=list(mine.values())).values_list(
        "version_id", "checks", "checked_against"
    )
    by_version = {pk: (checks, against) for pk, checks, against in stored}
    out: dict[int, Stored] = {}
    stale = []
    for agency_id, version_id in mine.items():
        checks, against = by_version.get(version_id, (None, None))
        if checks is not None and against == ids.get((agency_id, year - 1)):
            out[agency_id] = checks
        else:
            stale.append(agency_id)
    if stale:
        wanted = [mine[a] for a in stale] + [
            ids[(a, year - 1)] for a in stale if (a, year - 1) in ids
        ]
        data = dict(ReportVersion.objects.filter(pk__in=wanted).values_list("pk", "data"))
        for agency_id in stale:
            before = ids.get((agency_id, year - 1))
            out[agency_id] = run(data[mine[agency_id]], data[before] if before else None)
    return out
