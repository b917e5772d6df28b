"""Applying, recounting and checking the aggregates (decision 2006).

* :func:`apply` adds signed counts to the aggregate rows with one upsert statement per model
  (``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``, on SQLite and PostgreSQL);
* :class:`SourceHook` turns a write (save, delete, queryset update, bulk insert) into the
  difference of the records' contributions, read from the database before and after it;
* :func:`recount` counts everything again from the records; :func:`verify` compares it with the
  stored rows and :func:`rebuild` replaces them;
* :func:`agency_moved` moves a subtree's totals from its old ancestors to its new ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Sum

from gongkai.agencies.models import Agency
from gongkai.stats.models import ColumnTally, Tally
from gongkai.stats.sources import SOURCES, TALLIES, Key, Source, all_column_last, column_last

#: (aggregate model, agency of the record, key) → count.
UnitCounts = Counter[tuple[type[Tally], int, Key]]
#: (aggregate model, node, own, key) → count: the rows of the aggregate tables.
NodeCounts = Counter[tuple[type[Tally], int, bool, Key]]

#: Primary keys per ``IN (…)`` when reading rows back (below SQLite's variable limit).
CHUNK = 5000


def count(source: Source, rows: Iterable[dict[str, Any]]) -> UnitCounts:
    """Count the keys of ``rows`` per aggregate model and agency."""
    out: UnitCounts = Counter()
    for row in rows:
        for model, keys in source.measures:
            for key in keys(row):
                out[(model, row["unit"], key)] += 1
    return out


def chains(units: Iterable[int] | None = None) -> dict[int, list[int]]:
    """Each agency's ancestors and itself, from its materialised path (all agencies if None)."""
    qs = Agency.objects.all() if units is None else Agency.objects.filter(pk__in=set(units))
    return {
        pk: [int(x) for x in path.strip("/").split("/")]
        for pk, path in qs.values_list("pk", "path")
    }


def expand(counts: UnitCounts, paths: dict[int, list[int]] | None = None) -> NodeCounts:
    """Spread each agency's counts over itself (``own``) and its ancestors."""
    paths = paths if paths is not None else chains({u for _, u, _ in counts})
    out: NodeCounts = Counter()
    for (model, unit, key), n in counts.items():
        if not n:
            continue
        for node in paths[unit]:
            out[(model, node, node == unit, key)] += n
    return out


def _adapt(value: Any) -> Any:
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return connection.ops.adapt_datefield_value(value)
    return value


