"""The record of a case: corrections of recorded dates (the history is never edited),
administrative reviews and lawsuits (report table 四), and the sealed archive of a closed case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications.choices import ArchiveJobStatus, EventKind, LawsuitKind, ReviewResult
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    CaseArchiveJob,
    Consultation,
    Delivery,
    FeeNotice,
    Lawsuit,
    Review,
)
from gongkai.applications.workflow import WORKFLOW
from gongkai.core.actors import SYSTEM, Actor, user_of

logger = logging.getLogger(__name__)

#: Which facts of which entries a correcting entry may change (besides the date ``on``).
CORRECTABLE: dict[str, set[str]] = {
    EventKind.REGISTERED: {"arrived_on", "signed_for_on", "confirmed_on"},
    EventKind.TRANSFERRED_IN: {"arrived_on", "confirmed_on"},
    EventKind.CORRECTION_REQUESTED: {"period_ends_on"},
    EventKind.CORRECTION_RECEIVED: set(),
    EventKind.CORRECTION_EXPIRED: set(),
    EventKind.CONSULTATION_SENT: {"delivered_on"},
    EventKind.CONSULTATION_ANSWERED: set(),
    EventKind.EXTENSION_APPROVED: set(),
    EventKind.LONGER_DEADLINE_SET: set(),
    EventKind.FEE_NOTICE_SENT: {"received_on"},
    EventKind.FEE_PAID: set(),
    EventKind.FEE_EXPIRED: set(),
    EventKind.DELIVERED: set(),
    EventKind.WITHDRAWN: set(),
}


def event_correct(
    *,
    by: Actor,
    application: Application,
    event: ApplicationEvent,
    changes: dict[str, dt.date | None],
    reason: str,
) -> ApplicationEvent:
    """Correct a recorded date by appending a CORRECTION entry (history is never edited).

    ``changes`` maps ``on`` or a correctable fact of the entry to its right value. The deadlines
    are recomputed from the corrected facts; the mirrored columns follow.
    """
    if not reason.strip():
        raise ValidationError({"reason": "请写明更正理由。"})
    with WORKFLOW.perform(application, "correct_event", by=by) as step:
        app = step.obj
        if event.application_id != app.pk or event.kind not in CORRECTABLE:
            raise ValidationError("该记录不能更正。")
        allowed = CORRECTABLE[event.kind] | {"on"}
        unknown = set(changes) - allowed
        if unknown or not changes:
            raise ValidationError(f"不能更正的内容：{'、'.join(sorted(unknown)) or '（无）'}")
        payload = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()}
        correction = step.record(
            EventKind.CORRECTION,
            payload={"changes": payload, "kind": event.kind},
            note=reason.strip(),
            corrects=event,
        )
        _mirror_correction(app, event, changes)
        step.audit_after.update(corrects=event.seq, changes=payload)
    return correction


def _mirror_correction(app: Application, event: ApplicationEvent, changes: dict[str, Any]) -> None:
    """Keep the columns that copy an entry's facts in step with its correction."""
    on = changes.get("on")
    kind = event.kind
    if kind == EventKind.REGISTERED:
        for f in ("arrived_on", "signed_for_on", "confirmed_on"):
            if f in changes:
                setattr(app, f, changes[f])
    elif kind == EventKind.CORRECTION_REQUESTED:
        if on:
            app.correction_requested_on = on
        if "period_ends_on" in changes:
            app.correction_period_ends_on = changes["period_ends_on"]
    elif kind == EventKind.CORRECTION_RECEIVED and on:
        app.corrected_on = on
    elif kind in (EventKind.DELIVERED,) and on:
        app.replied_on = app.closed_on = on
        Delivery.objects.filter(pk=event.payload.get("delivery")).update(delivered_on=on)
    elif kind in (EventKind.CORRECTION_EXPIRED, EventKind.FEE_EXPIRED, EventKind.WITHDRAWN) and on:
        app.closed_on = on
    elif kind == EventKind.CONSULTATION_SENT:
        fields = {"sent_on": on} if on else {}
        if "delivered_on" in changes:
            fields["delivered_on"] = changes["delivered_on"]
        Consultation.objects.filter(pk=event.payload.get("consultation")).update(**fields)
    elif kind == EventKind.CONSULTATION_ANSWERED and on:
        Consultation.objects.filter(pk=event.payload.get("consultation")).update(answered_on=on)
    elif kind == EventKind.FEE_PAID and on:
        FeeNotice.objects.filter(pk=event.payload.get("fee_notice")).update(paid_on=on)
    elif kind == EventKind.FEE_NOTICE_SENT:
        fields = {"sent_on": on} if on else {}
        if "received_on" in changes:
            fields["received_on"] = changes["received_on"]
        FeeNotice.objects.filter(pk=event.payload.get("fee_notice")).update(**fields)


