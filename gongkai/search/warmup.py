"""Warm start: what the first search of a new process would otherwise pay, paid at start.

``gongkai.wsgi`` calls ``warm_up()`` when a web process loads the application (every gunicorn
worker, and ``runserver``), before it serves a request: the segmenter's dictionaries are
loaded, every index is opened and brought up to date with the outbox, and one query runs on
each (so the engine's term dictionaries are read once). Set ``GONGKAI_WARM_UP=0`` to skip it.
The task worker does not warm up: it never searches (its writes reach the indexes through the
outbox, applied by the web processes), and the dictionaries would cost it ~60 MB.
"""

from __future__ import annotations

import logging
import os
import time

from gongkai.search.registry import all_indexes
from gongkai.search.segment import get_segmenter
from gongkai.search.selectors import SearchQuery, search

logger = logging.getLogger(__name__)

#: A query that touches the common postings of every index.
WARM_QUERY = "政府信息公开"


def enabled() -> bool:
    """False when ``GONGKAI_WARM_UP`` is set to 0/false/no."""
    return os.environ.get("GONGKAI_WARM_UP", "1").strip().lower() not in {"0", "false", "no"}


def warm_up() -> dict[str, float]:
    """Load the segmenter and open, sync and query every index; return seconds per step.

    Never raises: a process that cannot warm up (no database yet, an index being rebuilt
    elsewhere) starts all the same and pays the cost on its first search, as before.
    """
    from django.db import close_old_connections, connections

    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        get_segmenter().query_words(WARM_QUERY)
        timings["segmenter"] = time.perf_counter() - started
        for index in all_indexes():
            t0 = time.perf_counter()
            search(index.name, SearchQuery(text=WARM_QUERY, facets=False, per_page=1))
            timings[index.name] = time.perf_counter() - t0
    except Exception:  # noqa: BLE001 - a cold first search is better than no server
        logger.warning("search warm-up failed; the first search will load the index", exc_info=True)
    finally:
        close_old_connections()
        connections.close_all()
    logger.info(
        "search warm-up in %.2f s (%s)",
        time.perf_counter() - started,
        ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()),
    )
    return timings
