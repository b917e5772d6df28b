"""Every write to a catalogue item's lifecycle: drafting, attachments, the 保密审查, approval,
publication (now or scheduled), withdrawal and revision — each a step of
``catalog.workflow.WORKFLOW``, run by the kernel in one transaction with its event and audit
entry. The scan lives in ``findings``, validity and clean-ups in ``maintenance``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog import docnumber
from gongkai.catalog.attachments import check_file, extract_text
from gongkai.catalog.choices import (
    Channel,
    DisclosureAttribute,
    EventKind,
    Genre,
    ItemStatus,
    ReviewResult,
    StructuredKind,
)
from gongkai.catalog.deadlines import publication_delay
from gongkai.catalog.findings import item_scan, refuse_open_findings
from gongkai.catalog.index_numbers import allocate_index_number
from gongkai.catalog.models import Attachment, CatalogItem, ConfidentialityReview, ItemVersion
from gongkai.catalog.sanitise import clean_html
from gongkai.catalog.workflow import WORKFLOW
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import snapshot
from gongkai.core.workflow import Step

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


def _values(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split the input into (editable field values, many-to-many values), normalised."""
    m2m = {k: values.pop(k) for k in M2M_FIELDS if k in values}
    values = _prepare(values)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return values, m2m


def _apply(item: CatalogItem, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    _validate(item)


def _audit_changes(step: Step, before: dict[str, Any], **extra: Any) -> bool:
    """Put the changed audited fields (and ``extra``) into the step's audit entry."""
    after = snapshot(step.obj, AUDITED_FIELDS)
    changed = [k for k in after if after[k] != before[k]]
    step.audit_before.update({k: before[k] for k in changed})
    step.audit_after.update({k: after[k] for k in changed} | extra)
    return bool(changed)


def item_create(*, by: Actor, agency: Any, **values: Any) -> CatalogItem:
    """Draft a new item for ``agency``; allocate its 索引号 and run the scan."""
    values, m2m = _values(values)
    item = CatalogItem(agency=agency, created_by=user_of(by))
    with WORKFLOW.perform(item, "create", by=by) as step:
        _apply(item, values)
        item.index_number = allocate_index_number(agency=agency, year=timezone.localdate().year)
        item.save()
        _set_m2m(item, m2m)
        step.record(EventKind.CREATED)
        step.audit_after.update(snapshot(item, AUDITED_FIELDS))
        item_scan(item=item)
    return step.obj


def item_update(*, by: Actor, item: CatalogItem, **values: Any) -> CatalogItem:
    """Change a draft's fields (audited with before/after) and scan it again."""
    values, m2m = _values(values)
    with WORKFLOW.perform(item, "edit", by=by, audit="catalog.update") as step:
        item = step.obj
        before = snapshot(item, AUDITED_FIELDS)
        _apply(item, values)
        item.save()
        _set_m2m(item, m2m)
        m2m_ids = {k: _ids(v) for k, v in m2m.items()}
        if _audit_changes(step, before, **m2m_ids) or m2m:
            step.record(EventKind.EDITED)
        else:
            step.audit_after.clear()
        item_scan(item=item)
    return step.obj


def item_save_with_file(
    *,
    by: Actor,
    item: CatalogItem | None = None,
    agency: Any = None,
    upload: tuple[str, bytes] | None = None,
    **values: Any,
) -> CatalogItem:
    """Create (``agency``) or update (``item``) a draft together with an uploaded file: all or
    nothing. The file is checked before anything is saved, and the item, its 索引号 and the
    attachment are written in one transaction, so a refused file leaves no half-saved item and
    consumes no 索引号."""
    if upload is not None:
        check_file(upload[0], upload[1], max_bytes=settings.CATALOG_ATTACHMENT_MAX_BYTES)
    with transaction.atomic():
        if item is None:
            item = item_create(by=by, agency=agency, **values)
        else:
            item = item_update(by=by, item=item, **values)
        if upload is not None:
            attachment_add(by=by, item=item, name=upload[0], data=upload[1])
    return item


def _ids(value: Any) -> list[int]:
    return sorted(getattr(v, "pk", v) for v in (value or []))


def attachment_add(*, by: Actor, item: CatalogItem, name: str, data: bytes) -> Attachment:
    """Attach a file to a draft: check its type from the content and size, extract its text."""
    WORKFLOW.authorise(by, "edit", item)  # refuse before reading the file
    kind = check_file(name, data, max_bytes=settings.CATALOG_ATTACHMENT_MAX_BYTES)
    units = extract_text(kind, data)
    with WORKFLOW.perform(item, "edit", by=by, audit="catalog.attachment_add") as step:
        attachment = Attachment(
            item=step.obj,
            name=name[:200],
            kind=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            text_units=[[u.page, u.line, u.text] for u in units],
            sort_order=step.obj.attachments.count() + 1,
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
        step.audit_after.update(attachment=attachment.name, sha256=attachment.sha256)
        item_scan(item=step.obj)
    return attachment


def attachment_remove(*, by: Actor, item: CatalogItem, attachment: Attachment) -> None:
    """Remove an attachment from a draft (the file is deleted once the change is committed)."""
    with WORKFLOW.perform(item, "edit", by=by, audit="catalog.attachment_remove") as step:
        if attachment.item_id != step.obj.pk:
            raise ValidationError(_("附件不属于该条目。"))
        storage, path = attachment.file.storage, attachment.file.name
        step.audit_before.update(attachment=attachment.name, sha256=attachment.sha256)
        attachment.delete()
        if path:
            transaction.on_commit(lambda: storage.delete(path))
        item_scan(item=step.obj)


def item_submit(*, by: Actor, item: CatalogItem) -> CatalogItem:
    """Send a draft to 保密审查 (the scan runs again first)."""
    with WORKFLOW.perform(item, "submit", by=by) as step:
        item_scan(item=step.obj)
        step.record(EventKind.SUBMITTED)
    return step.obj


def item_review(
    *, by: Actor, item: CatalogItem, basis: str, result: str, comment: str = ""
) -> ConfidentialityReview:
    """Record the 保密审查: basis and result; pass on to the head, or return to the drafter.

    Passing is refused while the scan has open findings.
    """
    if not (basis or "").strip():
        raise ValidationError({"basis": [_("请填写审查依据。")]})
    if result not in ReviewResult.values:
        raise ValidationError({"result": [_("请选择审查结论。")]})
    if result == ReviewResult.RETURN and not (comment or "").strip():
        raise ValidationError({"comment": [_("退回修改时请写明审查意见。")]})
    passed = result == ReviewResult.PASS
    name = "review_pass" if passed else "review_return"
    with WORKFLOW.perform(item, name, by=by, audit="catalog.review") as step:
        if passed:
            item_scan(item=step.obj)
            refuse_open_findings(step.obj)
        review = ConfidentialityReview.objects.create(
            item=step.obj,
            reviewer=user_of(by),
            reviewer_repr=str(by),
            basis=basis.strip(),
            result=result,
            comment=(comment or "").strip(),
            reviewed_at=timezone.now(),
        )
        step.record(
            EventKind.REVIEWED if passed else EventKind.RETURNED,
            note=f"{review.get_result_display()}；{_('依据')}：{review.basis}"
            + (f"；{review.comment}" if review.comment else ""),
        )
        step.audit_after.update(basis=review.basis, result=result)
    return review


def item_approve(
    *, by: Actor, item: CatalogItem, publish_at: dt.datetime | None = None
) -> CatalogItem:
    """The head approves: publish now, or at ``publish_at`` (a scheduled task publishes it).

    Items that are not 主动公开 are catalogued without being shown on the portal.
    """
    with WORKFLOW.perform(item, "approve", by=by) as step:
        item = step.obj
        item_scan(item=item)
        refuse_open_findings(item)
        step.record(EventKind.APPROVED)
        now = timezone.now()
        if item.disclosure_attribute != DisclosureAttribute.PROACTIVE:
            step.set_status(ItemStatus.CATALOGUED)
            step.record(EventKind.CATALOGUED)
        elif publish_at is not None and publish_at > now:
            step.set_status(ItemStatus.SCHEDULED)
            item.scheduled_at = publish_at
            step.record(
                EventKind.SCHEDULED, note=f"{timezone.localtime(publish_at):%Y-%m-%d %H:%M}"
            )
            # Cycle: catalog.tasks imports these services (its tasks run them).
            from gongkai.catalog.tasks import schedule_publication

            pk = item.pk
            transaction.on_commit(lambda: schedule_publication(pk, publish_at))
        else:
            step.set_status(ItemStatus.PUBLISHED)
            _mark_published(item, now)
            step.record(EventKind.PUBLISHED)
    return step.obj


def _mark_published(item: CatalogItem, now: dt.datetime) -> None:
    item.published_at = now
    item.published_on = item.published_on or timezone.localdate(now)
    item.published_year = item.published_on.year
    if not item.channels:
        item.channels = [Channel.WEBSITE]
    apply_publication_delay(item)


def apply_publication_delay(item: CatalogItem) -> None:
    """Set the 第二十六条 delay columns: working days from 成文日期 to publication, late or not."""
    delay = publication_delay(item.written_on, item.published_on)
    if delay is None:
        item.publish_delay_days, item.is_late, item.delay_provisional = None, False, False
    else:
        item.publish_delay_days = delay.working_days
        item.is_late = delay.late
        item.delay_provisional = delay.provisional


def item_reject(*, by: Actor, item: CatalogItem, reason: str) -> CatalogItem:
    """The head sends the item back to the drafter, with the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明退回理由。")]})
    with WORKFLOW.perform(item, "reject", by=by) as step:
        step.record(EventKind.REJECTED, note=reason.strip())
        step.audit_after["reason"] = reason.strip()
    return step.obj


def item_publish_scheduled(*, item: CatalogItem, now: dt.datetime | None = None) -> bool:
    """Publish a scheduled item if its time has come (as ``SYSTEM``); return whether it was."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WORKFLOW.lock(item)
        due = locked.scheduled_at is not None and locked.scheduled_at <= now
        if not (due and WORKFLOW.may(SYSTEM, "publish_scheduled", locked)):
            return False
        with WORKFLOW.perform(locked, "publish_scheduled", by=SYSTEM) as step:
            _mark_published(step.obj, now)
            step.record(EventKind.PUBLISHED)
    return True


def publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled item whose time has come; return how many."""
    now = now or timezone.now()
    count = 0
    for item in CatalogItem.objects.due_for_publication(now).only("pk"):
        count += item_publish_scheduled(item=item, now=now)
    return count


def item_withdraw(*, by: Actor, item: CatalogItem, reason: str) -> CatalogItem:
    """Take a published item off the portal, with the reason; it stays in the record."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明撤回理由。")]})
    with WORKFLOW.perform(item, "withdraw", by=by) as step:
        step.obj.withdrawn_at = timezone.now()
        step.obj.withdrawal_reason = reason.strip()
        step.record(EventKind.WITHDRAWN, note=step.obj.withdrawal_reason)
        step.audit_after["reason"] = step.obj.withdrawal_reason
    return step.obj


