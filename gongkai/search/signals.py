"""Receivers that keep indexes true: changes are queued in the outbox in the same transaction.

Signals are used only for index and cache refresh (architecture guide). Bulk writes that bypass
signals (``QuerySet.update``) must call ``gongkai.search.services.record_changes`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from gongkai.core.signals import index_rows_changed
from gongkai.search.choices import ChangeReason
from gongkai.search.registry import all_indexes
from gongkai.search.segment import reset_segmenter
from gongkai.search.services import record_changes

_connected = False
#: Strong references to the receivers (Django keeps weak ones).
_receivers: list[Callable[..., Any]] = []


def _connect(signal: Any, sender: Any, receiver: Callable[..., Any]) -> None:
    _receivers.append(receiver)
    signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"search:{id(receiver)}")


def _queue(index_name: str, pks: Iterable[int], reason: str) -> None:
    record_changes(index_name, [pk for pk in pks if pk is not None], reason)


def _rows_changed(sender: Any, index_name: str, pks: Iterable[int], **kwargs: Any) -> None:
    """Rows that core rewrote with SQL (``core.signals.index_rows_changed``)."""
    _queue(index_name, pks, ChangeReason.SAVED)


def _model_receivers(index_name: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            _queue(index_name, [instance.pk], ChangeReason.SAVED)

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        _queue(index_name, [instance.pk], ChangeReason.DELETED)

    return saved, deleted


def _related_receiver(
    index_name: str, pks_of: Callable[[Any], Iterable[int]]
) -> Callable[..., Any]:
    def changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            _queue(index_name, pks_of(instance), ChangeReason.RELATED)

    return changed


def _m2m_receiver(index_name: str) -> Callable[..., Any]:
    def changed(
        sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
    ) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        pks = [instance.pk] if not reverse else list(pk_set or [])
        _queue(index_name, pks, ChangeReason.RELATED)

    return changed


def _dictionary_changed(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(reset_segmenter)


def connect_all() -> None:
    """Connect receivers for every declared index (once per process)."""
    global _connected
    if _connected:
        return
    _connected = True
    for index in all_indexes():
        try:
            model = apps.get_model(index.model)
        except LookupError:
            continue
        saved, deleted = _model_receivers(index.name)
        _connect(post_save, model, saved)
        _connect(post_delete, model, deleted)
        for field in model._meta.many_to_many:
            _connect(m2m_changed, field.remote_field.through, _m2m_receiver(index.name))
        for label, pks_of in index.related.items():
            try:
                related = apps.get_model(label)
            except LookupError:
                continue
            receiver = _related_receiver(index.name, pks_of)
            _connect(post_save, related, receiver)
            _connect(post_delete, related, receiver)
    for label in ("search.Synonym", "agencies.Agency"):
        _connect(post_save, apps.get_model(label), _dictionary_changed)
        _connect(post_delete, apps.get_model(label), _dictionary_changed)
    _connect(index_rows_changed, None, _rows_changed)
