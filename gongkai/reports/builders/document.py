"""The report as a document: six sections with the official headings, prose, tables and charts —
the single structure every export (HTML, PDF, DOCX, XLSX, JSON) is rendered from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import formats
from gongkai.reports.builders.layout import Grid, grids
from gongkai.reports.charts import Chart, build_charts

_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）\S{1,30}$")

#: Which charts stand beside which section (ui.md: "charts beside the figures they show").
CHARTS_BY_SECTION = {"一": ("monthly", "trend"), "三": ("results", "applicants")}


@dataclass
class Paragraph:
    """A paragraph of prose; ``subheading`` for lines such as （一）主动公开."""

    text: str
    subheading: bool = False


@dataclass
class DocSection:
    """One of the six sections."""

    number: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    grid: Grid | None = None
    charts: list[Chart] = field(default_factory=list)


@dataclass
class ReportDocument:
    """Everything an export shows."""

    title: str
    agency: str
    year: int
    scope: str
    fmt: int
    sections: list[DocSection]
    data: Mapping[str, Any]
    narrative: Mapping[str, str]
    correction_note: str = ""
    version: int | None = None
    published_on: str = ""

    def charts(self) -> list[Chart]:
        """Return every chart in the document."""
        return [c for s in self.sections for c in s.charts]

    def charts_data(self) -> list[dict[str, Any]]:
        """Return the charts as JSON data for the page's ECharts script (``json_script``)."""
        return [c.to_json() for c in self.charts()]


def paragraphs(text: str) -> list[Paragraph]:
    """Split prose into paragraphs, recognising sub-headings."""
    out = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if line:
            out.append(Paragraph(line, bool(_SUBHEADING.match(line))))
    return out


def report_title(agency: str, year: int) -> str:
    """Return the usual title, e.g. ``测试市甲局2025年政府信息公开工作年度报告``."""
    return f"{agency}{year}年政府信息公开工作年度报告"


def build_document(
    data: Mapping[str, Any],
    narrative: Mapping[str, str] | None = None,
    *,
    correction_note: str = "",
    version: int | None = None,
    published_on: str = "",
) -> ReportDocument:
    """Assemble the document of a report from its data and prose."""
    narrative = narrative or {}
    agency = (data.get("agency") or {}).get("name") or ""
    year = int(data.get("year") or 0)
    fmt = int(data.get("format") or 2021)
    tables = grids(data)
    charts = {c.key: c for c in build_charts(data)}
    sections = []
    for spec in formats.SECTIONS:
        section = DocSection(spec.number, spec.heading, paragraphs(narrative.get(spec.number, "")))
        if fmt == 2008:
            if spec.number == "三":
                section.grid = tables["统计表"]
        else:
            section.grid = tables.get(spec.number)
        section.charts = [charts[k] for k in CHARTS_BY_SECTION.get(spec.number, ()) if k in charts]
        sections.append(section)
    return ReportDocument(
        title=report_title(agency, year),
        agency=agency,
        year=year,
        scope=str(data.get("scope") or ""),
        fmt=fmt,
        sections=sections,
        data=data,
        narrative=narrative,
        correction_note=correction_note,
        version=version,
        published_on=published_on,
    )
