"""Reads for report pages: lists, the compilation-season board, discrepancies after
publication, and the document of a report or of one of its published versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from gongkai.accounts.permissions import agencies_for
from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor
from gongkai.reports import compute
from gongkai.reports.builders.document import ReportDocument, build_document
from gongkai.reports.choices import ReportStatus, Scope, SeasonState
from gongkai.reports.models import AnnualReport, Reminder, ReportVersion, SeasonSetting
from gongkai.reports.schema import table2_format


def office_reports(user: Actor) -> Any:
    """Reports the staff member may see, newest year first."""
    return AnnualReport.objects.visible_to(user).select_related("agency", "published_version")


def statutory_deadline(agency: Agency, year: int) -> dt.date:
    """31 January for departments, 31 March for governments, of the following year (第四十九条)."""
    if agency.kind == AgencyKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def deadline_for(agency: Agency, year: int, setting: SeasonSetting | None) -> dt.date:
    """Return the agency's deadline: the local earlier date if its government set one."""
    due = statutory_deadline(agency, year)
    if setting is not None:
        local = (
            setting.government_due_on
            if agency.kind == AgencyKind.GOVERNMENT
            else setting.department_due_on
        )
        if local is not None and local < due:
            return local
    return due


def season_state(report: AnnualReport | None, due: dt.date, today: dt.date) -> str:
    """Return the board state of a report: 未开始, 编制中, 待审核, 已发布 or 逾期."""
    if report is not None and report.published_version_id:
        return SeasonState.PUBLISHED
    if today > due:
        return SeasonState.OVERDUE
    if report is None:
        return SeasonState.NOT_STARTED
    if report.status in (ReportStatus.IN_REVIEW, ReportStatus.IN_APPROVAL):
        return SeasonState.AWAITING_REVIEW
    return SeasonState.DRAFTING


@dataclass
class SeasonRow:
    """One agency on the compilation-season board."""

    agency: Agency
    report: AnnualReport | None
    due: dt.date
    state: str
    reminders: int
    last_reminder: Any

    @property
    def state_label(self) -> str:
        """The Chinese state."""
        return str(SeasonState(self.state).label)


def season_governments(user: Actor) -> Any:
    """Governments whose compilation season the staff member may run."""
    return agencies_for(user, "report.season").filter(kind=AgencyKind.GOVERNMENT)


def consolidated_report(rows: list[SeasonRow], government: Agency) -> AnnualReport | None:
    """The government's 汇总 report among the board's rows (None before it is opened)."""
    return next(
        (
            r.report
            for r in rows
            if r.agency.pk == government.pk and r.report and r.report.scope == Scope.CONSOLIDATED
        ),
        None,
    )


def season_board(government: Agency, year: int, *, today: dt.date) -> list[SeasonRow]:
    """Every agency of the government's subtree with its report state and deadline (4 queries)."""
    setting = SeasonSetting.objects.filter(government=government, year=year).first()
    agencies = list(Agency.objects.subtree_of(government).filter(is_active=True).order_by("path"))
    reports: dict[int, AnnualReport] = {}
    for r in AnnualReport.objects.filter(
        agency__path__startswith=government.path, year=year
    ).order_by("scope"):
        wanted = Scope.CONSOLIDATED if r.agency.kind == AgencyKind.GOVERNMENT else Scope.OWN
        if r.agency_id not in reports or r.scope == wanted:
            reports[r.agency_id] = r
    reminders = {
        row["agency"]: row
        for row in Reminder.objects.filter(government=government, year=year)
        .values("agency")
        .annotate(n=Count("pk"), last=Max("sent_at"))
    }
    rows = []
    for agency in agencies:
        report = reports.get(agency.pk)
        due = deadline_for(agency, year, setting)
        reminder: Mapping[str, Any] = reminders.get(agency.pk) or {}
        rows.append(
            SeasonRow(
                agency=agency,
                report=report,
                due=due,
                state=season_state(report, due, today),
                reminders=reminder.get("n", 0),
                last_reminder=reminder.get("last"),
            )
        )
    return rows


def season_counts(rows: list[SeasonRow]) -> list[dict[str, Any]]:
    """Count the board's rows by state, in the order of :class:`SeasonState`."""
    return [
        {"state": s.value, "label": s.label, "count": sum(1 for r in rows if r.state == s.value)}
        for s in SeasonState
    ]


def discrepancies(report: AnnualReport) -> list[dict[str, Any]]:
    """Return the cells whose figures in the record now differ from the published version.

    Recomputes from the record with the version's hand-entered cells; empty when the report has
    no published version or was not computed by the platform.
    """
    version = report.published_version
    if version is None or not report.is_computed:
        return []
    current = compute.compute_report(
        report.agency,
        report.year,
        consolidated=report.is_consolidated,
        manual_cells=version.manual_cells,
    )
    t2 = table2_format(version.data)
    out = []
    for cell in compute.valid_cells(report.format, t2):
        published, now = compute.get_cell(version.data, cell), compute.get_cell(current, cell)
        if published != now:
            out.append(
                {
                    "cell": cell,
                    "label": compute.cell_label(report.format, cell, t2),
                    "published": published,
                    "current": now,
                }
            )
    return out


def report_document(report: AnnualReport, version: ReportVersion | None = None) -> ReportDocument:
    """Return the document of the working copy, or of a published version."""
    if version is not None:
        return build_document(
            version.data,
            version.narrative,
            correction_note=version.correction_note,
            version=version.number,
            published_on=f"{version.published_on:%Y年%-m月%-d日}",
        )
    return build_document(report.data, report.narrative, correction_note=report.correction_note)


def public_reports(agency_id: int | None = None) -> Any:
    """Published reports for the portal's 政府信息公开年报 column, newest first."""
    qs = AnnualReport.objects.published().select_related("agency", "published_version")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.filter(agency__is_active=True).order_by("-year", "agency__path", "scope")


def public_report(pk: int) -> AnnualReport | None:
    """A published report for the portal (None if missing or unpublished)."""
    return public_reports().filter(pk=pk).first()


def public_version(report: AnnualReport, number: int) -> ReportVersion | None:
    """One published version of a report."""
    return report.versions.filter(number=number).first()


def reminders_for(report: AnnualReport) -> Any:
    """Reminders the agency received about this year's report."""
    return Reminder.objects.filter(agency_id=report.agency_id, year=report.year).select_related(
        "government"
    )
