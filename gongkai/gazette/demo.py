"""Demo gazette: two years of the city government's 公报 from the demo catalogue (small: five
issues, a 增刊 and a 更正 among them), published by the platform."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.actors import SYSTEM
from gongkai.gazette.choices import IssueKind
from gongkai.gazette.models import GazetteIssue
from gongkai.gazette.selectors import eligible_items
from gongkai.gazette.services import (
    issue_add_correction,
    issue_add_items,
    issue_create,
    issue_publish,
    issue_set_distribution,
)

#: (year, kind, month, print run) of the demo issues.
ISSUES = [
    (2024, IssueKind.REGULAR, 6, 3000),
    (2024, IssueKind.REGULAR, 12, 3000),
    (2025, IssueKind.REGULAR, 6, 4000),
    (2025, IssueKind.SUPPLEMENT, 9, 1000),
    (2025, IssueKind.REGULAR, 12, 4000),
]
RECIPIENTS = [("市直各单位", 0.5), ("各区县人民政府", 0.3), ("市图书馆、市档案馆", 0.1)]
PER_ISSUE = 4


def build_gazette_demo(city: Any) -> int:
    """Publish the demo issues of ``city``'s gazette; return how many (0 if any exist)."""
    if GazetteIssue.objects.exists():
        return 0
    used: set[int] = set()
    published: list[Any] = []
    for year, kind, month, run in ISSUES:
        candidates = eligible_items(city).filter(published_year=year).exclude(doc_number="")
        items = list(candidates.exclude(pk__in=used)[:PER_ISSUE])
        if not items:
            continue
        used.update(i.pk for i in items)
        issue = issue_create(
            by=SYSTEM, agency=city, year=year, kind=kind, issue_date=dt.date(year, month, 28),
            print_run=run,
        )  # fmt: skip
        issue_add_items(by=SYSTEM, issue=issue, items=items)
        issue_set_distribution(
            by=SYSTEM, issue=issue, rows=[(name, int(run * share)) for name, share in RECIPIENTS]
        )
        if (
            published
            and year == 2025
            and kind == IssueKind.REGULAR
            and month == 12
            and (earlier := published[-1].entries.order_by("position").first())
        ):
            issue_add_correction(
                by=SYSTEM, issue=issue, corrected=earlier,
                text=f"本刊刊登的《{earlier.title}》中，落款日期有误，特此更正。",
            )  # fmt: skip
        published.append(issue_publish(by=SYSTEM, issue=issue))
    return len(published)
