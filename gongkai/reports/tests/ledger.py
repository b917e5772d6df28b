"""Test data for the report: ledgers of applications, reviews and lawsuits inserted in bulk.

Cases are inserted directly (not through the registration service) so that property tests can
draw hundreds of random ledgers quickly; the fields the report reads are exactly those the
services maintain (``received_on``, ``closed_on``, ``result``, ``applicant_type``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    LawsuitKind,
    Result,
    ReviewResult,
    Status,
)
from gongkai.applications.models import Application, Lawsuit, Review

_serial = itertools.count(1)


@dataclass(frozen=True)
class Case:
    """One ledger line: when received, the applicant type, and the result with its date."""

    received_on: dt.date
    applicant_type: str
    result: str | None = None
    closed_on: dt.date | None = None


def insert_cases(agency: Any, cases: list[Case]) -> list[Application]:
    """Insert ``cases`` for ``agency`` in one bulk statement and return them."""
    objs = []
    for c in cases:
        n = next(_serial)
        objs.append(
            Application(
                agency=agency,
                registration_year=c.received_on.year,
                registration_number=f"T{n:08d}",
                channel=Channel.ONLINE,
                arrived_on=c.received_on,
                received_on=c.received_on,
                applicant_type=c.applicant_type,
                applicant_name=f"申请人{n}",
                description="测试申请",
                status=Status.CLOSED if c.result else Status.HANDLING,
                result=c.result,
                closed_on=c.closed_on if c.result else None,
                applicant_key=f"k{n}",
            )
        )
    return Application.objects.bulk_create(objs)


def add_review(
    application: Application,
    applied_on: dt.date,
    result: str = ReviewResult.PENDING,
    decided_on: dt.date | None = None,
) -> Review:
    """Record a 行政复议 of ``application``."""
    return Review.objects.create(
        application=application,
        body="测试市人民政府",
        applied_on=applied_on,
        result=result,
        decided_on=decided_on,
    )


def add_lawsuit(
    application: Application,
    filed_on: dt.date,
    kind: str = LawsuitKind.DIRECT,
    result: str = ReviewResult.PENDING,
    decided_on: dt.date | None = None,
) -> Lawsuit:
    """Record a 行政诉讼 about ``application``."""
    return Lawsuit.objects.create(
        application=application,
        kind=kind,
        court="测试市中级人民法院",
        filed_on=filed_on,
        result=result,
        decided_on=decided_on,
    )


def standard_ledger(agency: Any, year: int = 2025) -> list[Application]:
    """A small fixed ledger with every kind of case for ``year`` (and one carried in)."""
    d = dt.date
    cases = [
        Case(d(year - 1, 12, 20), ApplicantType.PERSON),  # carried in, still open
        Case(d(year - 1, 12, 10), ApplicantType.BUSINESS, Result.R1_OPEN, d(year, 1, 8)),
        Case(d(year, 1, 5), ApplicantType.PERSON, Result.R1_OPEN, d(year, 1, 20)),
        Case(d(year, 2, 5), ApplicantType.PERSON, Result.R1_OPEN, d(year, 2, 20)),
        Case(d(year, 3, 5), ApplicantType.PERSON, Result.R2_PARTIAL, d(year, 3, 25)),
        Case(d(year, 3, 6), ApplicantType.LEGAL_SERVICE, Result.R4_1, d(year, 3, 26)),
        Case(d(year, 5, 6), ApplicantType.RESEARCH, Result.R3_1, d(year, 5, 26)),
        Case(d(year, 6, 6), ApplicantType.PERSON, Result.R5_2, d(year, 6, 16)),
        Case(d(year, 7, 6), ApplicantType.PUBLIC_INTEREST, Result.R6_1, d(year, 8, 16)),
        Case(d(year, 9, 6), ApplicantType.OTHER_ORG, Result.R6_3, d(year, 9, 10)),
        Case(d(year, 12, 20), ApplicantType.PERSON),  # carried forward
        Case(d(year, 12, 21), ApplicantType.PERSON, Result.R1_OPEN, d(year + 1, 1, 5)),
    ]
    apps = insert_cases(agency, cases)
    add_review(apps[2], d(year, 3, 1), ReviewResult.UPHELD, d(year, 5, 1))
    add_review(apps[3], d(year, 11, 1), ReviewResult.CORRECTED, d(year + 1, 1, 10))
    add_lawsuit(apps[4], d(year, 6, 1), LawsuitKind.DIRECT, ReviewResult.OTHER, d(year, 9, 1))
    add_lawsuit(apps[5], d(year, 7, 1), LawsuitKind.AFTER_REVIEW)
    return apps
