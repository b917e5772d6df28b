"""Every write to the catalogue: drafting, the scan, review, approval, publication, withdrawal,
revision, validity and clean-ups, periodic counts — each audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import ACTION_ROLES, can
from gongkai.accounts.scoping import roles_in
from gongkai.catalog import docnumber
from gongkai.catalog.attachments import check_file, extract_text
from gongkai.catalog.choices import (
    ABOLISHED_VALIDITIES,
    Channel,
    DisclosureAttribute,
    EventKind,
    FindingStatus,
    Genre,
    ItemStatus,
    ReviewResult,
    StructuredKind,
    Validity,
)
from gongkai.catalog.deadlines import publication_delay
from gongkai.catalog.index_numbers import allocate_index_number
from gongkai.catalog.models import (
    Attachment,
    CatalogItem,
    CleanupDecision,
    ConfidentialityReview,
    ItemEvent,
    ItemVersion,
    PeriodicCount,
    SensitiveFinding,
    SensitiveTerm,
)
from gongkai.catalog.sanitise import clean_html, html_lines
from gongkai.catalog.scan import Term, scan_lines
from gongkai.core.audit import record_audit, snapshot

#: Fields an officer sets on a draft (and on a revision after publication).
EDITABLE_FIELDS = [
    "title",
    "summary",
    "body",
    "doc_number",
    "written_on",
    "category",
    "genre",
    "keywords",
    "disclosure_attribute",
    "non_disclosure_ground",
    "non_disclosure_reason",
    "statutory_item",
    "portal_column",
    "validity",
    "valid_from",
    "valid_until",
    "channels",
    "structured_kind",
    "fee_amount",
]
#: Fields recorded in the audit trail and frozen in versions.
AUDITED_FIELDS = [
    *EDITABLE_FIELDS,
    "index_number",
    "status",
    "version",
    "published_on",
    "scheduled_at",
    "abolished_on",
    "replaced_by",
    "cleanup",
    "withdrawal_reason",
]
M2M_FIELDS = ("co_issuers", "extra_categories", "interprets")

#: The workflow: action -> (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "submit": (frozenset({ItemStatus.DRAFT}), ItemStatus.IN_REVIEW),
    "review_pass": (frozenset({ItemStatus.IN_REVIEW}), ItemStatus.AWAITING_APPROVAL),
    "review_return": (frozenset({ItemStatus.IN_REVIEW}), ItemStatus.DRAFT),
    "approve": (frozenset({ItemStatus.AWAITING_APPROVAL}), None),  # published/scheduled/…
    "reject": (frozenset({ItemStatus.AWAITING_APPROVAL}), ItemStatus.DRAFT),
    "publish_scheduled": (frozenset({ItemStatus.SCHEDULED}), ItemStatus.PUBLISHED),
    "withdraw": (
        frozenset({ItemStatus.PUBLISHED, ItemStatus.SCHEDULED, ItemStatus.CATALOGUED}),
        ItemStatus.WITHDRAWN,
    ),
    "revise": (frozenset({ItemStatus.PUBLISHED, ItemStatus.CATALOGUED}), None),
    "edit": (frozenset({ItemStatus.DRAFT}), None),
}


class WorkflowError(ValidationError):
    """The requested step is not allowed in the item's current state."""


def _check_state(item: CatalogItem, action: str) -> None:
    allowed, _target = TRANSITIONS[action]
    if item.status not in allowed:
        raise WorkflowError(
            _("当前状态（%(status)s）不能执行此操作。") % {"status": item.get_status_display()}
        )


def _require(by: Any, action: str, agency: Any) -> str:
    """Check ``by`` may perform ``action`` (system calls pass None); return the role used."""
    if by is None:
        return ""
    if not can(by, action, agency):
        raise PermissionDenied
    roles = roles_in(by, agency) & ACTION_ROLES[action]
    return sorted(roles)[0] if roles else ""


def _event(item: CatalogItem, kind: str, by: Any, note: str = "") -> None:
    ItemEvent.objects.create(
        item=item,
        kind=kind,
        at=timezone.now(),
        actor=by if getattr(by, "pk", None) else None,
        actor_repr=str(by) if by is not None else _("系统"),
        note=note,
    )


