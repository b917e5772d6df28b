"""Keeping the index true: the outbox, a second server, a lost index, rebuild and check."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.search.selectors import SearchQuery, search
from gongkai.search.services import check_index, record_changes, sync_index
from gongkai.search.tests.conftest import fresh_backend
from gongkai.search.tests.corpus import pk_of


def _pks(backend, text: str) -> list[int]:
    return [h.pk for h in search("testcorpus", SearchQuery(text=text), backend=backend).hits]


def test_a_withdrawn_item_is_gone_at_once(backend, corpus_index):
    """Hiding an item and recording the change removes it from the very next search."""
    pk = pk_of("mm1")
    assert pk in _pks(backend, "住房公积金管理办法")
    corpus_index.hidden.add(pk)
    record_changes("testcorpus", [pk])
    assert pk not in _pks(backend, "住房公积金管理办法")
    corpus_index.hidden.discard(pk)
    record_changes("testcorpus", [pk])
    assert pk in _pks(backend, "住房公积金管理办法")


def test_a_second_server_catches_up_from_the_outbox(corpus_index, search_dir):
    """Two processes with their own embedded index both apply the same outbox."""
    one = fresh_backend(corpus_index, "tantivy")
    sync_index(corpus_index, one)
    two_dir = search_dir.parent / "server2"
    from gongkai.search.backends.tantivy_backend import TantivyBackend

    two = TantivyBackend(corpus_index, two_dir / "testcorpus")
    sync_index(corpus_index, two)
    pk = pk_of("mm6")
    corpus_index.hidden.add(pk)
    record_changes("testcorpus", [pk])
    assert pk not in _pks(one, "最低生活保障")
    assert pk not in _pks(two, "最低生活保障")
    assert sync_index(corpus_index, two).applied == 0  # nothing left to apply


def test_losing_the_embedded_index_loses_nothing(corpus_index, search_dir):
    """With the index directory deleted, the next search rebuilds it from the database."""
    backend = fresh_backend(corpus_index, "tantivy")
    assert pk_of("mm5") in _pks(backend, "公共租赁住房")
    backend.close()
    shutil.rmtree(search_dir / "testcorpus")
    again = fresh_backend(corpus_index, "tantivy")
    assert pk_of("mm5") in _pks(again, "公共租赁住房")


def test_an_index_of_another_database_is_rebuilt(corpus_index):
    """An index stamped with another database's token is not trusted."""
    backend = fresh_backend(corpus_index, "tantivy")
    sync_index(corpus_index, backend)
    backend.save_state({"token": "someone-else", "watermark": 0, "seen": []})
    assert sync_index(corpus_index, backend).rebuilt


def test_check_reports_drift_and_rebuild_repairs_it(backend, corpus_index):
    """Changes that bypassed the outbox show up as drift until the index is rebuilt."""
    sync_index(corpus_index, backend)
    assert check_index(corpus_index, backend).ok
    corpus_index.hidden.add(pk_of("mm2"))  # e.g. a bulk update without signals
    report = check_index(corpus_index, backend)
    assert report.extra == [pk_of("mm2")] and not report.ok
    out = StringIO()
    with pytest.raises(Exception, match="不一致"):
        call_command("search", "check", "testcorpus", backend=backend_name(backend), stdout=out)
    assert "extra 1" in out.getvalue()
    out = StringIO()
    call_command("search", "rebuild", "testcorpus", backend=backend_name(backend), stdout=out)
    assert "100%" in out.getvalue() and f"{len(corpus_index.stamps())} documents" in out.getvalue()
    call_command("search", "check", "testcorpus", backend=backend_name(backend), stdout=StringIO())


def backend_name(backend) -> str:
    return "postgres" if backend.__class__.__name__.startswith("Postgres") else "tantivy"


def test_facets_paging_and_counts(backend):
    """Facet counts add up, filters narrow the hit count, pages do not overlap."""
    everything = search("testcorpus", SearchQuery(text="通知", per_page=5), backend=backend)
    assert everything.total > 5 and len(everything.hits) == 5
    years = {fv.value: fv.count for fv in everything.facets["year"]}
    assert sum(years.values()) == everything.total
    year, n = max(years.items(), key=lambda kv: kv[1])
    narrowed = search(
        "testcorpus", SearchQuery(text="通知", filters={"year": [year]}), backend=backend
    )
    assert narrowed.total == n
    page2 = search("testcorpus", SearchQuery(text="通知", per_page=5, page=2), backend=backend)
    assert not {h.pk for h in page2.hits} & {h.pk for h in everything.hits}


def test_no_results_offer_suggestions(backend):
    """A query without hits suggests its words that do have hits."""
    results = search(
        "testcorpus", SearchQuery(text="公积金 火星基地", facets=False), backend=backend
    )
    assert results.relaxed or results.total == 0
    empty = search(
        "testcorpus", SearchQuery(text="公积金", filters={"year": ["1999"]}), backend=backend
    )
    assert empty.total == 0
    assert empty.suggestions and empty.suggestions[0]["without_filters"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with the PostgreSQL backend"
)
def test_backends_agree_on_the_top_results(corpus_index):
    """The embedded and the PostgreSQL backend put the same item first for identifier queries."""
    a = fresh_backend(corpus_index, "tantivy")
    b = fresh_backend(corpus_index, "postgres")
    for q in ("茂府办函 2016 65", "007122000/2017-04159", "东府办〔2016〕47号"):
        assert _pks(a, q)[0] == _pks(b, q)[0]
