"""Every write of the search app: the outbox, applying it, rebuilds, checks and synonyms.

How an index stays true (see docs/decisions/0701-search-engine.md):

1. A change to an indexed object writes an ``IndexChange`` row in the same transaction
   (``record_changes``, called from signal receivers).
2. After commit, and before every search, a process applies the rows its index has not seen
   (``sync_index``). Applying re-reads the objects, so rows are idempotent and need no payload.
3. An index that is missing, empty of state, or built for another database is rebuilt from the
   database (``rebuild_index``). Losing an embedded index therefore loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit, snapshot
from gongkai.core.bulkinsert import insert_objects
from gongkai.search.backends import get_backend, opened_backends
from gongkai.search.backends.base import SearchBackend
from gongkai.search.choices import ChangeReason
from gongkai.search.documents import PreparedDocument, SearchDocument
from gongkai.search.models import IndexChange, IndexIdentity, Synonym
from gongkai.search.registry import SearchIndex, all_indexes, get_index
from gongkai.search.segment import Segmenter, get_segmenter, reset_segmenter, split_terms

logger = logging.getLogger(__name__)

#: How many recent outbox ids a server remembers, to catch rows that committed out of order.
WINDOW = 1000
EPOCH = dt.date(1970, 1, 1)
_sync_locks: dict[str, threading.Lock] = {}


# --- documents --------------------------------------------------------------------------------
def prepare_document(
    index: SearchIndex,
    doc: SearchDocument,
    segmenter: Segmenter | None = None,
) -> PreparedDocument:
    """Segment a document's fields, flatten its facets and encode its stored part for a
    backend."""
    seg = segmenter or get_segmenter()
    return PreparedDocument(
        pk=doc.pk,
        tokens={f.name: seg.index_text(doc.fields.get(f.name, "")) for f in index.fields},
        facets=[f"{name}:{v}" for name, values in doc.facets.items() for v in values if v != ""],
        identifiers=list(doc.identifiers),
        days=(doc.date - EPOCH).days if doc.date else 0,
        stamp=doc.stamp,
        stored_json=json.dumps(
            {
                "title": doc.title,
                "text": doc.text[:4000],
                "meta": doc.meta,
                "date": doc.date.isoformat() if doc.date else None,
            },
            ensure_ascii=False,
        ),
    )


# --- the outbox -------------------------------------------------------------------------------
def record_changes(index_name: str, pks: Iterable[int], reason: str = ChangeReason.SAVED) -> None:
    """Queue objects for re-indexing, in the caller's transaction; apply after commit."""
    rows = [IndexChange(index=index_name, object_id=pk, reason=reason) for pk in dict.fromkeys(pks)]
    if not rows:
        return
    insert_objects(rows, returning_ids=False)
    transaction.on_commit(lambda: refresh_opened(index_name))


def refresh_opened(index_name: str) -> None:
    """Apply the outbox to this process's open backends of the index (after a commit).

    Backends that were never opened in this process are left alone: they catch up before
    their first search.
    """
    for backend in opened_backends(index_name):
        try:
            sync_index(backend.index, backend)
        except Exception:  # the next search retries; a failed refresh must not fail the write
            logger.exception("search: refreshing index %s failed", index_name)


def identity_token(index_name: str) -> str:
    """This database's token for the index (created on first use)."""
    identity, _ = IndexIdentity.objects.get_or_create(index=index_name)
    return str(identity.token)


@dataclass
class SyncReport:
    """What one synchronisation did."""

    rebuilt: bool = False
    applied: int = 0
    upserted: int = 0
    deleted: int = 0


#: Objects re-read per query while applying the outbox (keeps ``pk IN (…)`` within limits).
APPLY_CHUNK = 1000


def _apply(index: SearchIndex, backend: SearchBackend, pks: set[int]) -> tuple[int, int]:
    seg = get_segmenter()
    upserted = deleted = 0
    ordered = sorted(pks)
    for start in range(0, len(ordered), APPLY_CHUNK):
        part = ordered[start : start + APPLY_CHUNK]
        docs = index.documents_for(part)
        backend.upsert(prepare_document(index, d, seg) for d in docs.values())
        gone = set(part) - set(docs)
        backend.delete(gone)
        upserted, deleted = upserted + len(docs), deleted + len(gone)
    return upserted, deleted


