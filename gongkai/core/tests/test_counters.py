"""The one counter: gapless per scope, agency and year; floors; platform-wide scopes; threads."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.counters import current_value, next_value
from gongkai.core.models import Counter

pytestmark = pytest.mark.django_db


def test_scopes_agencies_and_years_count_on_their_own(tree):
    """Each (scope, agency, year) starts at 1; platform-wide scopes (no agency) too."""
    with transaction.atomic():
        a = [next_value("test.a", agency=tree.dept_a, year=2026) for _ in range(3)]
        other_scope = next_value("test.b", agency=tree.dept_a, year=2026)
        other_agency = next_value("test.a", agency=tree.dept_b, year=2026)
        other_year = next_value("test.a", agency=tree.dept_a, year=2027)
        platform = [next_value("test.a", year=2026) for _ in range(2)]
    assert (a, other_scope, other_agency, other_year, platform) == ([1, 2, 3], 1, 1, 1, [1, 2])
    assert current_value("test.a", agency=tree.dept_a, year=2026) == 3
    assert current_value("test.a", year=2026) == 2
    assert current_value("test.a", year=1999) == 0


def test_rollback_gives_the_number_back(tree):
    """A caller that rolls back leaves no gap."""
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        next_value("test.a", agency=tree.dept_a, year=2026)
        1 / 0  # noqa: B018 - the caller fails after taking its number
    with transaction.atomic():
        assert next_value("test.a", agency=tree.dept_a, year=2026) == 1


def test_count_and_floor(tree):
    """A block of numbers; numbers continue after a floor; count=0 only raises the counter."""
    with transaction.atomic():
        assert next_value("test.a", agency=tree.dept_a, year=2026, count=5) == 1
        assert next_value("test.a", agency=tree.dept_a, year=2026, floor=3) == 6
        assert next_value("test.a", agency=tree.dept_a, year=2026, count=0, floor=10) == 11
        assert next_value("test.a", agency=tree.dept_a, year=2026) == 11
    with pytest.raises(ValueError), transaction.atomic():
        next_value("test.a", agency=tree.dept_a, year=2026, count=-1)


def test_one_row_per_scope_agency_and_year(tree):
    """The database refuses a second row for the same numbering, with or without an agency."""
    Counter.objects.create(scope="test.a", agency=tree.dept_a, year=2026)
    Counter.objects.create(scope="test.a", agency=None, year=2026)
    for agency in (tree.dept_a, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Counter.objects.create(scope="test.a", agency=agency, year=2026)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 30)), min_size=1, max_size=12))
def test_numbers_are_consecutive_and_never_repeat(calls):
    """Any sequence of (count, floor) calls hands out strictly increasing, unique numbers."""
    scope = f"test.prop.{Counter.objects.count()}"
    taken: list[int] = []
    with transaction.atomic():
        for count, floor in calls:
            first = next_value(scope, year=2026, count=count, floor=floor)
            assert first > max([floor, *taken], default=0)
            taken.extend(range(first, first + count))
    assert taken == sorted(set(taken))
    assert current_value(scope, year=2026) == max([*taken, *(f for _, f in calls)], default=0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_gapless_numbers(tree):
    """Eight threads taking numbers at once get 1..N exactly once each (PostgreSQL row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers on the whole file; the row lock needs PostgreSQL")
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    value = next_value("test.threads", year=2026)
                with lock:
                    results.append(value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == list(range(1, 41))
    assert current_value("test.threads", year=2026) == 40
