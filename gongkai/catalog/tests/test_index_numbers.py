"""索引号: the default pattern, a configured pattern, and concurrent publishers (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from gongkai.catalog.index_numbers import (
    INDEX_NUMBERS,
    allocate_index_number,
    format_index_number,
)
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import make_item, subject
from gongkai.core.counters import current_value


@pytest.mark.django_db
def test_default_pattern_is_org_code_year_serial(tree):
    """The first item of the year gets <组织机构代码>/<YYYY>-00001, the next -00002."""
    a = make_item(tree.dept_a)
    b = make_item(tree.dept_a)
    year = a.created_at.astimezone().year
    org = tree.dept_a.organisation_code
    assert len(org) == 9
    assert a.index_number == f"{org}/{year}-00001"
    assert b.index_number == f"{org}/{year}-00002"
    assert make_item(tree.dept_b).index_number.endswith("-00001")


@pytest.mark.django_db
def test_pattern_is_configurable(tree, settings):
    """A platform can use another pattern, e.g. the 18-character credit code (Guangdong)."""
    settings.CATALOG_INDEX_NUMBER_PATTERN = "{credit_code}/{year}-{serial:05d}"
    item = make_item(tree.dept_a)
    assert item.index_number.startswith(tree.dept_a.credit_code + "/")
    assert format_index_number(tree.dept_a, 2020, 7, "{division}-{year}-{serial}") == (
        f"{tree.dept_a.credit_code[2:8]}-2020-7"
    )


@pytest.mark.django_db
def test_numbers_are_never_reused_and_imported_ones_are_skipped(tree):
    """A number already taken (e.g. imported from the old site) is skipped, not duplicated."""
    year = 2031
    org = tree.dept_a.organisation_code
    make_item(tree.dept_a)
    CatalogItem.objects.filter(pk=make_item(tree.dept_a).pk).update(
        index_number=f"{org}/{year}-00001"
    )
    with transaction.atomic():
        assert allocate_index_number(agency=tree.dept_a, year=year) == f"{org}/{year}-00002"
    assert current_value(INDEX_NUMBERS, agency=tree.dept_a, year=year) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_get_distinct_gapless_numbers(tree):
    """Eight threads drafting at once on PostgreSQL get 80 distinct, consecutive serials."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)
    category = subject()  # shipped categories exist before the threads start

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                make_item(tree.district_dept, title="并发起草", category=category)
        except BaseException as exc:  # noqa: BLE001 - surfaced in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = list(
        CatalogItem.objects.filter(agency=tree.district_dept).values_list("index_number", flat=True)
    )
    assert len(numbers) == len(set(numbers)) == 80
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 81))
