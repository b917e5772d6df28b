"""Rebuilds: parallel segmentation gives the serial index, and searches keep answering while a
new generation is built and switched in (docs/decisions/0703-index-rebuild.md)."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.search import services
from gongkai.search.backends.tantivy_backend import CURRENT_FILE, STATE_FILE, TantivyBackend
from gongkai.search.segment import get_segmenter
from gongkai.search.selectors import SearchQuery, search
from gongkai.search.services import rebuild_index, record_changes, sync_index
from gongkai.search.tests.conftest import fresh_backend
from gongkai.search.tests.corpus import corpus, pk_of

QUERIES = [
    "住房公积金管理办法",
    "最低生活保障",
    "公共租赁住房",
    "政府信息公开",
    "财政 预算",
    "通知",
]


def _answers(backend) -> dict[str, tuple[int, list[int]]]:
    out = {}
    for q in QUERIES:
        r = search("testcorpus", SearchQuery(text=q, facets=False), backend=backend)
        out[q] = (r.total, [h.pk for h in r.hits])
    return out


def _generations(root) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir()}


def test_parallel_segmentation_prepares_the_same_documents(corpus_index, monkeypatch):
    """Forked workers cut every field exactly as the process itself does, in the same order."""
    monkeypatch.setattr(corpus_index, "batch_size", 7)  # many small batches in flight
    seg = get_segmenter()
    serial = [d for b in services.prepared_batches(corpus_index, seg, 1, 10) for d in b]
    parallel = [d for b in services.prepared_batches(corpus_index, seg, 2, 10) for d in b]
    assert len(serial) == len(corpus()) > 20
    assert parallel == serial


def test_a_parallel_rebuild_answers_like_a_serial_one(corpus_index, search_dir):
    """Same documents, same stamps, same answers to every query."""
    backend = fresh_backend(corpus_index, "tantivy")
    assert rebuild_index(corpus_index, backend, workers=1) == len(corpus())
    serial_answers, serial_stamps = _answers(backend), backend.all_stamps()
    assert rebuild_index(corpus_index, backend, workers=2) == len(corpus())
    assert backend.all_stamps() == serial_stamps
    assert _answers(backend) == serial_answers
    assert any(total for total, _ in serial_answers.values())


def test_search_answers_throughout_a_rebuild(corpus_index, search_dir, monkeypatch):
    """Another process keeps reading the current generation while the new one is written,
    then follows the switch; changes made during the rebuild are not lost."""
    root = search_dir / "testcorpus"
    builder = fresh_backend(corpus_index, "tantivy")
    sync_index(corpus_index, builder)
    reader = TantivyBackend(corpus_index, root)  # a second process on the same directory
    before = _answers(reader)
    old = reader.generation
    pk = pk_of("mm6")
    seen_during: list[dict] = []

    def progress(done: int, total: int) -> None:
        if done < total and not seen_during:
            # mid-rebuild: the reader still answers fully from the old generation
            seen_during.append(_answers(reader))
            corpus_index.hidden.add(pk)  # a withdrawal commits while the rebuild runs
            record_changes("testcorpus", [pk])

    monkeypatch.setattr(corpus_index, "batch_size", 5)
    rebuild_index(corpus_index, builder, workers=2, batch_size=5, progress=progress)
    assert seen_during and seen_during[0]["住房公积金管理办法"] == before["住房公积金管理办法"]
    assert len(_generations(root)) == 2  # the new one and the one just replaced
    after = search("testcorpus", SearchQuery(text="最低生活保障"), backend=reader)
    assert reader.generation != old  # it followed the switch
    assert pk not in [h.pk for h in after.hits]  # the change made meanwhile was applied
    assert _answers(reader)["住房公积金管理办法"] == before["住房公积金管理办法"]
    # a further rebuild removes the oldest generation, keeps the one just replaced
    newest = reader.generation
    rebuild_index(corpus_index, builder)
    assert _generations(root) == {newest, builder.generation}


def test_a_failed_rebuild_leaves_the_current_generation(corpus_index, search_dir):
    root = search_dir / "testcorpus"
    backend = fresh_backend(corpus_index, "tantivy")
    sync_index(corpus_index, backend)
    current, before, generations = backend.generation, _answers(backend), _generations(root)

    def fail(done: int, total: int) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        rebuild_index(corpus_index, backend, batch_size=5, progress=fail)
    assert _generations(root) == generations  # the half-built one is gone
    assert (root / CURRENT_FILE).read_text() == current
    assert _answers(fresh_backend(corpus_index, "tantivy")) == before


def test_an_index_of_the_first_layout_is_moved_into_a_generation(corpus_index, search_dir):
    """Indexes written before generations (files in the index directory itself) keep
    answering: they become the first generation without a rebuild."""
    backend = fresh_backend(corpus_index, "tantivy")
    sync_index(corpus_index, backend)
    expected = _answers(backend)
    backend.close()
    root = search_dir / "testcorpus"
    generation = root / backend.generation
    for child in generation.iterdir():
        os.replace(child, root / child.name)
    generation.rmdir()
    (root / CURRENT_FILE).unlink()
    assert (root / STATE_FILE).exists() and (root / "meta.json").exists()
    again = fresh_backend(corpus_index, "tantivy")
    assert (root / CURRENT_FILE).read_text() == again.generation
    assert sync_index(corpus_index, again).rebuilt is False
    assert _answers(again) == expected


def test_the_rebuild_command_reports_progress_and_rate(corpus_index):
    out = StringIO()
    call_command("search", "rebuild", "testcorpus", "--workers", "2", stdout=out)
    text = out.getvalue()
    assert f"{len(corpus())}/{len(corpus())} 100%" in text
    assert "篇/秒" in text
    assert f"testcorpus: {len(corpus())} documents in" in text
    assert "documents/s, 2 segmenting processes" in text
