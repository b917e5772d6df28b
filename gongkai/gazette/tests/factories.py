"""Test helpers: published catalogue documents and compiled issues, through the services."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from gongkai.catalog.choices import Genre, StructuredKind
from gongkai.catalog.tests.factories import make_published
from gongkai.gazette.models import GazetteIssue
from gongkai.gazette.services import issue_add_items, issue_create

TITLES = [
    ("临江市城市供水管理办法", "临府令〔2025〕1号", StructuredKind.REGULATION, Genre.MEASURES),
    (
        "关于印发《临江市优化营商环境实施方案》的通知",
        "临府〔2025〕3号",
        StructuredKind.NORMATIVE,
        Genre.NOTICE,
    ),
    ("关于进一步做好防汛抗旱工作的通知", "临府办〔2025〕7号", StructuredKind.NONE, Genre.NOTICE),
    ("关于加快推进乡村振兴的实施意见", "临府〔2025〕12号", StructuredKind.NORMATIVE, Genre.OPINION),
    ("临江市全民健身实施细则", "临体〔2025〕2号", StructuredKind.NORMATIVE, Genre.RULES),
]


def make_documents(agencies: list[Any], n: int = 5) -> list[Any]:
    """``n`` published documents with 文号, spread over ``agencies``."""
    items = []
    for i in range(n):
        title, number, kind, genre = TITLES[i % len(TITLES)]
        items.append(
            make_published(
                agencies[i % len(agencies)],
                title=title if i < len(TITLES) else f"{title}（{i}）",
                doc_number=number if i < len(TITLES) else f"{number[:-1]}{i}号",
                structured_kind=kind,
                genre=genre,
                written_on=dt.date(2025, 3, 1 + i),
            )
        )
    return items


def make_issue(
    agency: Any, items: list[Any], *, by: Any, year: int = 2025, **values: Any
) -> GazetteIssue:
    """A draft issue of ``agency`` carrying ``items``, compiled by ``by``."""
    values.setdefault("issue_date", dt.date(year, 4, 1))
    issue = issue_create(by=by, agency=agency, year=year, **values)
    if items:
        issue_add_items(by=by, issue=issue, items=items)
    return issue


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back with pdfminer."""
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))
