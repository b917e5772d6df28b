"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from gongkai.core.audit import record_audit, verify_chain
from gongkai.core.models import AuditEvent, AuditImmutableError


def _drop_guard() -> None:
    """Remove the database guard so a test can simulate tampering by someone with DB access."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


@pytest.mark.django_db
def test_entries_are_chained_and_verify_ok(tree):
    """Each entry carries the previous entry's hash; an untouched chain verifies."""
    before = AuditEvent.objects.count()
    e1 = record_audit(action="test.one", target=tree.dept_a, agency=tree.dept_a, after={"x": 1})
    e2 = record_audit(action="test.two", agency=tree.dept_a, before={"x": 1}, after={"x": 2})
    assert e2.prev_hash == e1.hash
    assert e2.seq == e1.seq + 1
    assert AuditEvent.objects.count() == before + 2
    result = verify_chain()
    assert result.ok, result
    assert result.count == before + 2


@pytest.mark.django_db
def test_orm_cannot_edit_or_delete_entries(tree):
    """No ORM path changes or deletes an audit entry."""
    event = record_audit(action="test.orm", agency=tree.dept_a)
    event.action = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.orm"


@pytest.mark.django_db
def test_database_rejects_raw_update(tree):
    """Even raw SQL cannot update an entry: a database trigger refuses it."""
    event = record_audit(action="test.raw", agency=tree.dept_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.raw"


@pytest.mark.django_db
def test_raw_delete_is_refused_or_detected(tree):
    """PostgreSQL refuses a raw DELETE; on SQLite (no delete trigger) it is detected."""
    event = record_audit(action="test.raw", agency=tree.dept_a)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert verify_chain().broken_seq == event.seq


@pytest.mark.django_db
def test_verify_reports_first_tampered_entry(tree):
    """Changing an entry's content behind the application's back breaks the chain there."""
    record_audit(action="test.a", agency=tree.dept_a)
    victim = record_audit(action="test.b", agency=tree.dept_a, after={"amount": 100})
    record_audit(action="test.c", agency=tree.dept_a)
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET action = 'test.forged' WHERE id = %s", [victim.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == victim.seq
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert f"第 {victim.seq} 条" in str(exc.value)


@pytest.mark.django_db
def test_verify_detects_deleted_entries(tree):
    """Deleting an entry in the middle or at the end is detected."""
    record_audit(action="test.a", agency=tree.dept_a)
    middle = record_audit(action="test.b", agency=tree.dept_a)
    last = record_audit(action="test.c", agency=tree.dept_a)
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [middle.pk])
    result = verify_chain()
    assert not result.ok and result.broken_seq == last.seq  # the entry after the gap
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    result = verify_chain()
    assert not result.ok and result.broken_seq == middle.seq  # the tail is missing


@pytest.mark.django_db
def test_verify_command_ok(tree, capsys):
    """`gongkai audit verify` prints OK on an intact chain."""
    record_audit(action="test.ok", agency=tree.dept_a)
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
