# ruff: noqa: S608 - table names are checked against [a-z0-9_]+; every value is a parameter.
"""PostgreSQL full-text search: a weighted ``tsvector`` per document in a table of its own.

Tokens are segmented in Python and stored through the ``simple`` configuration, so PostgreSQL
needs no Chinese parser. Ranking is ``ts_rank_cd`` with the declared field weights mapped onto
the four tsvector weights A–D. The table is created on first use (``CREATE TABLE IF NOT
EXISTS``), so SQLite deployments carry no PostgreSQL-only migration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from gongkai.search.backends.base import SearchBackend
from gongkai.search.documents import BackendQuery, PreparedDocument, RawHit, RawResults
from gongkai.search.registry import SearchIndex

LETTERS = "ABCD"
IDENTIFIER_BOOST = 1000.0
_SAFE = re.compile(r"^[a-z0-9_]+$")


def _lexeme(token: str) -> str:
    """A tsquery lexeme, quoted (tokens carry no punctuation, but be safe)."""
    return "'" + token.replace("\\", "").replace("'", "''") + "'"


class PostgresBackend(SearchBackend):
    """Documents of one index in table ``search_pg_<name>``; state in ``search_pg_state``."""

    embedded = False

    def __init__(self, index: SearchIndex) -> None:
        super().__init__(index)
        if not _SAFE.match(index.name):
            raise ValueError(f"index name {index.name!r} is not a safe table name")
        self.table = f"search_pg_{index.name}"
        # fields in decreasing weight take letters A, B, C, D (the rest share D)
        ordered = sorted(self.index.fields, key=lambda f: -f.weight)
        self.letters = {f.name: LETTERS[min(i, 3)] for i, f in enumerate(ordered)}
        top = ordered[0].weight
        weights = {
            LETTERS[min(i, 3)]: f.weight / top for i, f in reversed(list(enumerate(ordered)))
        }
        # ts_rank_cd takes the weights in the order {D, C, B, A}
        self.rank_weights = "{" + ",".join(str(weights.get(x, 0.1)) for x in "DCBA") + "}"
        self._ready = False

    def ensure_schema(self) -> None:
        """Create the table and its GIN indexes when missing."""
        if self._ready:
            return
        with connection.cursor() as cur:
            cur.execute(
                f"""CREATE TABLE IF NOT EXISTS {self.table} (
                    pk bigint PRIMARY KEY,
                    tsv tsvector NOT NULL,
                    ident text[] NOT NULL DEFAULT '{{}}',
                    facets text[] NOT NULL DEFAULT '{{}}',
                    days integer NOT NULL DEFAULT 0,
                    stamp bigint NOT NULL DEFAULT 0,
                    doc jsonb NOT NULL)"""
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_tsv ON {self.table} USING gin (tsv)"
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_ident ON {self.table} USING gin (ident)"
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_facets ON {self.table} USING gin (facets)"
            )
            cur.execute(
                "CREATE TABLE IF NOT EXISTS search_pg_state (name text PRIMARY KEY, state jsonb)"
            )
        self._ready = True

    # -- writes -------------------------------------------------------------------------------
    def _tsv_sql(self) -> str:
        parts = [
            f"setweight(to_tsvector('simple', %s), '{self.letters[f.name]}')"
            for f in self.index.fields
        ]
        return " || ".join(parts)

    def upsert(self, docs: Iterable[PreparedDocument]) -> None:
        """Insert or replace rows."""
        self.ensure_schema()
        rows: list[list[Any]] = [
            [
                d.pk,
                *[d.tokens.get(f.name, "") for f in self.index.fields],
                d.identifiers,
                d.facets,
                d.days,
                d.stamp,
                d.stored_json,
            ]
            for d in docs
        ]
        if not rows:
            return
        sql = (
            f"INSERT INTO {self.table} (pk, tsv, ident, facets, days, stamp, doc) "
            f"VALUES (%s, {self._tsv_sql()}, %s, %s, %s, %s, %s) "
            "ON CONFLICT (pk) DO UPDATE SET tsv = EXCLUDED.tsv, ident = EXCLUDED.ident, "
            "facets = EXCLUDED.facets, days = EXCLUDED.days, stamp = EXCLUDED.stamp, "
            "doc = EXCLUDED.doc"
        )
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(sql, rows)

    add_new = upsert

    def delete(self, pks: Iterable[int]) -> None:
        """Delete rows by pk."""
        self.ensure_schema()
        pks = list(pks)
        if pks:
            with connection.cursor() as cur:
                cur.execute(f"DELETE FROM {self.table} WHERE pk = ANY(%s)", [pks])

    def clear(self) -> None:
        """Empty the table and forget the state."""
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {self.table}")
            cur.execute("DELETE FROM search_pg_state WHERE name = %s", [self.index.name])

    def state(self) -> dict[str, Any]:
        """The saved state row."""
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute("SELECT state FROM search_pg_state WHERE name = %s", [self.index.name])
            row = cur.fetchone()
        if not row:
            return {}
        return row[0] if isinstance(row[0], dict) else json.loads(row[0])

    def save_state(self, state: dict[str, Any]) -> None:
        """Upsert the state row."""
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO search_pg_state (name, state) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state",
                [self.index.name, json.dumps(state)],
            )

    # -- reads --------------------------------------------------------------------------------
    def tsquery(self, query: BackendQuery) -> str:
        """The tsquery text: groups joined by & (| when relaxed), alternatives by |."""
        groups = []
        for group in query.groups:
            alts = ["(" + " & ".join(_lexeme(t) for t in alt) + ")" for alt in group]
            groups.append("(" + " | ".join(alts) + ")")
        return (" | " if query.match_any else " & ").join(groups)

    def _where(self, query: BackendQuery) -> tuple[str, list[Any], str]:
        params: list[Any] = []
        conds: list[str] = []
        match: list[str] = []
        tsq = self.tsquery(query) if query.groups else ""
        if tsq:
            match.append("tsv @@ to_tsquery('simple', %s)")
            params.append(tsq)
        if query.identifiers:
            match.append("ident && %s")
            params.append(list(query.identifiers))
        if match:
            conds.append("(" + " OR ".join(match) + ")")
        for facet, values in query.filters.items():
            if values:
                conds.append("facets && %s")
                params.append([f"{facet}:{v}" for v in values])
        for facet, allowed in (query.scope or {}).items():
            conds.append("facets && %s")
            params.append([f"{facet}:{v}" for v in sorted(allowed)])
        return (" AND ".join(conds) or "TRUE"), params, tsq

    def search(self, query: BackendQuery) -> RawResults:
        """Rank with ts_rank_cd (every match is ranked: PostgreSQL has no top-k pruning)."""
        self.ensure_schema()
        where, params, tsq = self._where(query)
        score_parts: list[str] = []
        score_params: list[Any] = []
        if tsq:
            score_parts.append(f"ts_rank_cd('{self.rank_weights}', tsv, to_tsquery('simple', %s))")
            score_params.append(tsq)
        if query.identifiers:
            score_parts.append(f"(CASE WHEN ident && %s THEN {IDENTIFIER_BOOST} ELSE 0 END)")
            score_params.append(list(query.identifiers))
        score = " + ".join(score_parts) or "0"
        order = "score DESC, pk DESC" if score_parts else "days DESC, pk DESC"
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT pk, {score} AS score, doc FROM {self.table} WHERE {where} "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*score_params, *params, query.limit, query.offset],
            )
            rows = cur.fetchall()
            cur.execute(f"SELECT count(*) FROM {self.table} WHERE {where}", params)
            total = cur.fetchone()[0]
            facets: dict[str, dict[str, int]] = {}
            if query.with_facets and total:
                cur.execute(
                    f"SELECT f, count(*) FROM {self.table}, unnest(facets) AS f "
                    f"WHERE {where} GROUP BY f",
                    params,
                )
                for key, n in cur.fetchall():
                    name, _, value = key.partition(":")
                    facets.setdefault(name, {})[value] = int(n)
        hits = [
            RawHit(pk=int(pk), score=float(s), stored=d if isinstance(d, dict) else json.loads(d))
            for pk, s, d in rows
        ]
        return RawResults(hits=hits, total=int(total), facets=facets)

    def all_stamps(self) -> dict[int, int]:
        """Every pk in the table with its stamp."""
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"SELECT pk, stamp FROM {self.table}")
            return {int(p): int(s) for p, s in cur.fetchall()}

    def stats(self) -> dict[str, Any]:
        """Row count and the table's total size (with its indexes)."""
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*), pg_total_relation_size('{self.table}') FROM {self.table}"
            )
            n, size = cur.fetchone()
        return {"documents": int(n), "bytes": int(size)}