def _save_record(
    model: Any, record: Any, application: Application, fields: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Create the case's review/lawsuit record, or change it (locked); return it and the old
    values of the changed fields."""
    if record is None:
        return model.objects.create(application=application, **fields), {}
    record = model.objects.select_for_update().get(pk=record.pk, application=application)
    old = {k: getattr(record, k) for k in fields}
    for k, v in fields.items():
        setattr(record, k, v)
    record.save()
    return record, old


def review_save(
    *,
    by: Actor,
    application: Application,
    body: str,
    applied_on: dt.date,
    case_number: str = "",
    decided_on: dt.date | None = None,
    result: str = ReviewResult.PENDING,
    note: str = "",
    review: Review | None = None,
) -> Review:
    """Add or change the record of an administrative review (行政复议) of this case."""
    if result not in ReviewResult.values:
        raise ValidationError({"result": "请选择复议结果。"})
    if result != ReviewResult.PENDING and decided_on is None:
        raise ValidationError({"decided_on": "已审结的，请填写复议决定日期。"})
    with WORKFLOW.perform(application, "record_appeal", by=by) as step:
        app = step.obj
        fields = {
            "body": body.strip(),
            "applied_on": applied_on,
            "case_number": case_number.strip(),
            "decided_on": decided_on,
            "result": result,
            "note": note,
        }
        review, old = _save_record(Review, review, app, fields)
        step.record(EventKind.APPEAL_RECORDED, payload={"review": review.pk, "result": result})
        step.audit_after.update(review=review.pk, before=old, after=fields)
    return review


def lawsuit_save(
    *,
    by: Actor,
    application: Application,
    kind: str,
    court: str,
    filed_on: dt.date,
    case_number: str = "",
    decided_on: dt.date | None = None,
    result: str = ReviewResult.PENDING,
    note: str = "",
    review: Review | None = None,
    lawsuit: Lawsuit | None = None,
) -> Lawsuit:
    """Add or change the record of an administrative lawsuit (行政诉讼) about this case."""
    if kind not in LawsuitKind.values:
        raise ValidationError({"kind": "请选择起诉类型。"})
    if result not in ReviewResult.values:
        raise ValidationError({"result": "请选择诉讼结果。"})
    if kind == LawsuitKind.DIRECT and review is not None:
        raise ValidationError({"review": "未经复议直接起诉的，不应关联行政复议。"})
    if result != ReviewResult.PENDING and decided_on is None:
        raise ValidationError({"decided_on": "已审结的，请填写裁判日期。"})
    with WORKFLOW.perform(application, "record_appeal", by=by) as step:
        app = step.obj
        if review is not None and review.application_id != app.pk:
            raise ValidationError({"review": "所选行政复议不属于本案。"})
        fields = {
            "kind": kind,
            "court": court.strip(),
            "filed_on": filed_on,
            "case_number": case_number.strip(),
            "decided_on": decided_on,
            "result": result,
            "note": note,
            "review": review,
        }
        lawsuit, _old = _save_record(Lawsuit, lawsuit, app, fields)
        step.record(
            EventKind.APPEAL_RECORDED,
            payload={"lawsuit": lawsuit.pk, "kind": kind, "result": result},
        )
        step.audit_after.update(lawsuit=lawsuit.pk, kind=kind, result=result)
    return lawsuit


def archive_job_queue(*, application: Application, by: Actor) -> CaseArchiveJob:
    """Queue the build of the closed case's sealed archive (a background task, on commit)."""
    # Cycle: applications.tasks imports these services (its task runs them).
    from gongkai.applications.tasks import build_case_archive

    job = CaseArchiveJob.objects.create(application=application, requested_by=user_of(by))
    job_id = job.pk
    transaction.on_commit(lambda: build_case_archive.enqueue(job_id=job_id))
    return job


#: Builds a closed case's sealed archive: ``letters.services.archive_build``, registered by the
#: letters app's ``ready`` (letters builds on applications, so applications does not import it).
_archive_builders: list[Callable[..., Any]] = []


def register_archive_builder(build: Callable[..., Any]) -> None:
    """Set what ``archive_job_run`` builds archives with (called from the letters app)."""
    _archive_builders[:] = [build]


def archive_job_run(*, job_id: int) -> CaseArchiveJob:
    """Build the archive of a queued job (``letters.services.archive_build``); record the outcome.

    A refusal (e.g. a letter file no longer matches its hash) is recorded as FAILED with the
    reason, for the case page; so is an unexpected error (logged, without case data).
    """
    if not _archive_builders:
        raise ImproperlyConfigured("没有登记案卷归档的生成程序（letters 应用）。")
    archive_build = _archive_builders[0]
    with transaction.atomic():
        # Lock only the job row (PostgreSQL refuses FOR UPDATE across the nullable user join).
        job = (
            CaseArchiveJob.objects.select_for_update(of=("self",))
            .select_related("application__agency", "requested_by")
            .get(pk=job_id)
        )
        if job.finished:
            return job
        job.status = ArchiveJobStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        archive = archive_build(application=job.application, by=job.requested_by or SYSTEM)
    except (ValidationError, PermissionDenied) as exc:
        reason = "；".join(getattr(exc, "messages", [])) or "没有归档权限。"
        _archive_job_end(job, ArchiveJobStatus.FAILED, message=reason[:300])
    except Exception:
        logger.exception("archive job %s failed", job.pk)
        _archive_job_end(job, ArchiveJobStatus.FAILED, message="生成归档时出错，请联系管理员。")
    else:
        _archive_job_end(job, ArchiveJobStatus.DONE, manifest_sha256=archive.manifest_sha256)
    return job


def _archive_job_end(job: CaseArchiveJob, status: str, **fields: Any) -> None:
    job.status = status
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", *fields])
