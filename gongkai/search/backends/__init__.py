"""Search backends behind one interface; ``get_backend(index)`` returns the configured one."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from gongkai.search.backends.base import SearchBackend
from gongkai.search.choices import BackendName
from gongkai.search.registry import SearchIndex

_lock = threading.Lock()
_backends: dict[tuple[str, str, str], SearchBackend] = {}


def backend_name() -> str:
    """The configured backend (``SEARCH_BACKEND``: tantivy by default)."""
    return getattr(settings, "SEARCH_BACKEND", BackendName.TANTIVY) or BackendName.TANTIVY


def index_root() -> Path:
    """Where embedded indexes live: ``VAR_DIR/search``."""
    return Path(settings.VAR_DIR) / "search"


def make_backend(index: SearchIndex, name: str | None = None) -> SearchBackend:
    """A new backend object of the given kind for ``index`` (not cached)."""
    name = name or backend_name()
    if name == BackendName.TANTIVY:
        # Only the chosen engine is loaded (tantivy is a native library).
        from gongkai.search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(index, index_root() / index.name)
    if name == BackendName.POSTGRES:
        # Only the chosen engine is loaded (tantivy is a native library).
        from gongkai.search.backends.postgres import PostgresBackend

        return PostgresBackend(index)
    raise ValueError(f"unknown search backend {name!r}")


def get_backend(index: SearchIndex, name: str | None = None) -> SearchBackend:
    """The process's backend object for ``index`` (one per index, kind and location)."""
    name = name or backend_name()
    key = (index.name, name, str(index_root()))
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            backend = _backends[key] = make_backend(index, name)
        return backend


def opened_backends(index_name: str) -> list[SearchBackend]:
    """Backends of ``index_name`` this process has opened (refreshed after commits)."""
    with _lock:
        return [b for (n, _, _), b in _backends.items() if n == index_name]


def forget_backends() -> None:
    """Close and forget every cached backend (tests; after moving VAR_DIR)."""
    with _lock:
        for backend in _backends.values():
            backend.close()
        _backends.clear()
