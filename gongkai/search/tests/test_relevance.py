"""Relevance: the judged query set finds its expected items in the top 10 on every backend."""

from __future__ import annotations

from gongkai.search.selectors import SearchQuery, search
from gongkai.search.tests.corpus import judged, pk_of


def _top(backend, text: str, n: int = 10) -> list[int]:
    results = search(
        "testcorpus", SearchQuery(text=text, per_page=n, facets=False), backend=backend
    )
    return [h.pk for h in results.hits]


def test_judged_set_is_large_enough():
    """At least 30 judged queries, covering names, 文号, topics and colloquial phrasings."""
    queries = judged()
    assert len(queries) >= 30
    assert {q["kind"] for q in queries} >= {
        "name",
        "doc_number",
        "index_number",
        "topic",
        "colloquial",
    }


def test_every_expected_item_is_in_the_top_10(backend):
    """Each judged query returns each of its expected items among the first 10 results."""
    misses = []
    for case in judged():
        top = _top(backend, case["q"])
        for key in case["expect"]:
            if pk_of(key) not in top:
                misses.append((case["q"], key, top))
    assert not misses, misses


def test_exact_identifiers_come_first(backend):
    """A 文号 in any spelling, or a 索引号, puts its item in first place."""
    for case in (c for c in judged() if c.get("first")):
        top = _top(backend, case["q"], 3)
        assert top and top[0] == pk_of(case["expect"][0]), (case["q"], top)
