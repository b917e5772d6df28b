"""Statistics selectors: fixed examples, query counts, and property tests on random ledgers."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.choices import ApplicantType, Result
from gongkai.reports import formats, statistics
from gongkai.reports.checks import run_checks
from gongkai.reports.compute import compute_report
from gongkai.reports.tests.ledger import Case, insert_cases, standard_ledger

YEAR = 2025
COLS = list(statistics.APPLICANT_COLUMNS)


def _row(table, key):
    return table[key]


@pytest.mark.django_db
def test_standard_ledger_counts_every_row(tree):
    """New, carried in, results by closing date and carried forward follow the counting rules."""
    standard_ledger(tree.dept_a)
    t = statistics.table3(tree.dept_a, YEAR)
    assert t["new"] == [6, 0, 1, 1, 1, 1, 10]
    assert t["carried_in"] == [1, 1, 0, 0, 0, 0, 2]
    assert t["r1_open"] == [2, 1, 0, 0, 0, 0, 3]
    assert t["r4_1"][4] == 1 and t["r3_1"][2] == 1 and t["r6_1"][3] == 1 and t["r6_3"][5] == 1
    assert t["r7_total"][6] == 9
    assert t["carried_out"] == [3, 0, 0, 0, 0, 0, 3]
    t4 = statistics.table4(tree.dept_a, YEAR)
    assert t4["行政复议"] == [1, 0, 0, 1, 2]  # the correction decided in 2026 is 尚未审结
    assert t4["未经复议直接起诉"] == [0, 0, 1, 0, 1]
    assert t4["复议后起诉"] == [0, 0, 0, 1, 1]


@pytest.mark.django_db
def test_consolidated_scope_covers_the_subtree_only(tree):
    """汇总 adds the agency's whole subtree through the materialised path; 本机关 does not."""
    standard_ledger(tree.district_dept)
    standard_ledger(tree.dept_b)
    assert statistics.table3(tree.district, YEAR)["new"][6] == 0
    assert statistics.table3(tree.district, YEAR, consolidated=True)["new"][6] == 10
    assert statistics.table3(tree.city, YEAR, consolidated=True)["new"][6] == 20


@pytest.mark.django_db
def test_2019_format_collapses_the_other_rows(tree):
    """In the 2019 layout the three （六） rows become one row ``r6``."""
    standard_ledger(tree.dept_a, 2020)
    report = compute_report(tree.dept_a, 2020, consolidated=False)
    keys = [r["key"] for r in report["table3"]]
    assert keys == [r.key for r in formats.TABLE3_ROWS_2019]
    r6 = next(r for r in report["table3"] if r["key"] == "r6")
    assert r6["values"][6] == 2
    assert not [f for f in run_checks(report) if f.is_hard]


@pytest.mark.django_db
def test_table3_is_one_query_and_table4_two(tree):
    """The selectors are aggregate queries, not loops over rows."""
    standard_ledger(tree.dept_a)
    statistics.table3(tree.city, YEAR, consolidated=True)  # learns once that the city is the root
    with CaptureQueriesContext(connection) as q3:
        statistics.table3(tree.city, YEAR, consolidated=True)
    with CaptureQueriesContext(connection) as q4:
        statistics.table4(tree.city, YEAR, consolidated=True)
    assert len(q3) == 1
    assert len(q4) == 2


@pytest.mark.django_db
def test_monthly_intake_and_fees(tree):
    """Monthly intake counts by receipt month; fees are zero without paid notices."""
    standard_ledger(tree.dept_a)
    months = statistics.monthly_intake(tree.dept_a, YEAR)
    assert months[0] == 1 and months[11] == 2 and sum(months) == 10
    assert statistics.fees_collected(tree.dept_a, YEAR)["amount_yuan"] == "0.00"


# -- property tests ------------------------------------------------------------------------

_dates = st.dates(min_value=dt.date(YEAR - 2, 1, 1), max_value=dt.date(YEAR + 1, 6, 30))
_case = st.builds(
    lambda received, applicant, result, days, is_open: Case(
        received,
        applicant,
        None if is_open else result,
        None if is_open else received + dt.timedelta(days=days),
    ),
    _dates,
    st.sampled_from(COLS),
    st.sampled_from(list(Result.values)),
    st.integers(min_value=0, max_value=400),
    st.booleans(),
)


def _independent_table3(cases: list[Case]) -> dict[str, list[int]]:
    """Count table 三 straight from the ledger lines, without the selectors' queries."""
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    counts: Counter[tuple[str, str]] = Counter()
    for c in cases:
        concluded_before = c.result is not None and c.closed_on is not None and c.closed_on < start
        if c.received_on > end or concluded_before:
            continue
        counts[("new" if c.received_on >= start else "carried_in", c.applicant_type)] += 1
        if c.result is not None and c.closed_on is not None and c.closed_on <= end:
            counts[(c.result, c.applicant_type)] += 1
            counts[("r7_total", c.applicant_type)] += 1
        else:
            counts[("carried_out", c.applicant_type)] += 1
    out = {}
    for row in formats.TABLE3_ROWS_2021:
        values = [counts[(row.key, t)] for t in COLS]
        out[row.key] = [*values, sum(values)]
    return out


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(_case, max_size=40))
def test_random_ledgers_satisfy_the_identities_and_match_an_independent_count(tree, cases):
    """For any ledger the JSON report satisfies H1–H4 and table 三 equals a direct count."""
    from gongkai.agencies.tests.factories import make_agency

    agency = make_agency(parent=tree.city)
    insert_cases(agency, cases)
    report = compute_report(agency, YEAR, consolidated=False)
    hard = [f for f in run_checks(report) if f.is_hard]
    assert not hard, [f.message for f in hard]
    table = {row["key"]: row["values"] for row in report["table3"]}
    assert table == _independent_table3(cases)


@pytest.mark.django_db
def test_applicant_columns_follow_the_official_order():
    """The six applicant columns are in the order of table 三."""
    labels = [ApplicantType(t).label for t in statistics.APPLICANT_COLUMNS]
    assert labels == list(formats.TABLE3_COLUMNS[:6])