def apply(counts: NodeCounts) -> None:
    """Add the signed ``counts`` to the aggregate rows (one upsert per model)."""
    by_model: dict[type[Tally], list[tuple[Any, ...]]] = defaultdict(list)
    for (model, node, own, key), n in counts.items():
        if n:
            by_model[model].append((node, own, *(_adapt(v) for v in key), n))
    for model, params in by_model.items():
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        keys = ", ".join(qn(c) for c in ("node", "own", *model.DIMENSIONS))
        marks = ", ".join(["%s"] * (len(model.DIMENSIONS) + 3))
        sql = (
            f"INSERT INTO {table} ({keys}, {qn('n')}) VALUES ({marks}) "  # noqa: S608 - names from the models
            f"ON CONFLICT ({keys}) DO UPDATE SET {qn('n')} = {table}.{qn('n')} + excluded.{qn('n')}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _difference(before: UnitCounts, after: UnitCounts) -> UnitCounts:
    out: UnitCounts = Counter()
    for k, n in after.items():
        out[k] += n
    for k, n in before.items():
        out[k] -= n
    return out


@dataclass(frozen=True)
class SourceHook:
    """The write hook of one source model (see :mod:`gongkai.core.tallies`)."""

    source: Source

    def touches(self, fields: Iterable[str]) -> bool:
        """True when changing ``fields`` may change a contribution."""
        return bool(set(fields) & self.source.field_names)

    def read(self, pks: Sequence[Any]) -> UnitCounts:
        """The contributions of the records ``pks`` as stored now."""
        out: UnitCounts = Counter()
        manager = self.source.model._default_manager
        for start in range(0, len(pks), CHUNK):
            qs = manager.filter(pk__in=pks[start : start + CHUNK])
            out.update(count(self.source, self.source.rows(qs)))
        return out

    def snapshot(self, pks: Sequence[Any] | None, queryset: Any = None) -> Any:
        """The records' pks and their contributions before a change."""
        if pks is None:
            rows = list(self.source.rows(queryset))
            return [r["pk"] for r in rows], count(self.source, rows)
        return list(pks), self.read(list(pks))

    def changed(self, token: Any) -> None:
        """Apply the difference between the snapshot and the records now."""
        pks, before = token
        after = self.read(pks)
        apply(expand(_difference(before, after)))
        refresh_last(before, after)

    def inserted(self, objs: Sequence[models.Model]) -> None:
        """Add new records (read back from the database, so stored values count)."""
        after = self.read([o.pk for o in objs])
        apply(expand(after))
        refresh_last(after)

    def deleted(self, before: UnitCounts) -> None:
        """Remove the contributions of deleted records."""
        apply(expand(_difference(before, Counter())))
        refresh_last(before)


def refresh_last(*counts: UnitCounts) -> None:
    """Recompute ``ColumnTally.last`` of every (agency, column) the records of ``counts``
    belonged to, before or after the write (one indexed query each: a maximum cannot be
    decremented)."""
    touched = {(unit, key[0]) for c in counts for (model, unit, key) in c if model is ColumnTally}
    for unit, item in sorted(touched):
        ColumnTally.objects.filter(node=unit, own=True, statutory_item=item).update(
            last=column_last(unit, item)
        )


def recount() -> NodeCounts:
    """Every aggregate row counted again from the records (the reference for ``verify``)."""
    paths = chains()
    out: NodeCounts = Counter()
    for source in SOURCES:
        out.update(expand(count(source, source.rows()), paths))
    return +out


def stored() -> NodeCounts:
    """The aggregate rows as stored (rows counting zero left out)."""
    out: NodeCounts = Counter()
    for model in TALLIES:
        for row in model.objects.exclude(n=0).values_list("node", "own", *model.DIMENSIONS, "n"):
            out[(model, row[0], row[1], tuple(row[2:-1]))] = row[-1]
    return out


def stored_last() -> dict[tuple[int, int], Any]:
    """(agency, column) → ``ColumnTally.last`` of the own rows counting items."""
    rows = ColumnTally.objects.filter(own=True, n__gt=0)
    return {
        (node, item): last
        for node, item, last in rows.values_list("node", "statutory_item", "last")
    }


def verify() -> list[tuple[str, int, bool, Key, Any, Any]]:
    """Differences between the stored aggregates and a recount: (table, node, own, key,
    stored, recounted) for every row that differs, the latest publication dates of
    ``ColumnTally`` included; empty when there is no drift."""
    expected, actual = recount(), stored()
    out: list[tuple[str, int, bool, Key, Any, Any]] = []
    for k in sorted(set(expected) | set(actual), key=lambda k: (k[0].__name__, *map(str, k[1:]))):
        if expected.get(k, 0) != actual.get(k, 0):
            model, node, own, key = k
            out.append((model.__name__, node, own, key, actual.get(k, 0), expected.get(k, 0)))
    last, kept = all_column_last(), stored_last()
    for node, item in sorted(set(last) | set(kept)):
        if last.get((node, item)) != kept.get((node, item)):
            row = (
                "ColumnTally.last",
                node,
                True,
                (item,),
                kept.get((node, item)),
                last.get((node, item)),
            )
            out.append(row)
    return out


def rebuild() -> int:
    """Replace every aggregate row by a recount (one transaction); return the rows written."""
    counts, last = recount(), all_column_last()
    by_model: dict[type[Tally], list[Tally]] = defaultdict(list)
    for (model, node, own, key), n in counts.items():
        row = model(node=node, own=own, n=n, **dict(zip(model.DIMENSIONS, key, strict=True)))
        if isinstance(row, ColumnTally) and own:
            row.last = last.get((node, key[0]))
        by_model[model].append(row)
    with transaction.atomic():
        for model in TALLIES:
            model.objects.all().delete()
            model.objects.bulk_create(by_model[model], batch_size=2000)
    return sum(len(v) for v in by_model.values())


def agency_moved(agency_id: int, old_path: str, new_path: str) -> None:
    """Move the subtree totals of ``agency_id`` from its old ancestors to its new ones."""
    old = [int(x) for x in old_path.strip("/").split("/")][:-1]
    new = [int(x) for x in new_path.strip("/").split("/")][:-1]
    delta: NodeCounts = Counter()
    for model in TALLIES:
        totals = (
            model.objects.filter(node=agency_id)
            .order_by()
            .values_list(*model.DIMENSIONS)
            .annotate(s=Sum("n"))
        )
        for *key, s in totals:
            for node in old:
                delta[(model, node, False, tuple(key))] -= s
            for node in new:
                delta[(model, node, False, tuple(key))] += s
    apply(delta)


def fill_if_empty() -> bool:
    """Rebuild when no aggregate row exists but records do (after the upgrade that adds them,
    or after migration 0002 emptied them to count the new tables too); return True if it
    rebuilt."""
    tables = set(connection.introspection.table_names())
    if any(model._meta.db_table not in tables for model in TALLIES):
        return False  # migrated back below the tables: nothing to fill
    if any(model.objects.exists() for model in TALLIES):
        return False
    if not any(source.model._default_manager.exists() for source in SOURCES):
        return False
    rebuild()
    return True
