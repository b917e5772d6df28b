"""Reads: the one search function every page, API and office tool calls."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from gongkai.accounts.scoping import agency_ids_for
from gongkai.core.actors import Actor
from gongkai.search import identifiers
from gongkai.search.backends import get_backend
from gongkai.search.backends.base import SearchBackend
from gongkai.search.documents import BackendQuery, Group, RawHit, RawResults
from gongkai.search.highlight import highlight, snippet
from gongkai.search.registry import SearchIndex, get_index
from gongkai.search.segment import get_segmenter
from gongkai.search.services import sync_index

MAX_PER_PAGE = 50
#: With "favour recent items", this many top hits are re-ranked by age.
RECENT_WINDOW = 200
#: Half-life of the recency bonus, in days.
RECENT_HALF_LIFE = 365.0


@dataclass
class SearchQuery:
    """What a searcher asks for."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    recent: bool = False
    facets: bool = True
    #: Mandatory restriction (office scoping): facet → allowed values. None = unrestricted.
    scope: dict[str, frozenset[str]] | None = None


@dataclass
class Hit:
    """One result, ready to display."""

    pk: int
    score: float
    title: str
    title_html: SafeString
    snippet_html: SafeString
    date: dt.date | None
    meta: dict[str, Any]
    url: str = ""


@dataclass
class FacetValue:
    """One value of a facet with its hit count."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    """One page of results with the hit count, facets and help when nothing matched."""

    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    words: list[str]
    relaxed: bool = False  # no item matched every word; items matching some words are shown
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def has_next(self) -> bool:
        """True when a later page exists."""
        return self.query.page < self.pages

    @property
    def has_previous(self) -> bool:
        """True when an earlier page exists."""
        return self.query.page > 1


def parse_query(text: str) -> tuple[list[str], list[Group], list[str]]:
    """Words, their alternative groups (synonyms, base pieces) and identifier keys of a query."""
    seg = get_segmenter()
    words = seg.query_words(text)
    groups = [seg.alternatives(w) for w in words]
    return words, groups, identifiers.query_keys(text)


def _recency_rerank(hits: list[RawHit], today: dt.date) -> list[RawHit]:
    def boosted(hit: RawHit) -> float:
        date = hit.stored.get("date")
        if not date:
            return hit.score
        age = max(0, (today - dt.date.fromisoformat(date)).days)
        return hit.score * (1.0 + 2.0 ** (-age / RECENT_HALF_LIFE))

    return sorted(hits, key=lambda h: (-boosted(h), -h.pk))


def run_backend_query(
    backend: SearchBackend, query: SearchQuery, groups: list[Group], idents: list[str]
) -> tuple[RawResults, bool]:
    """Ask the backend; when nothing matches every word, ask again for any word."""
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    offset = (max(1, query.page) - 1) * per_page
    bq = BackendQuery(
        groups=groups,
        identifiers=idents,
        filters={k: list(v) for k, v in query.filters.items() if v},
        scope=query.scope,
        limit=per_page,
        offset=offset,
        with_facets=query.facets,
    )
    if query.recent and groups:
        bq.limit, bq.offset = max(RECENT_WINDOW, offset + per_page), 0
    raw = backend.search(bq)
    relaxed = False
    if raw.total == 0 and len(groups) > 1:
        bq.match_any = True
        raw = backend.search(bq)
        relaxed = True
    if query.recent and groups:
        from django.utils import timezone

        raw.hits = _recency_rerank(raw.hits, timezone.localdate())[offset : offset + per_page]
    return raw, relaxed


def _suggestions(
    backend: SearchBackend,
    index: SearchIndex,
    query: SearchQuery,
    words: list[str],
    groups: list[Group],
) -> list[dict[str, Any]]:
    """For a query without results: each word alone, and the query without filters."""
    out: list[dict[str, Any]] = []
    if query.filters:
        bq = BackendQuery(groups, [], {}, query.scope, 1, 0, False, match_any=len(groups) > 1)
        n = backend.search(bq).total
        if n:
            out.append({"text": query.text, "count": n, "without_filters": True})
    if len(words) > 1:
        for word, group in zip(words, groups, strict=True):
            n = backend.search(BackendQuery([group], [], {}, query.scope, 1, 0, False)).total
            if n:
                out.append({"text": word, "count": n, "without_filters": False})
    return out[:6]


def search(
    index_name: str, query: SearchQuery, *, backend: SearchBackend | None = None
) -> SearchResults:
    """Search one index: ranked hits with snippets, the exact hit count and facet counts."""
    index = get_index(index_name)
    backend = backend or get_backend(index)
    sync_index(index, backend)
    words, groups, idents = parse_query(query.text)
    raw, relaxed = run_backend_query(backend, query, groups, idents)
    seg = get_segmenter()
    terms = seg.highlight_terms(groups)
    hits = [
        Hit(
            pk=h.pk,
            score=h.score,
            title=h.stored.get("title", ""),
            title_html=highlight(h.stored.get("title", ""), terms),
            snippet_html=snippet(h.stored.get("text", ""), terms),
            date=dt.date.fromisoformat(h.stored["date"]) if h.stored.get("date") else None,
            meta=h.stored.get("meta", {}),
            url=index.url(h.pk, h.stored.get("meta", {})),
        )
        for h in raw.hits
    ]
    facets: dict[str, list[FacetValue]] = {}
    for name in index.facets:
        counts = raw.facets.get(name, {})
        chosen = set(query.filters.get(name, []))
        values = set(counts) | chosen
        labels = index.facet_labels(name, values)
        facets[name] = sorted(
            (FacetValue(v, labels.get(v, v), counts.get(v, 0), v in chosen) for v in values),
            key=lambda fv: (-fv.count, fv.label),
        )
    results = SearchResults(query, hits, raw.total, facets, words, relaxed)
    if raw.total == 0 and (query.text or query.filters):
        results.suggestions = _suggestions(backend, index, query, words, groups)
    return results


def results_as_json(results: SearchResults) -> dict[str, Any]:
    """The JSON form of a result page (the API's response body)."""
    return {
        "query": results.query.text,
        "total": results.total,
        "page": results.query.page,
        "per_page": results.query.per_page,
        "pages": results.pages,
        "relaxed": results.relaxed,
        "results": [
            {
                "id": h.pk,
                "title": h.title,
                "title_html": str(h.title_html),
                "snippet_html": str(h.snippet_html),
                "date": h.date.isoformat() if h.date else None,
                "score": round(h.score, 4),
                "url": h.url,
                **{k: v for k, v in h.meta.items() if k not in {"title"}},
            }
            for h in results.hits
        ],
        "facets": {
            name: [
                {"value": fv.value, "label": fv.label, "count": fv.count, "selected": fv.selected}
                for fv in values
            ]
            for name, values in results.facets.items()
        },
        "suggestions": results.suggestions,
    }


def application_scope(user: Actor) -> dict[str, frozenset[str]]:
    """The office search restriction for ``user``: the agencies of their scope."""
    return {"agency": frozenset(str(pk) for pk in agency_ids_for(user))}


def search_applications(user: Actor, query: SearchQuery) -> SearchResults:
    """Search applications, limited to the agencies the officer may see."""
    query.scope = application_scope(user)
    return search("applications", query)


def similar_applications(user: Actor, application: Any, *, limit: int = 10) -> list[Hit]:
    """Earlier applications that ask for similar information (repeat detection), in scope."""
    query = SearchQuery(text=application.description[:200], per_page=limit + 1, facets=False)
    return [h for h in search_applications(user, query).hits if h.pk != application.pk][:limit]
