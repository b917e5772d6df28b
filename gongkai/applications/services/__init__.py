"""Every write to a disclosure application, by stage: one keyword-only function per step.

* ``intake`` — registration (office, online, transfer-in), applicant data and keys;
* ``handling`` — handler, corrections, consultations, extensions, 第三十五条, transfer,
  withdrawal, closing;
* ``fees`` — the fee, its notice, payment and expiry;
* ``reply`` — draft, review, approval, delivery, letters logged on the case;
* ``records`` — corrections of the record, reviews and lawsuits, the case archive;
* ``extension`` — the handler's extension request, the head's refusal, the notice (第三十三条);
* ``third_party`` — the written notice to an objecting third party (第三十二条);
* ``recompute`` — deadline recomputation after calendar changes.

Each step runs through the workflow kernel (``applications.workflow.WORKFLOW.perform``): it
locks the case, checks its status, the actor's role and the step's guard, appends the event,
recomputes the deadlines through the clock engine, saves, writes one audit entry and schedules
notifications with ``transaction.on_commit`` — all in one transaction. The applicant's own
steps online (``register_online``, ``applicant_*``) are the same steps taken by ``APPLICANT``.

Applicant personal data (ID numbers, phone, e-mail, address) never enters audit entries, event
payloads or log lines; only the registration number identifies a case there.

Callers use the package: ``from gongkai.applications import services``;
``services.application_register(...)``.
"""

from __future__ import annotations

from gongkai.applications.services.extension import (
    extension_context,
    extension_notice,
    extension_refuse,
    extension_request,
    pending_extension_request,
)
from gongkai.applications.services.fees import (
    applicant_record_payment,
    fee_amount,
    fee_expire,
    fee_notice_send,
    fee_pay,
)
from gongkai.applications.services.handling import (
    applicant_submit_correction,
    applicant_withdraw,
    application_approve_extension,
    application_assign,
    application_close,
    application_expire_correction,
    application_receive_correction,
    application_request_correction,
    application_set_longer_deadline,
    application_transfer,
    application_withdraw,
    consultation_answer,
    consultation_send,
    request_versions,
)
from gongkai.applications.services.intake import (
    APPLICANT_ACTOR,
    DESCRIPTION_MAX,
    ApplicantData,
    applicant_key,
    applicant_keys,
    applicant_keys_of,
    application_register,
    register_online,
    validate_applicant,
    validate_online,
)
from gongkai.applications.services.recompute import (
    PROGRESS_EVERY,
    RecomputeReport,
    application_recompute_deadlines,
    applications_recompute_open,
    recompute_run_create,
    recompute_run_execute,
)
from gongkai.applications.services.records import (
    CORRECTABLE,
    archive_job_queue,
    archive_job_run,
    event_correct,
    lawsuit_save,
    review_save,
)
from gongkai.applications.services.reply import (
    ItemDecision,
    application_approve,
    application_draft_reply,
    application_record_delivery,
    application_record_letter,
    application_review,
    application_submit_for_review,
)
from gongkai.applications.services.third_party import (
    disclosure_blocked,
    third_party_notices_missing,
    third_party_notify,
)

__all__ = [
    "APPLICANT_ACTOR",
    "ApplicantData",
    "CORRECTABLE",
    "DESCRIPTION_MAX",
    "ItemDecision",
    "PROGRESS_EVERY",
    "RecomputeReport",
    "applicant_key",
    "applicant_keys",
    "applicant_keys_of",
    "applicant_record_payment",
    "applicant_submit_correction",
    "applicant_withdraw",
    "application_approve",
    "application_approve_extension",
    "application_assign",
    "application_close",
    "application_draft_reply",
    "application_expire_correction",
    "application_receive_correction",
    "application_recompute_deadlines",
    "application_record_delivery",
    "application_record_letter",
    "application_register",
    "application_request_correction",
    "application_review",
    "application_set_longer_deadline",
    "application_submit_for_review",
    "application_transfer",
    "application_withdraw",
    "applications_recompute_open",
    "archive_job_queue",
    "archive_job_run",
    "consultation_answer",
    "consultation_send",
    "event_correct",
    "fee_amount",
    "fee_expire",
    "fee_notice_send",
    "fee_pay",
    "lawsuit_save",
    "recompute_run_create",
    "recompute_run_execute",
    "register_online",
    "review_save",
    "request_versions",
    "disclosure_blocked",
    "extension_context",
    "extension_notice",
    "extension_refuse",
    "extension_request",
    "pending_extension_request",
    "third_party_notices_missing",
    "third_party_notify",
    "validate_applicant",
    "validate_online",
]
