"""What flows between apps, the search service and the backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: A query word's alternatives; each alternative is a conjunction of index tokens.
Group = list[tuple[str, ...]]


@dataclass
class SearchDocument:
    """One indexed object, as an app's index declaration describes it.

    ``fields`` holds raw text per declared field; the search service segments it. ``facets``
    holds the values per facet name (an object may have several, e.g. co-issuing agencies).
    ``title``, ``text`` and ``meta`` are stored for display (result lists, snippets).
    """

    pk: int
    fields: dict[str, str]
    facets: dict[str, list[str]] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    date: dt.date | None = None
    title: str = ""
    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    #: Changes whenever the object changes (e.g. its update time): lets checks spot stale copies.
    stamp: int = 0


@dataclass
class PreparedDocument:
    """A document after segmentation: what a backend writes."""

    pk: int
    tokens: dict[str, str]  # field → space-separated tokens
    facets: list[str]  # "name:value"
    identifiers: list[str]
    days: int  # date as days since 1970-01-01 (0 = none)
    stamp: int
    #: title, text, meta and date as JSON (encoded where the document is cut: rebuild workers)
    stored_json: str


@dataclass
class BackendQuery:
    """A parsed query as backends receive it."""

    groups: list[Group]
    identifiers: list[str]
    filters: dict[str, list[str]]  # facet → accepted values (AND across facets, OR within)
    scope: dict[str, frozenset[str]] | None  # mandatory restriction (office scoping)
    limit: int
    offset: int
    with_facets: bool
    match_any: bool = False  # relaxed: any word may match (used when nothing matches all)


@dataclass
class RawHit:
    """One hit as a backend returns it."""

    pk: int
    score: float
    stored: dict[str, Any]


@dataclass
class RawResults:
    """A backend's answer: one page of hits, the exact hit count and facet counts."""

    hits: list[RawHit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
