"""The audit trail: append an entry in the caller's transaction; verify the hash chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.core import context
from gongkai.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _normalise(value: Any) -> Any:
    """Return ``value`` as plain JSON data (dates, decimals and UUIDs become strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _entry_hash(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_repr": event.actor_repr,
        "role": event.role,
        "agency_id": event.agency_id,
        "ip": event.ip,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return the given fields of ``obj`` as JSON data, for before/after records."""
    data: dict[str, Any] = {}
    for name in fields:
        # Snapshots name concrete fields (get_field may also return a reverse relation).
        field = cast(models.Field, obj._meta.get_field(name))
        value = getattr(obj, field.attname)
        data[name] = value
    return _normalise(data)


def _lock_head() -> AuditChainHead:
    """Take the chain head's write lock and return it (created on first use)."""
    for _ in range(3):
        updated = AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        if updated:
            return AuditChainHead.objects.get(pk=1)
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1, seq=0, last_hash=GENESIS_HASH)
        except IntegrityError:
            pass
    raise RuntimeError("could not lock the audit chain head")


def record_audit(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    agency: Any = None,
    role: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    target_repr: str | None = None,
) -> AuditEvent:
    """Append one audit entry, chained to the previous one, in the caller's transaction.

    The actor and IP default to those of the request being served. Call this inside the
    service's ``transaction.atomic`` block so the entry exists exactly when the change does.
    """
    ctx = context.current()
    if actor is None and ctx is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.seq,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_repr=str(actor)[:200] if actor is not None else "系统",
            role=role,
            agency=agency,
            ip=(ctx.ip if ctx else "")[:64],
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None and target.pk is not None else "",
            target_repr=(target_repr if target_repr is not None else str(target or ""))[:300],
            before=_normalise(before),
            after=_normalise(after),
            prev_hash=head.last_hash,
        )
        event.hash = _entry_hash(_hashed_fields(event))
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash)
    return event


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking the chain: ``ok``, the number of entries, the first broken one."""

    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> VerifyResult:
    """Recompute every entry's hash and link; report the first broken entry."""
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if event.seq != expected_seq:
            return VerifyResult(False, count, event.seq, f"序号不连续：应为 {expected_seq}")
        if event.prev_hash != prev:
            return VerifyResult(False, count, event.seq, "前一条哈希不匹配")
        if _entry_hash(_hashed_fields(event)) != event.hash:
            return VerifyResult(False, count, event.seq, "内容哈希不匹配（记录被修改）")
        prev = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or head.last_hash != prev):
        return VerifyResult(False, count, count + 1, "链尾记录缺失（记录被删除）")
    if head is None and count:
        return VerifyResult(False, count, None, "链头缺失")
    return VerifyResult(True, count)