def _audit(action: str, item: CatalogItem, by: Any, role: str = "", **extra: Any) -> None:
    record_audit(
        action=f"catalog.{action}",
        actor=by,
        target=item,
        agency=item.agency,
        role=role,
        before=extra.get("before"),
        after=extra.get("after", {"status": item.status}),
        target_repr=f"{item.index_number} {item.title}"[:300],
    )


def _prepare(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise input values: sanitise the body, normalise the 文号, default the channels."""
    if "body" in values:
        values["body"] = clean_html(values["body"] or "")
    if "doc_number" in values:
        values["doc_number"] = docnumber.normalise(values["doc_number"])
    if "channels" in values:
        values["channels"] = [c for c in (values["channels"] or []) if c in Channel.values]
    if values.get("disclosure_attribute", None) not in (None, DisclosureAttribute.NOT_DISCLOSED):
        values.setdefault("non_disclosure_ground", "")
    return values


def _validate(item: CatalogItem) -> None:
    errors: dict[str, list[str]] = {}
    if item.disclosure_attribute == DisclosureAttribute.NOT_DISCLOSED:
        if not item.non_disclosure_ground:
            errors.setdefault("non_disclosure_ground", []).append(
                _("不予公开的信息必须写明法律依据。")
            )
    elif item.non_disclosure_ground:
        item.non_disclosure_ground = ""
    if item.structured_kind == StructuredKind.FEE and item.fee_amount is None:
        errors.setdefault("fee_amount", []).append(_("行政事业性收费记录须填写收费金额（元）。"))
    if item.fee_amount is not None and item.fee_amount < 0:
        errors.setdefault("fee_amount", []).append(_("金额不能为负数。"))
    if item.valid_from and item.valid_until and item.valid_until < item.valid_from:
        errors.setdefault("valid_until", []).append(_("有效期至不能早于施行日期。"))
    if errors:
        raise ValidationError(errors)


def _set_m2m(item: CatalogItem, m2m: dict[str, Any]) -> None:
    for name, value in m2m.items():
        if value is not None:
            getattr(item, name).set(value)


def item_create(*, by: Any, agency: Any, **values: Any) -> CatalogItem:
    """Draft a new item for ``agency``; allocate its 索引号 and run the scan."""
    role = _require(by, "catalog.draft", agency)
    m2m = {k: values.pop(k) for k in M2M_FIELDS if k in values}
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        item = CatalogItem(agency=agency, created_by=by if getattr(by, "pk", None) else None)
        for name, value in values.items():
            setattr(item, name, value)
        _validate(item)
        item.index_number = allocate_index_number(agency=agency, year=timezone.localdate().year)
        item.save()
        _set_m2m(item, m2m)
        _event(item, EventKind.CREATED, by)
        _audit("create", item, by, role, after=snapshot(item, AUDITED_FIELDS))
        item_scan(item=item)
    return item


def item_update(*, by: Any, item: CatalogItem, **values: Any) -> CatalogItem:
    """Change a draft's fields (audited with before/after) and scan it again."""
    role = _require(by, "catalog.draft", item.agency)
    m2m = {k: values.pop(k) for k in M2M_FIELDS if k in values}
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "edit")
        before = snapshot(item, AUDITED_FIELDS)
        for name, value in values.items():
            setattr(item, name, value)
        _validate(item)
        item.save()
        _set_m2m(item, m2m)
        after = snapshot(item, AUDITED_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        if changed or m2m:
            _event(item, EventKind.EDITED, by)
            _audit(
                "update",
                item,
                by,
                role,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed} | {k: _ids(v) for k, v in m2m.items()},
            )
        item_scan(item=item)
    return item


def _ids(value: Any) -> list[int]:
    return sorted(getattr(v, "pk", v) for v in (value or []))


