"""The interface every search backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from gongkai.search.documents import BackendQuery, PreparedDocument, RawResults
from gongkai.search.registry import SearchIndex


class SearchBackend(ABC):
    """Stores prepared documents of one index and answers queries over them.

    Writes are idempotent (``upsert`` replaces, ``delete`` of a missing pk does nothing), so an
    outbox can be applied twice without harm. ``state``/``save_state`` keep the outbox position
    next to the data, so a lost index also loses its position and is rebuilt.
    """

    #: True when the index lives outside the database and must be kept current per server.
    embedded: bool = False

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    @abstractmethod
    def upsert(self, docs: Iterable[PreparedDocument]) -> None:
        """Add or replace documents."""

    @abstractmethod
    def delete(self, pks: Iterable[int]) -> None:
        """Remove documents (missing ones are ignored)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document and the saved state."""

    @abstractmethod
    def search(self, query: BackendQuery) -> RawResults:
        """One page of hits by relevance, the exact hit count and (optionally) facet counts."""

    @abstractmethod
    def all_stamps(self) -> dict[int, int]:
        """Every indexed pk with its stamp (for drift checks)."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Document count and size on disk in bytes."""

    @abstractmethod
    def state(self) -> dict[str, Any]:
        """The saved synchronisation state (empty when none)."""

    @abstractmethod
    def save_state(self, state: dict[str, Any]) -> None:
        """Persist the synchronisation state (after the data it describes)."""

    def begin_bulk(self) -> None:  # noqa: B027 - optional hook
        """Prepare for many writes (a rebuild)."""

    def end_bulk(self) -> None:  # noqa: B027 - optional hook
        """Finish many writes."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and locks."""

    def weights(self) -> dict[str, float]:
        """Field weights, from the index declaration."""
        return {f.name: f.weight for f in self.index.fields}
