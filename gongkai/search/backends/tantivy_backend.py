"""The embedded backend: a tantivy index in a directory (no server; top-k pruning).

Documents arrive segmented (tokens separated by spaces), so the index uses tantivy's whitespace
tokenizer and never needs a Chinese analyser of its own. Facets are one multi-valued raw field
("agency:12", "year:2024", …) whose terms aggregation gives every facet's counts in one pass.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from gongkai.search.backends.base import SearchBackend
from gongkai.search.documents import BackendQuery, PreparedDocument, RawHit, RawResults
from gongkai.search.registry import SearchIndex

Occur = tantivy.Occur
Q = tantivy.Query

STATE_FILE = "gongkai-state.json"
#: In the index's root directory: the name of the generation directory searches read.
CURRENT_FILE = "CURRENT"
#: Taken (flock) while the current generation is switched or old ones are removed.
SWITCH_LOCK = ".switch.lock"
#: Raised on every schema change of this module, so old indexes are rebuilt.
LAYOUT_VERSION = 2
#: Name of the combined field every text field is also indexed in (matching and base score).
ALL = "alltext"
#: How many of the heaviest fields get a field of their own, for their extra weight.
BOOSTED_FIELDS = 2
#: Boost of an exact identifier match over any text score.
IDENTIFIER_BOOST = 1000.0
#: Heap for single-change writers and for bulk rebuilds (bytes).
SMALL_HEAP = 15_000_000
BULK_HEAP = 400_000_000


class TantivyBackend(SearchBackend):
    """One tantivy index per declared index, under ``VAR_DIR/search/<name>/``.

    The root directory holds generations (``g-…/``, each a complete tantivy index with its
    state file) and a ``CURRENT`` file naming the one searches read. A rebuild writes a new
    generation while searches and outbox updates keep using the current one, then replaces
    ``CURRENT`` atomically; every process notices the switch before its next search (one
    ``stat``) and opens the new generation. The previous generation is kept until the next
    switch, so a process still reading it is never pulled from under.
    """

    embedded = True

    def __init__(self, index: SearchIndex, path: Path) -> None:
        super().__init__(index)
        self.root = path
        self._lock = threading.RLock()
        self._writer: Any = None
        self._building: tuple[str, Any, Any] | None = None  # generation, index, writer
        ordered = sorted(index.fields, key=lambda f: -f.weight)
        self._boosted = ordered[:BOOSTED_FIELDS]
        self._base_weight = min(f.weight for f in index.fields)
        self._schema = self._build_schema()
        self._signature = self._schema_signature()
        self.generation = ""
        self.path = path
        self._current_mtime = 0
        self._index = self._open()
        self._state_mtime = self._read_state_mtime()

    # -- layout -------------------------------------------------------------------------------
    def _build_schema(self) -> Any:
        sb = tantivy.SchemaBuilder()
        sb.add_unsigned_field("pk", stored=True, indexed=True, fast=True)
        sb.add_text_field(ALL, stored=False, tokenizer_name="whitespace", index_option="freq")
        for f in self._boosted:
            sb.add_text_field(
                f.name, stored=False, tokenizer_name="whitespace", index_option="freq"
            )
        sb.add_text_field(
            "facet", stored=False, fast=True, tokenizer_name="raw", index_option="basic"
        )
        sb.add_text_field("ident", stored=False, tokenizer_name="raw", index_option="basic")
        sb.add_integer_field("date", stored=False, indexed=False, fast=True)
        sb.add_integer_field("stamp", stored=False, indexed=False, fast=True)
        sb.add_bytes_field("doc", stored=True, indexed=False, fast=False)
        return sb.build()

    def _schema_signature(self) -> str:
        names = [f"{f.name}" for f in self.index.fields]
        raw = json.dumps([LAYOUT_VERSION, names, list(self.index.facets)])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @contextmanager
    def _switch_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / SWITCH_LOCK).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _current_path(self) -> Path:
        return self.root / CURRENT_FILE

    def _write_current(self, generation: str) -> None:
        tmp = self.root / f"{CURRENT_FILE}.tmp"
        tmp.write_text(generation, encoding="utf-8")
        os.replace(tmp, self._current_path())

    def _current_generation(self) -> str:
        """The generation searches should read; an index of the first layout (files in the
        root itself) is moved into a generation of its own the first time it is opened."""
        try:
            return self._current_path().read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            pass
        with self._switch_lock():
            try:
                return self._current_path().read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                generation = _new_generation()
                target = self.root / generation
                target.mkdir()
                for child in self.root.iterdir():
                    if child.is_file() and not child.name.startswith((SWITCH_LOCK, CURRENT_FILE)):
                        os.replace(child, target / child.name)
                self._write_current(generation)
                return generation

    def _current_stamp(self) -> int:
        try:
            return self._current_path().stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def _open(self) -> Any:
        for leftover in self.root.parent.glob(f".{self.root.name}.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        self._current_mtime = self._current_stamp()
        self.generation = self._current_generation()
        self.path = self.root / self.generation
        self.path.mkdir(parents=True, exist_ok=True)
        state = self._load_state_file()
        has_index = (self.path / "meta.json").exists()
        if has_index and state.get("signature", self._signature) != self._signature:
            self._wipe()
        return tantivy.Index(self._schema, path=str(self.path), reuse=True)

    def _follow_switch(self) -> None:
        """Open the current generation if another process (or a rebuild) switched to it."""
        stamp = self._current_stamp()
        if stamp == self._current_mtime:
            return
        with self._lock:
            generation = self._current_generation()
            self._current_mtime = stamp
            if generation != self.generation and self._writer is None:
                self.close()
                self._index = self._open()
                self._state_mtime = self._read_state_mtime()

    def _wipe(self) -> None:
        for child in self.path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()

    # -- state --------------------------------------------------------------------------------
    def _state_path(self) -> Path:
        return self.path / STATE_FILE

    def _load_state_file(self) -> dict[str, Any]:
        try:
            return json.loads(self._state_path().read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _read_state_mtime(self) -> float:
        try:
            return self._state_path().stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def state(self) -> dict[str, Any]:
        """The saved state, reloading the reader when another process has written since
        (and opening the new generation when a rebuild has switched to it)."""
        self._follow_switch()
        mtime = self._read_state_mtime()
        if mtime != self._state_mtime:
            self._state_mtime = mtime
            self._index.reload()
        if not (self.path / "meta.json").exists():
            return {}
        return self._load_state_file()

    def save_state(self, state: dict[str, Any]) -> None:
        """Write the state atomically (after the commit it describes)."""
        data = dict(state, signature=self._signature)
        tmp = self._state_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self._state_path())
        self._state_mtime = self._read_state_mtime()

    # -- rebuilds into a new generation ---------------------------------------------------------
    def begin_rebuild(self) -> None:
        """Start an empty generation beside the current one (searches keep reading that)."""
        with self._lock:
            self.abort_rebuild()
            generation = _new_generation()
            path = self.root / generation
            path.mkdir(parents=True)
            index = tantivy.Index(self._schema, path=str(path), reuse=False)
            self._building = (generation, index, index.writer(BULK_HEAP, 0))

    def finish_rebuild(self, state: dict[str, Any]) -> None:
        """Commit the new generation with its state and switch every process to it."""
        with self._lock:
            if self._building is None:
                raise RuntimeError("no rebuild in progress")
            generation, index, writer = self._building
            writer.commit()
            writer.wait_merging_threads()
            self._building = None
            path = self.root / generation
            tmp = path / f"{STATE_FILE}.tmp"
            tmp.write_text(json.dumps(dict(state, signature=self._signature)), encoding="utf-8")
            os.replace(tmp, path / STATE_FILE)
            with self._switch_lock():
                previous = self._current_generation()
                self._write_current(generation)
                for child in self.root.iterdir():
                    # older than the one just replaced (a rebuild started since is kept)
                    if child.is_dir() and child.name < previous and child.name != generation:
                        shutil.rmtree(child, ignore_errors=True)
            self.close()
            index.reload()
            self._index = index
            self.generation, self.path = generation, path
            self._current_mtime = self._current_stamp()
            self._state_mtime = self._read_state_mtime()

    def abort_rebuild(self) -> None:
        """Drop a rebuild that did not finish (its generation is removed)."""
        with self._lock:
            if self._building is None:
                return
            generation, _, writer = self._building
            self._building = None
            writer.rollback()
            del writer
            gc.collect()
            shutil.rmtree(self.root / generation, ignore_errors=True)

    # -- writes -------------------------------------------------------------------------------
    def begin_bulk(self) -> None:
        """Hold one large writer until ``end_bulk`` (many changes to the current generation)."""
        with self._lock:
            if self._writer is None:
                self._writer = self._index.writer(BULK_HEAP, 0)

    def end_bulk(self) -> None:
        """Commit the bulk writer and wait for merges."""
        with self._lock:
            if self._writer is not None:
                self._writer.commit()
                self._writer.wait_merging_threads()
                self._writer = None
            self._index.reload()

    def _write(self, fn: Any) -> None:
        with self._lock:
            if self._writer is not None:  # inside a bulk load
                fn(self._writer)
                return
            writer = self._index.writer(SMALL_HEAP, 1)
            try:
                fn(writer)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            self._index.reload()

    def _document(self, doc: PreparedDocument) -> Any:
        d = tantivy.Document()
        d.add_unsigned("pk", doc.pk)
        everything = " ".join(t for t in doc.tokens.values() if t)
        if everything:
            d.add_text(ALL, everything)
        for f in self._boosted:
            if doc.tokens.get(f.name):
                d.add_text(f.name, doc.tokens[f.name])
        for value in doc.facets:
            d.add_text("facet", value)
        for key in doc.identifiers:
            d.add_text("ident", key)
        d.add_integer("date", doc.days)
        d.add_integer("stamp", doc.stamp)
        d.add_bytes("doc", doc.stored_json.encode("utf-8"))
        return d

    def upsert(self, docs: Iterable[PreparedDocument]) -> None:
        """Replace documents by pk."""
        docs = list(docs)
        if not docs:
            return

        def run(writer: Any) -> None:
            for doc in docs:
                writer.delete_documents_by_query(self._term("pk", doc.pk))
                writer.add_document(self._document(doc))

        self._write(run)

    def add_new(self, docs: Iterable[PreparedDocument]) -> None:
        """Add documents known to be absent (rebuilds: into the new generation while one is
        being built; no delete per document)."""

        def run(writer: Any) -> None:
            for doc in docs:
                writer.add_document(self._document(doc))

        with self._lock:
            if self._building is not None:
                run(self._building[2])
                return
        self._write(run)

    def delete(self, pks: Iterable[int]) -> None:
        """Delete documents by pk.

        By query, not ``delete_documents_by_term``: with tantivy-py 0.27 a term delete from a
        writer that did not add the document is silently lost.
        """
        pks = list(pks)
        if not pks:
            return

        def run(writer: Any) -> None:
            for pk in pks:
                writer.delete_documents_by_query(self._term("pk", pk))

        self._write(run)

    def clear(self) -> None:
        """Drop every document and the state file."""
        self._write(lambda writer: writer.delete_all_documents())
        self._state_path().unlink(missing_ok=True)
        self._state_mtime = 0.0

    def close(self) -> None:
        """Drop the writer, if any (a rebuild in progress is not touched)."""
        with self._lock:
            if self._writer is not None:
                self._writer.rollback()
                self._writer = None

    # -- reads --------------------------------------------------------------------------------
    def _term(self, field: str, value: Any) -> Any:
        return Q.term_query(self._schema, field, value)

    def _word_query(self, token: str) -> Any:
        """One token: it must be in the combined field; the heaviest fields add their weight.

        Matching walks one posting list per word (the combined field), which keeps
        intersections cheap at a million documents; title and keywords still rank first.
        """
        clauses = [(Occur.Must, Q.boost_query(self._term(ALL, token), self._base_weight))]
        clauses.extend(
            (Occur.Should, Q.boost_query(self._term(f.name, token), f.weight))
            for f in self._boosted
        )
        return Q.boolean_query(clauses)

    def _group_query(self, group: list[tuple[str, ...]]) -> Any:
        alts = []
        for alt in group:
            if len(alt) == 1:
                alts.append(self._word_query(alt[0]))
            else:
                alts.append(Q.boolean_query([(Occur.Must, self._word_query(t)) for t in alt]))
        if len(alts) == 1:
            return alts[0]
        return Q.boolean_query([(Occur.Should, q) for q in alts])

    def _restriction(self, facet: str, values: Iterable[str]) -> Any:
        terms = [self._term("facet", f"{facet}:{v}") for v in values]
        if not terms:
            return Q.empty_query()
        inner = terms[0] if len(terms) == 1 else Q.boolean_query([(Occur.Should, t) for t in terms])
        return Q.const_score_query(inner, 0.0)

    def build_query(self, query: BackendQuery) -> Any:
        """The tantivy query for ``query`` (also used by the bench as the bare engine query)."""
        occur = Occur.Should if query.match_any else Occur.Must
        text = None
        if query.groups:
            groups = [self._group_query(g) for g in query.groups]
            text = groups[0] if len(groups) == 1 else Q.boolean_query([(occur, g) for g in groups])
        main = text
        if query.identifiers:
            idents = [
                (Occur.Should, Q.boost_query(self._term("ident", k), IDENTIFIER_BOOST))
                for k in query.identifiers
            ]
            if text is not None:
                idents.append((Occur.Should, text))
            main = Q.boolean_query(idents)
        restrictions = [
            self._restriction(facet, values) for facet, values in query.filters.items() if values
        ]
        for facet, allowed in (query.scope or {}).items():
            restrictions.append(self._restriction(facet, sorted(allowed)))
        if main is None:
            main = Q.all_query()
        if not restrictions:
            return main
        return Q.boolean_query([(Occur.Must, main)] + [(Occur.Must, r) for r in restrictions])

    def search(self, query: BackendQuery) -> RawResults:
        """Run the query: one pass over the matches for the count (and facet counts).

        With facets, a single aggregation yields both the facet counts and the exact hit
        count, so the top-k search itself need not count.
        """
        q = self.build_query(query)
        searcher = self._index.searcher()
        facets: dict[str, dict[str, int]] = {}
        total: int | None = None
        if query.with_facets:
            agg = searcher.aggregate(
                q,
                {
                    "f": {"terms": {"field": "facet", "size": 5000}},
                    "n": {"value_count": {"field": "pk"}},
                },
            )
            total = int(agg["n"]["value"] or 0)
            for bucket in agg["f"]["buckets"]:
                name, _, value = str(bucket["key"]).partition(":")
                facets.setdefault(name, {})[value] = int(bucket["doc_count"])
        kwargs: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
        if not (query.groups or query.identifiers):
            kwargs["order_by_field"] = "date"
        if total == 0:
            return RawResults(hits=[], total=0, facets=facets)
        result = searcher.search(q, count=total is None, **kwargs)
        hits = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            stored = json.loads(bytes(doc.get_first("doc")).decode("utf-8"))
            hits.append(RawHit(pk=int(doc.get_first("pk")), score=float(score), stored=stored))
        return RawResults(
            hits=hits, total=total if total is not None else int(result.count), facets=facets
        )

    def bare_search(self, native_query: Any, limit: int) -> tuple[int, list[Any]]:
        """The engine alone: top ``limit`` addresses and the count (for the bench)."""
        result = self._index.searcher().search(native_query, limit=limit, count=True)
        return result.count, result.hits

    def all_stamps(self) -> dict[int, int]:
        """Every indexed pk with its stamp (read from fast fields, no stored documents)."""
        searcher = self._index.searcher()
        n = searcher.num_docs
        if not n:
            return {}
        result = searcher.search(Q.all_query(), limit=n, count=False)
        addresses = [a for _, a in result.hits]
        pks = searcher.fast_field_values("pk", addresses)
        stamps = searcher.fast_field_values("stamp", addresses)
        return {int(p): int(s or 0) for p, s in zip(pks, stamps, strict=True)}

    def stats(self) -> dict[str, Any]:
        """Number of documents and bytes on disk."""
        size = sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return {"documents": self._index.searcher().num_docs, "bytes": size}


def _new_generation() -> str:
    """A fresh generation directory name (sortable by creation time)."""
    return f"g-{time.time_ns():x}-{uuid.uuid4().hex[:6]}"