def attachment_add(*, by: Any, item: CatalogItem, name: str, data: bytes) -> Attachment:
    """Attach a file to a draft: check its type from the content and size, extract its text."""
    role = _require(by, "catalog.draft", item.agency)
    kind = check_file(name, data, max_bytes=settings.CATALOG_ATTACHMENT_MAX_BYTES)
    units = extract_text(kind, data)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "edit")
        attachment = Attachment(
            item=item,
            name=name[:200],
            kind=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            text_units=[[u.page, u.line, u.text] for u in units],
            sort_order=item.attachments.count() + 1,
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
        _audit(
            "attachment_add",
            item,
            by,
            role,
            after={"attachment": attachment.name, "sha256": attachment.sha256},
        )
        item_scan(item=item)
    return attachment


def attachment_remove(*, by: Any, item: CatalogItem, attachment: Attachment) -> None:
    """Remove an attachment from a draft (the file is deleted once the change is committed)."""
    role = _require(by, "catalog.draft", item.agency)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "edit")
        if attachment.item_id != item.pk:
            raise ValidationError(_("附件不属于该条目。"))
        storage, path = attachment.file.storage, attachment.file.name
        _audit(
            "attachment_remove",
            item,
            by,
            role,
            before={"attachment": attachment.name, "sha256": attachment.sha256},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))
        item_scan(item=item)


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
    for att in item.attachments.all():
        sources.append((att.name, att, [(p, ln, t) for p, ln, t in att.text_units]))
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


def _refuse_open_findings(item: CatalogItem) -> None:
    count = item.findings.filter(status=FindingStatus.OPEN).count()
    if count:
        raise WorkflowError(
            _("错敏检测发现 %(n)d 处问题尚未处理：请修改后重新检测，或由审核人确认无误并说明理由。")
            % {"n": count}
        )


def finding_waive(*, by: Any, finding: SensitiveFinding, reason: str) -> SensitiveFinding:
    """Record the reviewer's decision that a finding is not a problem, with the reason."""
    item = finding.item
    role = _require(by, "catalog.review", item.agency)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请说明确认无误的理由。")]})
    with transaction.atomic():
        finding = SensitiveFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != FindingStatus.OPEN:
            raise WorkflowError(_("该检测结果已处理。"))
        finding.status = FindingStatus.WAIVED
        finding.reason = reason.strip()
        finding.decided_by = by if getattr(by, "pk", None) else None
        finding.decided_at = timezone.now()
        finding.save()
        _event(item, EventKind.WAIVED, by, f"{finding.get_kind_display()}：{finding.reason}")
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


def item_submit(*, by: Any, item: CatalogItem) -> CatalogItem:
    """Send a draft to 保密审查 (the scan runs again first)."""
    role = _require(by, "catalog.draft", item.agency)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "submit")
        before = item.status
        item.status = ItemStatus.IN_REVIEW
        item.save(update_fields=["status", "updated_at"])
        item_scan(item=item)
        _event(item, EventKind.SUBMITTED, by)
        _audit("submit", item, by, role, before={"status": before})
    return item


def item_review(
    *, by: Any, item: CatalogItem, basis: str, result: str, comment: str = ""
) -> ConfidentialityReview:
    """Record the 保密审查: basis and result; pass on to the head, or return to the drafter.

    Passing is refused while the scan has open findings.
    """
    role = _require(by, "catalog.review", item.agency)
    if not (basis or "").strip():
        raise ValidationError({"basis": [_("请填写审查依据。")]})
    if result not in ReviewResult.values:
        raise ValidationError({"result": [_("请选择审查结论。")]})
    if result == ReviewResult.RETURN and not (comment or "").strip():
        raise ValidationError({"comment": [_("退回修改时请写明审查意见。")]})
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        action = "review_pass" if result == ReviewResult.PASS else "review_return"
        _check_state(item, action)
        if result == ReviewResult.PASS:
            item_scan(item=item)
            _refuse_open_findings(item)
        review = ConfidentialityReview.objects.create(
            item=item,
            reviewer=by if getattr(by, "pk", None) else None,
            reviewer_repr=str(by) if by is not None else _("系统"),
            basis=basis.strip(),
            result=result,
            comment=(comment or "").strip(),
            reviewed_at=timezone.now(),
        )
        before = item.status
        item.status = TRANSITIONS[action][1]
        item.save(update_fields=["status", "updated_at"])
        _event(
            item,
            EventKind.REVIEWED if result == ReviewResult.PASS else EventKind.RETURNED,
            by,
            f"{review.get_result_display()}；{_('依据')}：{review.basis}"
            + (f"；{review.comment}" if review.comment else ""),
        )
        _audit(
            "review",
            item,
            by,
            role,
            before={"status": before},
            after={"status": item.status, "basis": review.basis, "result": result},
        )
    return review


