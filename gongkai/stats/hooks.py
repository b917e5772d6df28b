"""The write hooks: signals for save/delete, queryset hooks for bulk writes, agency moves.

Everything runs in the writer's transaction (the services open one; the bulk hooks open their
own savepoint), so an aggregate never counts a write that was rolled back.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from gongkai.agencies.signals import agency_moved
from gongkai.core import tallies
from gongkai.stats import maintenance
from gongkai.stats.sources import SOURCES

_HOOKS: dict[type[models.Model], maintenance.SourceHook] = {}
#: Attribute holding the contributions read before a save or delete.
_BEFORE = "_stats_before"


def _before_save(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    hook = _HOOKS[sender]
    if update_fields is not None and not hook.touches(update_fields):
        setattr(instance, _BEFORE, None)
        return
    # A new object with an explicit primary key may still overwrite a stored row: read it.
    setattr(instance, _BEFORE, Counter() if instance.pk is None else hook.read([instance.pk]))


def _after_save(sender: Any, instance: Any, **kw: Any) -> None:
    before = getattr(instance, _BEFORE, None)
    if before is None:
        return
    hook = _HOOKS[sender]
    hook.changed(([instance.pk], before))
    setattr(instance, _BEFORE, None)


def _before_delete(sender: Any, instance: Any, **kw: Any) -> None:
    setattr(instance, _BEFORE, _HOOKS[sender].read([instance.pk]))


def _after_delete(sender: Any, instance: Any, **kw: Any) -> None:
    before = getattr(instance, _BEFORE, None)
    if before:
        _HOOKS[sender].deleted(before)


def _moved(sender: Any, agency_id: int, old_path: str, new_path: str, **kw: Any) -> None:
    maintenance.agency_moved(agency_id, old_path, new_path)


def connect() -> None:
    """Register the hooks of every source model (from the app's ``ready``)."""
    for source in SOURCES:
        hook = maintenance.SourceHook(source)
        _HOOKS[source.model] = hook
        tallies.register(source.model, hook)
        uid = f"stats.{source.model._meta.label}"
        pre_save.connect(_before_save, sender=source.model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(_after_save, sender=source.model, dispatch_uid=f"{uid}.post_save")
        pre_delete.connect(_before_delete, sender=source.model, dispatch_uid=f"{uid}.pre_delete")
        post_delete.connect(_after_delete, sender=source.model, dispatch_uid=f"{uid}.post_delete")
    agency_moved.connect(_moved, dispatch_uid="stats.agency_moved")