def _with_writer_retry(fn: Callable[[], Any], attempts: int = 40) -> Any:
    """Run ``fn``; while another process holds the index writer, wait and retry (≈2 s)."""
    for i in range(attempts):
        try:
            return fn()
        except ValueError as exc:
            if "LockBusy" not in str(exc) or i == attempts - 1:
                raise
            time.sleep(0.05)
    return None


def sync_index(index: SearchIndex, backend: SearchBackend | None = None) -> SyncReport:
    """Bring the backend up to date with the outbox; rebuild it when it is lost or foreign."""
    backend = backend or get_backend(index)
    lock = _sync_locks.setdefault(index.name, threading.Lock())
    with lock:
        state = backend.state()
        # the token only changes with the database itself: read it once per backend object
        token = getattr(backend, "db_token", None) or identity_token(index.name)
        backend.db_token = token  # type: ignore[attr-defined]
        if state.get("token") != token:
            rebuild_index(index, backend)
            return SyncReport(rebuilt=True)
        watermark = int(state.get("watermark", 0))
        seen = set(state.get("seen", []))
        recent = IndexChange.objects.filter(index=index.name, id__gt=watermark - WINDOW)
        agg = recent.aggregate(n=Count("id"), last=Max("id"))
        if (agg["last"] or 0) <= watermark and agg["n"] == len(seen):
            return SyncReport()
        rows = list(recent.values_list("id", "object_id"))
        new = [(i, o) for i, o in rows if i not in seen]
        report = SyncReport(applied=len(new))
        if new:
            pks = {o for _, o in new}
            report.upserted, report.deleted = _with_writer_retry(
                lambda: _apply(index, backend, pks)
            )
        last = max([watermark, *(i for i, _ in rows)])
        backend.save_state(
            {
                "token": token,
                "watermark": last,
                "seen": sorted(i for i, _ in rows if i > last - WINDOW),
            }
        )
        return report


#: Batches of rows kept in flight per worker.
IN_FLIGHT = 3

#: What forked rebuild workers inherit: the index, its rebuild context and the segmenter.
_worker: dict[str, Any] = {}


def _prepare_rows(rows: Any) -> list[PreparedDocument]:
    index, context, seg = _worker["index"], _worker["context"], _worker["segmenter"]
    return [prepare_document(index, d, seg) for d in index.documents_from_rows(rows, context)]


def prepared_batches(
    index: SearchIndex, seg: Segmenter, workers: int, batch_size: int
) -> Iterator[list[PreparedDocument]]:
    """Every document of the index, segmented, ``batch_size`` at a time, in database order.

    This process reads the database (``iter_rows``); with ``workers`` > 1, forked worker
    processes that inherit the segmenter and the rebuild context turn the rows into documents
    and segment them (most of a rebuild's time), a few batches in flight at once. No database
    connection is ever used in a worker.
    """
    context = index.rebuild_context()
    batches = index.iter_rows()
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        prepared = (
            [prepare_document(index, d, seg) for d in index.documents_from_rows(rows, context)]
            for rows in batches
        )
        yield from _regroup(prepared, batch_size)
        return
    _worker.update(index=index, context=context, segmenter=seg)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from _regroup(_in_order(pool, batches, workers * IN_FLIGHT), batch_size)
    finally:
        _worker.clear()


def _in_order(pool: Any, batches: Iterator[Any], in_flight: int) -> Iterator[Any]:
    """Each batch's prepared documents from ``pool``, in the order the batches were read."""
    pending: deque[Any] = deque()
    for rows in batches:
        pending.append(pool.apply_async(_prepare_rows, (rows,)))
        while len(pending) > in_flight or (pending and pending[0].ready()):
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _regroup(
    parts: Iterable[list[PreparedDocument]], size: int
) -> Iterator[list[PreparedDocument]]:
    out: list[PreparedDocument] = []
    for part in parts:
        out.extend(part)
        if len(out) >= size:
            yield out
            out = []
    if out:
        yield out