def _interpretation_missing(item: CatalogItem) -> bool:
    return (
        settings.CATALOG_REQUIRE_INTERPRETATION
        and item.structured_kind == StructuredKind.NORMATIVE
        and not item.interpretations.exclude(status=ItemStatus.WITHDRAWN).exists()
    )


def item_approve(
    *, by: Any, item: CatalogItem, publish_at: dt.datetime | None = None
) -> CatalogItem:
    """The head approves: publish now, or at ``publish_at`` (a scheduled task publishes it).

    Items that are not 主动公开 are catalogued without being shown on the portal.
    """
    role = _require(by, "catalog.approve", item.agency)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "approve")
        item_scan(item=item)
        _refuse_open_findings(item)
        if _interpretation_missing(item):
            raise WorkflowError(_("本平台要求行政规范性文件在审批前附有政策解读。"))
        before = item.status
        _event(item, EventKind.APPROVED, by)
        now = timezone.now()
        if item.disclosure_attribute != DisclosureAttribute.PROACTIVE:
            item.status = ItemStatus.CATALOGUED
            item.save(update_fields=["status", "updated_at"])
            _event(item, EventKind.CATALOGUED, by)
        elif publish_at is not None and publish_at > now:
            item.status = ItemStatus.SCHEDULED
            item.scheduled_at = publish_at
            item.save(update_fields=["status", "scheduled_at", "updated_at"])
            _event(
                item, EventKind.SCHEDULED, by, f"{timezone.localtime(publish_at):%Y-%m-%d %H:%M}"
            )
            from gongkai.catalog.tasks import schedule_publication

            transaction.on_commit(lambda: schedule_publication(item.pk, publish_at))
        else:
            _publish(item, by, now)
        _audit("approve", item, by, role, before={"status": before})
    return item


def _publish(item: CatalogItem, by: Any, now: dt.datetime) -> None:
    item.status = ItemStatus.PUBLISHED
    item.published_at = now
    item.published_on = item.published_on or timezone.localdate(now)
    item.published_year = item.published_on.year
    if not item.channels:
        item.channels = [Channel.WEBSITE]
    _apply_delay(item)
    item.save()
    _event(item, EventKind.PUBLISHED, by)


def _apply_delay(item: CatalogItem) -> None:
    delay = publication_delay(item.written_on, item.published_on)
    if delay is None:
        item.publish_delay_days, item.is_late, item.delay_provisional = None, False, False
    else:
        item.publish_delay_days = delay.working_days
        item.is_late = delay.late
        item.delay_provisional = delay.provisional


def item_reject(*, by: Any, item: CatalogItem, reason: str) -> CatalogItem:
    """The head sends the item back to the drafter, with the reason."""
    role = _require(by, "catalog.approve", item.agency)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明退回理由。")]})
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "reject")
        before = item.status
        item.status = ItemStatus.DRAFT
        item.save(update_fields=["status", "updated_at"])
        _event(item, EventKind.REJECTED, by, reason.strip())
        _audit(
            "reject",
            item,
            by,
            role,
            before={"status": before},
            after={"status": item.status, "reason": reason.strip()},
        )
    return item


def item_publish_scheduled(*, item: CatalogItem, now: dt.datetime | None = None) -> bool:
    """Publish a scheduled item if its time has come; return whether it was published."""
    now = now or timezone.now()
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        if (
            item.status != ItemStatus.SCHEDULED
            or item.scheduled_at is None
            or item.scheduled_at > now
        ):
            return False
        _publish(item, None, now)
        _audit("publish_scheduled", item, None, before={"status": ItemStatus.SCHEDULED})
    return True


def publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled item whose time has come; return how many."""
    now = now or timezone.now()
    count = 0
    for item in CatalogItem.objects.due_for_publication(now).only("pk"):
        count += item_publish_scheduled(item=item, now=now)
    return count


def item_withdraw(*, by: Any, item: CatalogItem, reason: str) -> CatalogItem:
    """Take a published item off the portal, with the reason; it stays in the record."""
    role = _require(by, "catalog.withdraw", item.agency)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明撤回理由。")]})
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "withdraw")
        before = item.status
        item.status = ItemStatus.WITHDRAWN
        item.withdrawn_at = timezone.now()
        item.withdrawal_reason = reason.strip()
        item.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
        _event(item, EventKind.WITHDRAWN, by, item.withdrawal_reason)
        _audit(
            "withdraw",
            item,
            by,
            role,
            before={"status": before},
            after={"status": item.status, "reason": item.withdrawal_reason},
        )
    return item


def _version_data(item: CatalogItem) -> dict[str, Any]:
    data = snapshot(item, AUDITED_FIELDS)
    data["attachments"] = [
        {"name": a.name, "sha256": a.sha256, "size": a.size} for a in item.attachments.all()
    ]
    data["published_at"] = item.published_at.isoformat() if item.published_at else None
    return data


def item_revise(*, by: Any, item: CatalogItem, reason: str, **values: Any) -> CatalogItem:
    """Change a published item: keep the current text as a version, apply, number the new one.

    The scan runs on the new text and open findings refuse the change.
    """
    role = _require(by, "catalog.revise", item.agency)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明修订说明。")]})
    m2m = {k: values.pop(k) for k in M2M_FIELDS if k in values}
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        _check_state(item, "revise")
        before = snapshot(item, AUDITED_FIELDS)
        ItemVersion.objects.create(
            item=item,
            number=item.version,
            data=_version_data(item),
            reason="",
            created_by=by if getattr(by, "pk", None) else None,
        )
        for name, value in values.items():
            setattr(item, name, value)
        _validate(item)
        if (
            item.status == ItemStatus.PUBLISHED
            and item.disclosure_attribute != DisclosureAttribute.PROACTIVE
        ):
            raise ValidationError(
                {"disclosure_attribute": [_("已发布的信息不再主动公开时，请撤回，而不是修订。")]}
            )
        item.version += 1
        item.save()
        _set_m2m(item, m2m)
        item_scan(item=item)
        _refuse_open_findings(item)
        after = snapshot(item, AUDITED_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        _event(
            item, EventKind.REVISED, by, f"{_('第%(n)d版') % {'n': item.version}}：{reason.strip()}"
        )
        _audit(
            "revise",
            item,
            by,
            role,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed} | {"reason": reason.strip()},
        )
    return item


def item_set_validity(
    *,
    by: Any,
    item: CatalogItem,
    validity: str,
    on: dt.date | None = None,
    replaced_by: CatalogItem | None = None,
    note: str = "",
) -> CatalogItem:
    """Mark a document 已修改 / 已废止 / 已失效 (or 现行有效 again), with the date and successor."""
    role = _require(by, "catalog.revise", item.agency)
    return _apply_validity(
        by=by, role=role, item=item, validity=validity, on=on, replaced_by=replaced_by, note=note
    )


def _apply_validity(
    *,
    by: Any,
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
        _event(item, EventKind.VALIDITY, by, f"{item.get_validity_display()} {note}".strip())
        _audit("validity", item, by, role, before=before, after=snapshot(item, fields))
    return item


def cleanup_apply(
    *,
    by: Any,
    agency: Any,
    title: str,
    decided_on: dt.date,
    items: Iterable[CatalogItem],
    doc_number: str = "",
    note: str = "",
) -> CleanupDecision:
    """Record a 规范性文件清理 decision and mark every listed document 已废止 under it."""
    role = _require(by, "catalog.manage", agency)
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
            created_by=by if getattr(by, "pk", None) else None,
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
    by: Any,
    agency: Any,
    year: int,
    kind: str,
    metric: str,
    value: Decimal | int,
    source: str,
    period: str = "全年",
) -> PeriodicCount:
    """Record a count or amount for table 二 with its source (e.g. 行政许可 decisions from 台账)."""
    role = _require(by, "catalog.manage", agency)
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
            created_by=by if getattr(by, "pk", None) else None,
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


#: Genre used for 政策解读 items.
INTERPRETATION_GENRE = Genre.INTERPRETATION
