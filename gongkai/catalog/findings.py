"""Personal data and sensitive wording (错敏检测): scanning an item and its attachments, and the
reviewer's decision that a finding is not a problem."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import require
from gongkai.catalog.choices import EventKind, FindingStatus
from gongkai.catalog.models import Attachment, CatalogItem, SensitiveFinding, SensitiveTerm
from gongkai.catalog.sanitise import html_lines
from gongkai.catalog.scan import Term, scan_lines
from gongkai.catalog.workflow import PLATFORM, WorkflowError, record_item_event
from gongkai.core.actors import Actor, user_of
from gongkai.core.audit import record_audit


def _terms() -> list[Term]:
    return [
        Term(t.term, t.kind, t.suggestion)
        for t in SensitiveTerm.objects.filter(is_active=True).only("term", "kind", "suggestion")
    ]


def item_scan(*, item: CatalogItem) -> list[SensitiveFinding]:
    """Scan title, summary, body and every attachment; reconcile the findings.

    New findings open; open findings no longer present become 已修改; waived ones stay waived
    while the same value is in the same place. Returns the item's open findings.
    """
    terms = _terms()
    sources: list[tuple[str, Attachment | None, list[tuple[str, int, str]]]] = [
        (_("标题"), None, [("", 1, item.title)]),
        (_("内容概述"), None, [("", i, t) for i, t in enumerate(item.summary.splitlines(), 1)]),
        (_("正文"), None, [("", i, t) for i, t in enumerate(html_lines(item.body), 1)]),
    ]
    for attachment in item.attachments.all():
        units = [(p, ln, t) for p, ln, t in attachment.text_units]
        sources.append((attachment.name, attachment, units))
    found: dict[str, tuple[Any, str, Attachment | None]] = {}
    for source, att, units in sources:
        key = f"att{att.pk}" if att is not None else str(source)
        for hit in scan_lines(units, terms):
            fp = hashlib.sha256(
                f"{hit.fingerprint(key)}|{hit.kind}|{hit.value}".encode()
            ).hexdigest()
            found.setdefault(fp, (hit, source, att))
    now = timezone.now()
    with transaction.atomic():
        existing = {f.fingerprint: f for f in item.findings.all()}
        for fp, (hit, source, att) in found.items():
            finding = existing.get(fp)
            if finding is None:
                SensitiveFinding.objects.create(
                    item=item,
                    kind=hit.kind,
                    attachment=att,
                    source=str(source)[:200],
                    page=hit.page,
                    line=hit.line or None,
                    excerpt=hit.masked[:300],
                    suggestion=hit.suggestion[:200],
                    fingerprint=fp,
                )
            elif finding.status == FindingStatus.FIXED:
                finding.status = FindingStatus.OPEN
                finding.decided_at = None
                finding.save(update_fields=["status", "decided_at"])
        gone = [f.pk for fp, f in existing.items() if fp not in found]
        if gone:
            SensitiveFinding.objects.filter(pk__in=gone, status=FindingStatus.OPEN).update(
                status=FindingStatus.FIXED, decided_at=now
            )
    return list(item.findings.filter(status=FindingStatus.OPEN))


def refuse_open_findings(item: CatalogItem) -> None:
    """Refuse a step while the item has open findings (fix them, or have them waived)."""
    count = item.findings.filter(status=FindingStatus.OPEN).count()
    if count:
        raise WorkflowError(
            _("错敏检测发现 %(n)d 处问题尚未处理：请修改后重新检测，或由审核人确认无误并说明理由。")
            % {"n": count}
        )


def finding_waive(*, by: Actor, finding: SensitiveFinding, reason: str) -> SensitiveFinding:
    """Record the reviewer's decision that a finding is not a problem, with the reason."""
    item = finding.item
    role = require(by, "catalog.review", item.agency, allow=PLATFORM)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请说明确认无误的理由。")]})
    with transaction.atomic():
        finding = SensitiveFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != FindingStatus.OPEN:
            raise WorkflowError(_("该检测结果已处理。"))
        finding.status = FindingStatus.WAIVED
        finding.reason = reason.strip()
        finding.decided_by = user_of(by)
        finding.decided_at = timezone.now()
        finding.save()
        record_item_event(
            item, EventKind.WAIVED, by=by, note=f"{finding.get_kind_display()}：{finding.reason}"
        )
        record_audit(
            action="catalog.finding_waive",
            actor=by,
            target=finding,
            agency=item.agency,
            role=role,
            after={"item": item.pk, "kind": finding.kind, "reason": finding.reason},
            target_repr=f"{item.index_number} {finding.location}",
        )
    return finding
