"""The upkeep of the published record: validity (已修改/已废止/已失效), the 规范性文件清理 decisions
that abolish documents in bulk, and the periodic counts entered for table 二."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import require
from gongkai.catalog import docnumber
from gongkai.catalog.choices import ABOLISHED_VALIDITIES, EventKind, Validity
from gongkai.catalog.models import CatalogItem, CleanupDecision, PeriodicCount
from gongkai.catalog.workflow import PLATFORM, describe, record_item_event
from gongkai.core.actors import Actor, user_of
from gongkai.core.audit import record_audit, snapshot


def item_set_validity(
    *,
    by: Actor,
    item: CatalogItem,
    validity: str,
    on: dt.date | None = None,
    replaced_by: CatalogItem | None = None,
    note: str = "",
) -> CatalogItem:
    """Mark a document 已修改 / 已废止 / 已失效 (or 现行有效 again), with the date and successor."""
    role = require(by, "catalog.revise", item.agency, allow=PLATFORM)
    return _apply_validity(
        by=by, role=role, item=item, validity=validity, on=on, replaced_by=replaced_by, note=note
    )


def _apply_validity(
    *,
    by: Actor,
    role: str,
    item: CatalogItem,
    validity: str,
    on: dt.date | None,
    replaced_by: CatalogItem | None = None,
    cleanup: CleanupDecision | None = None,
    note: str = "",
) -> CatalogItem:
    if validity not in Validity.values:
        raise ValidationError({"validity": [_("请选择有效性。")]})
    fields = ["validity", "abolished_on", "replaced_by", "cleanup"]
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        before = snapshot(item, fields)
        item.validity = validity
        if validity in ABOLISHED_VALIDITIES:
            item.abolished_on = on or timezone.localdate()
        elif validity == Validity.IN_FORCE:
            item.abolished_on = None
        if replaced_by is not None:
            if replaced_by.pk == item.pk:
                raise ValidationError({"replaced_by": [_("替代文件不能是其本身。")]})
            item.replaced_by = replaced_by
        if cleanup is not None:
            item.cleanup = cleanup
        item.save(update_fields=[*fields, "updated_at"])
        record_item_event(
            item, EventKind.VALIDITY, by=by, note=f"{item.get_validity_display()} {note}".strip()
        )
        record_audit(
            action="catalog.validity",
            actor=by,
            target=item,
            agency=item.agency,
            role=role,
            before=before,
            after=snapshot(item, fields),
            target_repr=describe(item),
        )
    return item


def cleanup_apply(
    *,
    by: Actor,
    agency: Any,
    title: str,
    decided_on: dt.date,
    items: Iterable[CatalogItem],
    doc_number: str = "",
    note: str = "",
) -> CleanupDecision:
    """Record a 规范性文件清理 decision and mark every listed document 已废止 under it."""
    role = require(by, "catalog.manage", agency, allow=PLATFORM)
    items = list(items)
    if not items:
        raise ValidationError(_("请至少选择一件要废止的文件。"))
    with transaction.atomic():
        decision = CleanupDecision.objects.create(
            agency=agency,
            title=title,
            doc_number=docnumber.normalise(doc_number),
            decided_on=decided_on,
            note=note,
            created_by=user_of(by),
        )
        record_audit(
            action="catalog.cleanup",
            actor=by,
            target=decision,
            agency=agency,
            role=role,
            after={"title": title, "items": sorted(i.pk for i in items)},
        )
        for item in items:
            if not item.agency.path.startswith(agency.path):
                raise ValidationError(_("只能清理本机关及下级机关的文件。"))
            _apply_validity(
                by=by,
                role=role,
                item=item,
                validity=Validity.REPEALED,
                on=decided_on,
                cleanup=decision,
                note=title,
            )
    return decision


def periodic_count_record(
    *,
    by: Actor,
    agency: Any,
    year: int,
    kind: str,
    metric: str,
    value: Decimal | int,
    source: str,
    period: str = "全年",
) -> PeriodicCount:
    """Record a count or amount for table 二 with its source (e.g. 行政许可 decisions from 台账)."""
    role = require(by, "catalog.manage", agency, allow=PLATFORM)
    if not (source or "").strip():
        raise ValidationError({"source": [_("请注明数据来源。")]})
    if Decimal(value) < 0:
        raise ValidationError({"value": [_("数值不能为负数。")]})
    with transaction.atomic():
        entry = PeriodicCount.objects.create(
            agency=agency,
            year=year,
            period=period,
            kind=kind,
            metric=metric,
            value=Decimal(value),
            source=source.strip(),
            created_by=user_of(by),
        )
        record_audit(
            action="catalog.count_record",
            actor=by,
            target=entry,
            agency=agency,
            role=role,
            after={
                "year": year,
                "kind": kind,
                "metric": metric,
                "value": str(value),
                "source": source,
            },
        )
    return entry