def rebuild_index(
    index: SearchIndex,
    backend: SearchBackend | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    batch_size: int = 5000,
) -> int:
    """Rebuild the index from the database; return the number of documents indexed.

    An embedded backend builds a new generation and switches to it when it is complete, so
    searches keep answering from the previous one throughout (changes made meanwhile are in
    the outbox after the recorded watermark and are applied after the switch). ``workers``
    processes segment in parallel (the command passes the number of cores).
    """
    backend = backend or get_backend(index)
    token = identity_token(index.name)
    watermark = IndexChange.objects.filter(index=index.name).aggregate(m=Max("id"))["m"] or 0
    seen = list(
        IndexChange.objects.filter(
            index=index.name, id__gt=watermark - WINDOW, id__lte=watermark
        ).values_list("id", flat=True)
    )
    generational = callable(getattr(backend, "begin_rebuild", None))
    if generational:
        backend.begin_rebuild()  # type: ignore[attr-defined]
    else:
        _with_writer_retry(backend.clear)
        backend.begin_bulk()
    total = index.count()
    seg = get_segmenter()
    done = 0
    state = {"token": token, "watermark": watermark, "seen": sorted(seen)}
    try:
        for batch in prepared_batches(index, seg, workers, batch_size):
            backend.add_new(batch)  # type: ignore[attr-defined]
            done += len(batch)
            if progress:
                progress(done, total)
    except BaseException:
        if generational:
            backend.abort_rebuild()  # type: ignore[attr-defined]
        else:
            backend.end_bulk()
        raise
    if generational:
        backend.finish_rebuild(state)  # type: ignore[attr-defined]
    else:
        backend.end_bulk()
        backend.save_state(state)
    if progress:
        progress(done, total)
    return done


@dataclass
class CheckReport:
    """Differences between an index and the database."""

    index: str
    in_database: int = 0
    in_index: int = 0
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, not (or no longer) indexable
    stale: list[int] = field(default_factory=list)  # indexed copy older than the object
    pending: int = 0  # outbox rows not yet applied

    @property
    def ok(self) -> bool:
        """True when index and database agree."""
        return not (self.missing or self.extra or self.stale)


def check_index(index: SearchIndex, backend: SearchBackend | None = None) -> CheckReport:
    """Compare the index with the database and report drift (applies nothing)."""
    backend = backend or get_backend(index)
    state = backend.state()
    watermark = int(state.get("watermark", 0))
    wanted = index.stamps()
    have = backend.all_stamps()
    return CheckReport(
        index=index.name,
        in_database=len(wanted),
        in_index=len(have),
        missing=sorted(set(wanted) - set(have)),
        extra=sorted(set(have) - set(wanted)),
        stale=sorted(pk for pk, s in wanted.items() if pk in have and have[pk] != s),
        pending=IndexChange.objects.filter(index=index.name, id__gt=watermark).count(),
    )


def indexes_named(names: Iterable[str] | None) -> list[SearchIndex]:
    """The declared indexes with the given names (all when none are given)."""
    names = list(names or [])
    return [get_index(n) for n in names] if names else all_indexes()


# --- synonyms ---------------------------------------------------------------------------------
SYNONYM_FIELDS = ["terms", "note", "is_active"]


def _clean_terms(terms: str) -> str:
    group = split_terms(terms)
    if len(group) < 2:
        raise ValueError("同义词组至少需要两个词")
    return "，".join(dict.fromkeys(group))


def synonym_create(*, by: Actor, terms: str, note: str = "", is_active: bool = True) -> Synonym:
    """Add a synonym group (platform admins)."""
    with transaction.atomic():
        synonym = Synonym.objects.create(terms=_clean_terms(terms), note=note, is_active=is_active)
        record_audit(
            action="search.synonym_create",
            actor=by,
            target=synonym,
            after=snapshot(synonym, SYNONYM_FIELDS),
        )
    transaction.on_commit(reset_segmenter)
    return synonym


def synonym_update(
    *, synonym: Synonym, by: Actor, terms: str, note: str = "", is_active: bool = True
) -> Synonym:
    """Change a synonym group."""
    with transaction.atomic():
        before = snapshot(synonym, SYNONYM_FIELDS)
        synonym.terms, synonym.note, synonym.is_active = _clean_terms(terms), note, is_active
        synonym.save()
        record_audit(
            action="search.synonym_update",
            actor=by,
            target=synonym,
            before=before,
            after=snapshot(synonym, SYNONYM_FIELDS),
        )
    transaction.on_commit(reset_segmenter)
    return synonym


def synonym_delete(*, synonym: Synonym, by: Actor) -> None:
    """Remove a synonym group."""
    with transaction.atomic():
        record_audit(
            action="search.synonym_delete",
            actor=by,
            target=synonym,
            before=snapshot(synonym, SYNONYM_FIELDS),
        )
        synonym.delete()
    transaction.on_commit(reset_segmenter)
