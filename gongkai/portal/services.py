"""Writes of the applicant's side: submit (idempotent), correct, withdraw, pay, accounts.

The application and its transitions go through ``applications.services`` (which uses the
office's transition table and bookkeeping); this module adds what only the portal keeps — the
access code hash, the submission token, the uploaded files — in the same transaction, and
audits the file uploads. Files written to disk are removed again if the transaction fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.applications import services as applications
from gongkai.applications.models import Application
from gongkai.applications.services import ApplicantData
from gongkai.core.audit import record_audit
from gongkai.portal.access import make_code_hash, new_code
from gongkai.portal.choices import FileKind
from gongkai.portal.models import (
    ApplicantAccount,
    ApplicantFile,
    CaseAccess,
    StagedUpload,
    SubmissionToken,
)
from gongkai.portal.uploads import CheckedFile

#: How long a staged upload is kept for the next try of its form (then purged).
STAGED_LIFETIME = dt.timedelta(days=1)


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submission: the case access, the code (only when new) and ``created``."""

    access: CaseAccess
    code: str
    created: bool


def _described(checked: CheckedFile) -> dict[str, Any]:
    """The columns that describe a checked file on an uploaded or a staged row."""
    return {
        "original_name": checked.name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


def _store(
    application: Application, kind: str, checked: CheckedFile, **extra: Any
) -> ApplicantFile:
    row = ApplicantFile(application=application, kind=kind, **_described(checked), **extra)
    row.file.save("upload", ContentFile(checked.data), save=False)
    try:
        row.save()
    except BaseException:
        _cleanup([row])  # the caller's cleanup only knows the rows that were saved
        raise
    return row


def _cleanup(rows: list[ApplicantFile]) -> None:
    for row in rows:
        try:
            if row.file.name:
                row.file.storage.delete(row.file.name)
        except OSError:
            pass


def _audit_files(application: Application, rows: list[ApplicantFile], action: str) -> None:
    if not rows:
        return
    record_audit(
        action=action,
        target=application,
        agency=application.agency,
        after={"files": [{"kind": r.kind, "size": r.size, "sha256": r.sha256} for r in rows]},
    )


def submitted_with(key: str) -> Submitted | None:
    """The submission already made with the form key ``key`` (a resubmitted page), if any."""
    token = SubmissionToken.objects.filter(key=key, application__isnull=False).first()
    if token is None or token.application_id is None:
        return None
    access = CaseAccess.objects.select_related("application").get(
        application_id=token.application_id
    )
    return Submitted(access, "", False)


def submit_online(
    *,
    key: str,
    agency: Agency,
    applicant: ApplicantData,
    description: str,
    requested_form: str = "",
    requested_delivery: str = "",
    files: list[tuple[str, CheckedFile]] | None = None,
    account: ApplicantAccount | None = None,
) -> Submitted:
    """Submit an online application once per ``key`` (form token or API Idempotency-Key).

    A second call with the same key returns the first case (``created`` False, no code).
    Raises ValidationError keyed by field when the input is invalid; nothing is stored then.
    """
    found = submitted_with(key)
    if found is not None:
        return found
    written: list[ApplicantFile] = []
    try:
        with transaction.atomic():
            token = SubmissionToken.objects.create(key=key)
            application = applications.register_online(
                agency=agency,
                applicant=applicant,
                description=description,
                requested_form=requested_form,
                requested_delivery=requested_delivery,
            )
            token.application = application
            token.save(update_fields=["application"])
            code = new_code()
            salt, digest = make_code_hash(code)
            access = CaseAccess.objects.create(
                application=application, code_salt=salt, code_hash=digest, account=account
            )
            for kind, checked in files or []:
                written.append(_store(application, kind, checked))
            _audit_files(application, written, "portal.files_submitted")
            _drop_staged(key)
    except IntegrityError:
        _cleanup(written)
        found = submitted_with(key)
        if found is None:
            raise
        return found
    except BaseException:
        _cleanup(written)
        raise
    return Submitted(access, code, True)


def _drop_staged(token: str) -> None:
    """Delete the form's staged rows; their files go once the transaction has committed."""
    for row in StagedUpload.objects.filter(token=token):
        name = row.file.name
        row.delete()
        if name:
            transaction.on_commit(partial(row.file.storage.delete, name))


def stage_upload(*, token: str, field: str, checked: CheckedFile) -> StagedUpload:
    """Keep a checked file for the next try of the same form (replacing an earlier one)."""
    old = StagedUpload.objects.filter(token=token, field=field).first()
    if old is not None:
        if old.file.name:
            old.file.storage.delete(old.file.name)
        old.delete()
    row = StagedUpload(token=token, field=field, **_described(checked))
    row.file.save("staged", ContentFile(checked.data), save=False)
    row.save()
    return row


def staged_file(row: StagedUpload) -> CheckedFile:
    """Read a staged file back as a checked file."""
    with row.file.open("rb") as fh:
        data = fh.read()
    return CheckedFile(data, row.content_type, row.original_name, row.sha256)


def purge_staged(
    *, older_than: dt.timedelta = STAGED_LIFETIME, now: dt.datetime | None = None
) -> int:
    """Delete staged files older than ``older_than``; return how many.

    Run by the media sweep (``gongkai media sweep``, core/media.py).
    """
    now = now or timezone.now()
    rows = list(StagedUpload.objects.filter(created_at__lt=now - older_than))
    for row in rows:
        if row.file.name:
            row.file.storage.delete(row.file.name)
        row.delete()
    return len(rows)


def submit_correction(
    *, access: CaseAccess, text: str, files: list[CheckedFile] | None = None
) -> Application:
    """The applicant answers the correction notice online: the case returns to handling."""
    written: list[ApplicantFile] = []
    try:
        with transaction.atomic():
            app = applications.applicant_submit_correction(
                application=access.application, note=text
            )
            for checked in files or []:
                written.append(_store(app, FileKind.CORRECTION, checked))
            _audit_files(app, written, "portal.correction_files")
    except BaseException:
        _cleanup(written)
        raise
    return app


def record_payment(
    *, access: CaseAccess, paid_on: dt.date, receipt_number: str, proof: CheckedFile
) -> ApplicantFile:
    """Store the applicant's payment proof; the office confirms the payment (decision 0502)."""
    written: list[ApplicantFile] = []
    try:
        with transaction.atomic():
            applications.applicant_record_payment(
                application=access.application, paid_on=paid_on, receipt_number=receipt_number
            )
            row = _store(
                access.application,
                FileKind.PAYMENT,
                proof,
                paid_on=paid_on,
                receipt_number=receipt_number.strip(),
            )
            written.append(row)
            _audit_files(access.application, written, "portal.payment_proof")
    except BaseException:
        _cleanup(written)
        raise
    return row


def withdraw(*, access: CaseAccess, reason: str = "") -> Application:
    """Withdraw the application at the applicant's request."""
    return applications.applicant_withdraw(application=access.application, reason=reason)


# --- applicant accounts ----------------------------------------------------------------------


def _phone_hashes(phone: str) -> list[str]:
    """The keyed hashes accounts are found by (the number itself is encrypted at rest)."""
    field = ApplicantAccount._meta.get_field("phone_hash")
    return field.hashes_for(phone) or ["-"]  # type: ignore[union-attr]  # "-" matches no account


def account_create(*, email: str, phone: str, password: str) -> ApplicantAccount:
    """Create an applicant account (e-mail and/or mobile number, password hashed)."""
    email = email.strip().lower()
    phone = phone.strip()
    if not email and not phone:
        raise ValidationError({"login": _("请填写电子邮箱或手机号码。")})
    if len(password) < 8:
        raise ValidationError({"password": _("密码至少8位。")})
    taken = (email and ApplicantAccount.objects.filter(email=email).exists()) or (
        phone and ApplicantAccount.objects.filter(phone_hash__in=_phone_hashes(phone)).exists()
    )
    if taken:
        raise ValidationError({"login": _("该电子邮箱或手机号码已注册，请直接登录。")})
    try:
        with transaction.atomic():
            account = ApplicantAccount.objects.create(
                email=email, phone=phone, password=make_password(password)
            )
            record_audit(action="portal.account_create", target=account)
    except IntegrityError as exc:
        raise ValidationError({"login": _("该电子邮箱或手机号码已注册，请直接登录。")}) from exc
    return account


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the account does not exist (same work either way)."""
    return make_password("not-a-real-password")


def account_authenticate(*, login: str, password: str) -> ApplicantAccount | None:
    """Return the account for (e-mail or mobile number, password), or None."""
    login = login.strip()
    account = (
        ApplicantAccount.objects.filter(email=login.lower()).first()
        if "@" in login
        else ApplicantAccount.objects.filter(phone_hash__in=_phone_hashes(login)).first()
    )
    if account is None:
        check_password(password, _dummy_hash())
        return None
    if not check_password(password, account.password):
        return None
    account.last_login = timezone.now()
    account.save(update_fields=["last_login"])
    return account


def account_link_case(*, account: ApplicantAccount, access: CaseAccess) -> CaseAccess:
    """Attach a case the applicant proved the code of to their account."""
    with transaction.atomic():
        access = CaseAccess.objects.select_for_update().get(pk=access.pk)
        if access.account_id not in (None, account.pk):
            raise ValidationError(_("该申请已关联其他账户。"))
        access.account = account
        access.save(update_fields=["account"])
        record_audit(
            action="portal.account_link_case",
            target=access.application,
            agency=access.application.agency,
            after={"account": account.pk},
        )
    return access
