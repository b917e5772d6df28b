"""Write hooks for models whose rows feed maintained aggregates (decision 2006).

Per-object ``save()``/``delete()`` reach the aggregates through Django's signals; the bulk paths
do not send signals, so the querysets of those models derive from :class:`TalliedQuerySet`,
whose ``update`` and ``bulk_create`` (and so ``bulk_update``) tell the registered hook, and
:func:`gongkai.core.bulkinsert.insert_objects` calls :func:`inserted`. The hooks themselves live
in ``gongkai.stats`` and are registered when that app is ready, so this module (low in the
dependency order) knows no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from django.db import models, transaction

_M = TypeVar("_M", bound=models.Model)


class TallyHook(Protocol):
    """What a maintained aggregate needs to hear about bulk writes of one model."""

    def touches(self, fields: Iterable[str]) -> bool:
        """True when changing these fields may change the aggregates."""

    def snapshot(self, pks: Sequence[Any] | None, queryset: Any = None) -> Any:
        """The contributions of the rows about to change (``pks`` or the ``queryset``)."""

    def changed(self, token: Any) -> None:
        """Apply the difference between the snapshot ``token`` and the rows as they are now."""

    def inserted(self, objs: Sequence[models.Model]) -> None:
        """Add the contributions of new rows (primary keys set)."""


_hooks: dict[type[models.Model], TallyHook] = {}


def register(model: type[models.Model], hook: TallyHook) -> None:
    """Register the hook of ``model`` (called by the aggregates' app when it is ready)."""
    _hooks[model] = hook


def hook_for(model: type[models.Model]) -> TallyHook | None:
    """The hook registered for ``model``, if any."""
    return _hooks.get(model)


def inserted(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Tell the hook of ``model`` (if any) that ``objs`` were inserted without signals."""
    hook = _hooks.get(model)
    if hook is not None and objs:
        hook.inserted(objs)


class TalliedQuerySet(models.QuerySet[_M]):
    """A queryset whose bulk writes keep the registered aggregates in step, in the same
    transaction as the write."""

    def update(self, **kwargs: Any) -> int:
        """``QuerySet.update`` that applies the aggregates' difference of the rows changed."""
        hook = _hooks.get(self.model)
        if hook is None or not hook.touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            token = hook.snapshot(None, self)
            n = super().update(**kwargs)
            hook.changed(token)
        return n

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        """``QuerySet.bulk_create`` that adds the new rows to the aggregates."""
        hook = _hooks.get(self.model)
        if hook is None:
            return super().bulk_create(objs, *args, **kwargs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError("bulk_create with conflict handling bypasses the aggregates")
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            hook.inserted(created)
        return created

    # ``bulk_update`` needs no hook: Django runs it as ``filter(pk__in=…).update(…)`` above.
