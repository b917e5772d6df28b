"""Letter numbers per agency and year: consecutive, and gapless under concurrent issuers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from gongkai.core.counters import current_value
from gongkai.letters.numbering import LETTER_NUMBERS, allocate_serial, format_letter_number


def test_format():
    """The number reads like 临府办依告〔2026〕12号."""
    assert format_letter_number("临府办依告", 2026, 12) == "临府办依告〔2026〕12号"


@pytest.mark.django_db
def test_serials_per_agency_and_year(tree):
    """Each agency and year counts from 1 on its own."""
    with transaction.atomic():
        a = [allocate_serial(tree.dept_a, 2026) for _ in range(3)]
        b = allocate_serial(tree.dept_b, 2026)
        a27 = allocate_serial(tree.dept_a, 2027)
    assert (a, b, a27) == ([1, 2, 3], 1, 1)


@pytest.mark.django_db
def test_rolled_back_serial_is_reused(tree):
    """A serial taken in a transaction that rolls back is given out again."""
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_serial(tree.dept_a, 2026)
        raise RuntimeError
    with transaction.atomic():
        assert allocate_serial(tree.dept_a, 2026) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_distinct_consecutive_serials(tree):
    """Many threads allocating at once get 1..N exactly once each (PostgreSQL row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers on the whole file; the row lock needs PostgreSQL")
    agency = tree.dept_a
    threads_n, per_thread = 8, 5
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads_n)

    def worker() -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    serial = allocate_serial(agency, 2026)
                with lock:
                    results.append(serial)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == list(range(1, threads_n * per_thread + 1))
    assert current_value(LETTER_NUMBERS, agency=agency, year=2026) == threads_n * per_thread
