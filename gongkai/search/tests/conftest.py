"""Search test fixtures: a fresh index directory per test, the fixture corpus, backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from gongkai.search.backends import forget_backends, make_backend
from gongkai.search.segment import reset_segmenter
from gongkai.search.tests.corpus import CorpusIndex, install

BACKENDS = ["tantivy", "postgres"]


@pytest.fixture(autouse=True)
def search_dir(settings: Any, tmp_path: Any) -> Iterator[Any]:
    """Every test gets its own VAR_DIR, so embedded indexes never leak between tests."""
    settings.VAR_DIR = tmp_path
    forget_backends()
    reset_segmenter()
    yield tmp_path / "search"
    forget_backends()
    reset_segmenter()


@pytest.fixture
def corpus_index(db: Any) -> CorpusIndex:
    """The fixture corpus as a registered index."""
    return install()


@pytest.fixture(params=BACKENDS)
def backend(request: Any, corpus_index: CorpusIndex) -> Any:
    """Each backend over the corpus (PostgreSQL only when the database is PostgreSQL)."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend needs DATABASE_URL=postgres://… (SQLite run)")
    from gongkai.search.backends import get_backend

    return get_backend(corpus_index, request.param)


def fresh_backend(index: Any, name: str) -> Any:
    """An uncached backend object (a second server's view of the same index)."""
    return make_backend(index, name)
