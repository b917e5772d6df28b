"""Test helpers shared by every app (not used at run time)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).with_name("axe.min.js")  # axe-core 4.14.1 (MPL-2.0), vendored


def axe_violations(
    page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """Run axe-core in the page; return the violations of the given impacts (WCAG 2.1 AA)."""
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy forbids
    # inline <script> (so add_script_tag would be refused), but not the test's own evaluation.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@contextmanager
def scratch_database_url(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new empty database on the engine under test, dropped afterwards
    (a SQLite file under ``tmp_path``, or a new PostgreSQL database on the test server)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    admin_dsn = f"host={host} port={port} user={db['USER']} dbname=postgres"
    if db.get("PASSWORD"):
        admin_dsn += f" password={db['PASSWORD']}"
    name = f"gongkai_scratch_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
        yield f"postgres://{auth}{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
