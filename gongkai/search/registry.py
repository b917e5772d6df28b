"""Index declarations: each app says in its own ``search.py`` what it indexes and how.

Example (``gongkai/catalog/search.py``)::

    @register
    class CatalogIndex(SearchIndex):
        name = "catalog"
        model = "catalog.CatalogItem"
        fields = (Field("title", 8.0), Field("keywords", 4.0), Field("summary", 2.0), ...)
        facets = ("agency", "category", "year", "genre", "validity")

        def get_queryset(self): ...        # the objects that belong in the index
        def to_document(self, obj): ...    # SearchDocument for one object
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import autodiscover_modules

from gongkai.search.documents import SearchDocument


@dataclass(frozen=True)
class Field:
    """A text field and its weight (title > keywords > summary > body > attachment text)."""

    name: str
    weight: float


class SearchIndex:
    """Base class of an index declaration."""

    #: Unique name of the index (also its directory and table name).
    name: ClassVar[str]
    #: "app_label.ModelName" of the indexed model.
    model: ClassVar[str]
    #: Weighted text fields, in decreasing weight.
    fields: ClassVar[tuple[Field, ...]]
    #: Facet names (values come from ``to_document``).
    facets: ClassVar[tuple[str, ...]] = ()
    #: Other models whose changes re-index objects: "app.Model" → function(instance) → pks.
    related: ClassVar[dict[str, Callable[[Any], Iterable[int]]]] = {}
    #: Objects loaded per database round trip while (re)building.
    batch_size: ClassVar[int] = 500

    def get_model(self) -> type[Model]:
        """The indexed model class."""
        return apps.get_model(self.model)

    def get_queryset(self) -> QuerySet[Any]:
        """Every object that belongs in the index (override to restrict and prefetch)."""
        return self.get_model()._default_manager.all()

    def to_document(self, obj: Any) -> SearchDocument:
        """Describe one object for the index."""
        raise NotImplementedError

    def count(self) -> int:
        """How many objects belong in the index."""
        return self.get_queryset().count()

    def iter_documents(self) -> Iterator[SearchDocument]:
        """Documents for every object that belongs in the index (rebuilds)."""
        for obj in self.get_queryset().iterator(chunk_size=self.batch_size):
            yield self.to_document(obj)

    def rebuild_context(self) -> Any:
        """What ``documents_from_rows`` needs besides the rows (names, labels), read once per
        rebuild before any worker starts."""
        return None

    def iter_rows(self) -> Iterator[Any]:
        """A rebuild's raw material, batch by batch, read from the database in the rebuilding
        process: anything picklable that ``documents_from_rows`` turns into documents without
        the database (in parallel workers). By default, batches of ``iter_documents``."""
        docs = self.iter_documents()
        while batch := list(itertools.islice(docs, self.batch_size)):
            yield batch

    def documents_from_rows(self, rows: Any, context: Any) -> list[SearchDocument]:
        """The documents of one batch of ``iter_rows`` (must not touch the database)."""
        return list(rows)

    def stamps(self) -> dict[int, int]:
        """Every indexable pk with its stamp (as ``to_document`` sets it), for drift checks."""
        return {obj.pk: self.to_document(obj).stamp for obj in self.get_queryset()}

    def url(self, pk: int, meta: dict[str, Any]) -> str:
        """The page a hit links to (empty when there is none)."""
        return ""

    def facet_label(self, facet: str, value: str) -> str:
        """The label shown for a facet value (override for ids)."""
        return value

    def facet_labels(self, facet: str, values: Iterable[str]) -> dict[str, str]:
        """Labels for many values of one facet (override to load them in one query)."""
        return {v: self.facet_label(facet, v) for v in values}

    def documents_for(self, pks: Iterable[int]) -> dict[int, SearchDocument]:
        """Documents for those of ``pks`` that belong in the index (the others are absent)."""
        wanted = list(pks)
        return {obj.pk: self.to_document(obj) for obj in self.get_queryset().filter(pk__in=wanted)}


_registry: dict[str, SearchIndex] = {}


def register(cls: type[SearchIndex]) -> type[SearchIndex]:
    """Class decorator: add the index declaration to the registry."""
    add_index(cls())
    return cls


def add_index(index: SearchIndex) -> SearchIndex:
    """Add (or replace) an index in the registry, e.g. a test corpus; return it."""
    _registry[index.name] = index
    return index


def get_index(name: str) -> SearchIndex:
    """The declared index called ``name`` (KeyError when there is none)."""
    return _registry[name]


def all_indexes() -> list[SearchIndex]:
    """Every declared index, by name."""
    return [_registry[k] for k in sorted(_registry)]


def autodiscover() -> None:
    """Import ``search.py`` of every installed app, and the search app's own declarations."""
    autodiscover_modules("search")
    # Autodiscovery: importing the module registers its index here (it imports this module).
    import gongkai.search.app_indexes  # noqa: F401
