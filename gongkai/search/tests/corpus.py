"""A small real-world corpus (fixtures/corpus.json) declared as an index of its own.

The catalogue's model is not needed to judge relevance: the documents feed every backend
through the same interface the catalogue uses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from gongkai.search.documents import SearchDocument
from gongkai.search.identifiers import document_keys
from gongkai.search.registry import Field, SearchIndex, add_index

FIXTURES = Path(__file__).with_name("fixtures")


@lru_cache(maxsize=1)
def corpus() -> list[dict[str, Any]]:
    """The fixture documents, in file order (pk = position + 1)."""
    return json.loads((FIXTURES / "corpus.json").read_text(encoding="utf-8"))["documents"]


@lru_cache(maxsize=1)
def judged() -> list[dict[str, Any]]:
    """The judged queries."""
    return json.loads((FIXTURES / "judged.json").read_text(encoding="utf-8"))["queries"]


def pk_of(key: str) -> int:
    """The pk of the document with ``key``."""
    return next(i for i, d in enumerate(corpus(), 1) if d["key"] == key)


def to_document(pk: int, d: dict[str, Any]) -> SearchDocument:
    """A fixture row as a search document, shaped like the catalogue's."""
    date = dt.date.fromisoformat(d["date"])
    return SearchDocument(
        pk=pk,
        fields={
            "title": d["title"],
            "keywords": " ".join([d["keywords"], d["doc_number"], d["agency"]]),
            "summary": d["summary"],
            "body": d["body"],
            "attachments": d["attachments"],
        },
        facets={
            "agency": [d["agency"]],
            "category": [d["category"]],
            "year": [str(date.year)],
            "genre": [d["genre"]],
            "validity": [d["validity"]],
        },
        identifiers=document_keys(doc_number=d["doc_number"], index_number=d["index_number"]),
        date=date,
        title=d["title"],
        text=d["summary"] + "\n" + d["body"],
        meta={"key": d["key"], "doc_number": d["doc_number"], "agency": d["agency"]},
        stamp=1,
    )


class CorpusIndex(SearchIndex):
    """The fixture corpus; ``hidden`` pks are left out (as if withdrawn)."""

    name = "testcorpus"
    model = "search.Synonym"  # never read: documents come from the fixture file
    fields = (
        Field("title", 8.0),
        Field("keywords", 4.0),
        Field("summary", 2.0),
        Field("body", 1.0),
        Field("attachments", 0.5),
    )
    facets = ("agency", "category", "year", "genre", "validity")
    hidden: set[int] = set()

    def _docs(self) -> dict[int, dict[str, Any]]:
        return {i: d for i, d in enumerate(corpus(), 1) if i not in self.hidden}

    def count(self) -> int:
        return len(self._docs())

    def iter_documents(self) -> Iterator[SearchDocument]:
        for pk, d in self._docs().items():
            yield to_document(pk, d)

    def documents_for(self, pks: Iterable[int]) -> dict[int, SearchDocument]:
        docs = self._docs()
        return {pk: to_document(pk, docs[pk]) for pk in pks if pk in docs}

    def stamps(self) -> dict[int, int]:
        return dict.fromkeys(self._docs(), 1)


def install() -> CorpusIndex:
    """Register the corpus index (idempotent) and return it."""
    index = CorpusIndex()
    index.hidden = set()
    return cast(CorpusIndex, add_index(index))  # this class, registered once
