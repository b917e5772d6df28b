"""Concurrent writers still produce one unbroken chain (PostgreSQL row lock on the head)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from gongkai.core.audit import record_audit, verify_chain
from gongkai.core.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_intact():
    """Eight threads appending at once leave a gap-free, verifiable chain."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the lock matters on PostgreSQL")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                record_audit(action=f"test.concurrent.{n}.{i}")
        except BaseException as exc:  # noqa: BLE001 - surfaced in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert AuditEvent.objects.filter(action__startswith="test.concurrent").count() == 80
    result = verify_chain()
    assert result.ok, result
