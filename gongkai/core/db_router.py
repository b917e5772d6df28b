"""Send the public portal's reads to a read replica when one is configured.

Set ``DATABASE_REPLICA_URL`` to add the ``replica`` database alias. Reads made while serving an
anonymous GET/HEAD request on a public page go to the replica; everything else — writes, the
office, the API that writes, every transaction — uses the primary (``default``). Replication
lag is therefore only ever visible to anonymous readers of published pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

from gongkai.core import context

REPLICA = "replica"


class PrimaryReplicaRouter:
    """Route public anonymous reads to the replica; all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if REPLICA not in settings.DATABASES:
            return None
        ctx = context.current()
        if ctx is None or not ctx.public_read:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
