"""Fast inserts of many new rows: what ``bulk_create`` does, without its per-statement cost.

``bulk_create`` compiles every INSERT through Django's SQL compiler and, on SQLite, cuts it to
Django's assumed 999-parameter limit (≈18 rows of a 55-column table per statement). Here the
values are prepared by the same field methods (``pre_save`` then ``get_db_prep_save``: hashes,
encryption, ``auto_now_add``, JSON), and written

* on PostgreSQL with ``COPY … FROM STDIN`` (ids taken from the table's sequence first when the
  caller needs them);
* on SQLite with multi-row ``INSERT … RETURNING id`` statements sized to the connection's real
  variable limit (32,766 on current SQLite), or ``executemany`` when no ids are needed.

No signals are sent and ``save()`` is not called — exactly as with ``bulk_create``; the
maintained aggregates of the model (``gongkai.core.tallies``) are told of the new rows. Only for
objects without a primary key; must run inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin

from gongkai.core import tallies

#: Rows per COPY / executemany call (bounds memory, not statements).
CHUNK = 5000


def _columns(model: type[Model]) -> tuple[list[Any], Any]:
    """The concrete fields written on insert (all but the auto primary key) and the pk."""
    pk = model._meta.pk
    if not isinstance(pk, AutoFieldMixin):
        raise TypeError(f"{model.__name__}: insert_objects needs an auto primary key")
    return [f for f in model._meta.concrete_fields if f is not pk], pk


#: Field classes whose database value is the attribute itself when it is None or of the
#: listed types (their ``get_db_prep_save`` only checks or converts other types).
_PLAIN: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.ForeignKey: (int,),
}


def _preparer(field: Any, connection: Any) -> Callable[[Model], Any]:
    """A function giving the field's database value for an object (as ``bulk_create`` does:
    ``pre_save`` then ``get_db_prep_save``), short-cut for plain values of plain fields."""
    attname = field.attname
    plain = _PLAIN.get(type(field))
    if plain is not None and not getattr(field, "auto_now_add", False):
        prep = field.get_db_prep_save

        def value(obj: Model) -> Any:
            v = getattr(obj, attname)
            if v is None or type(v) in plain:
                return v
            return prep(v, connection=connection)

        return value
    if (
        type(field).__module__.startswith("django.db.models.fields")
        and not isinstance(field, models.JSONField)
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ):  # Django's own fields store None as NULL
        prep = field.get_db_prep_save

        def value_or_null(obj: Model) -> Any:
            v = getattr(obj, attname)
            return None if v is None else prep(v, connection=connection)

        return value_or_null
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection=connection)


def _values(objs: Sequence[Model], fields: list[Any], connection: Any) -> list[tuple[Any, ...]]:
    getters = [_preparer(f, connection) for f in fields]
    return [tuple(get(obj) for get in getters) for obj in objs]


def sqlite_variable_limit(connection: Any) -> int:
    """The number of ``?`` one SQLite statement may hold on this connection."""
    connection.ensure_connection()
    return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def insert_objects(objs: Sequence[Model], *, returning_ids: bool = True) -> None:
    """Insert new objects of one model; set their primary keys when ``returning_ids``."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields, pk = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = [connection.ops.quote_name(f.column) for f in fields]
    quoted_pk = connection.ops.quote_name(pk.column)
    for start in range(0, len(objs), CHUNK):
        chunk = objs[start : start + CHUNK]
        rows = _values(chunk, fields, connection)
        if connection.vendor == "postgresql":
            _copy(connection, model, table, names, quoted_pk, chunk, rows, returning_ids)
        else:
            _sqlite(connection, table, names, quoted_pk, chunk, rows, returning_ids)
    if returning_ids:
        tallies.inserted(model, objs)
    elif tallies.hook_for(model) is not None:
        raise ValueError(f"{model.__name__} feeds maintained aggregates: insert with ids")


def _copy(
    connection: Any,
    model: type[Model],
    table: str,
    names: list[str],
    quoted_pk: str,
    objs: Sequence[Model],
    rows: list[tuple[Any, ...]],
    returning_ids: bool,
) -> None:
    with connection.cursor() as cursor:
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            names = [quoted_pk, *names]
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _sqlite(
    connection: Any,
    table: str,
    names: list[str],
    quoted_pk: str,
    objs: Sequence[Model],
    rows: list[tuple[Any, ...]],
    returning_ids: bool,
) -> None:
    columns = ", ".join(names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    with connection.cursor() as cursor:
        if not returning_ids:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", rows)  # noqa: S608
            return
        per_statement = max(1, sqlite_variable_limit(connection) // max(1, len(names)))
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            values = ", ".join([one] * len(part))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {quoted_pk}"  # noqa: S608
            cursor.execute(sql, [v for row in part for v in row])
            ids = [r[0] for r in cursor.fetchall()]
            for obj, pk in zip(objs[start : start + len(part)], ids, strict=True):
                obj.pk = pk