def _version_data(item: CatalogItem) -> dict[str, Any]:
    data = snapshot(item, AUDITED_FIELDS)
    data["attachments"] = [
        {"name": a.name, "sha256": a.sha256, "size": a.size} for a in item.attachments.all()
    ]
    data["published_at"] = item.published_at.isoformat() if item.published_at else None
    return data


def item_revise(*, by: Actor, item: CatalogItem, reason: str, **values: Any) -> CatalogItem:
    """Change a published item: keep the current text as a version, apply, number the new one.

    The scan runs on the new text and open findings refuse the change.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请写明修订说明。")]})
    values, m2m = _values(values)
    with WORKFLOW.perform(item, "revise", by=by) as step:
        item = step.obj
        before = snapshot(item, AUDITED_FIELDS)
        ItemVersion.objects.create(
            item=item,
            number=item.version,
            data=_version_data(item),
            reason="",
            created_by=user_of(by),
        )
        _apply(item, values)
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
        refuse_open_findings(item)
        _audit_changes(step, before, reason=reason.strip())
        step.record(
            EventKind.REVISED, note=f"{_('第%(n)d版') % {'n': item.version}}：{reason.strip()}"
        )
    return step.obj


#: Genre used for 政策解读 items.
INTERPRETATION_GENRE = Genre.INTERPRETATION
