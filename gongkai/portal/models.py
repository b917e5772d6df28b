"""The applicant's side of online applications: access to a case, uploaded files, accounts.

Nothing here is a second copy of the case: the application itself lives in ``applications``
and is written only through its services. The portal keeps what the office side does not need:
the hash of the one-time access code, the form tokens that make a submission idempotent, the
files the applicant uploaded (stored under MEDIA_ROOT, outside the web root) and the optional
applicant accounts.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.applications.identity import normalise_phone
from gongkai.core.fields import EncryptedTextField, LookupHashField
from gongkai.portal.choices import FileKind
from gongkai.portal.storage import applicant_file_path, private_storage


class ApplicantAccount(models.Model):
    """An optional applicant account: e-mail or mobile number + password (not a staff user).

    The mobile number is encrypted at rest; logins find it by its keyed hash (``phone_hash``),
    which is also what makes it unique.
    """

    email = models.EmailField(_("电子邮箱"), blank=True, db_index=True)
    phone = EncryptedTextField(_("手机号码"), max_length=20, blank=True)
    phone_hash = LookupHashField(_("手机号码检索哈希"), source="phone", normaliser=normalise_phone)
    password = models.CharField(_("密码"), max_length=200)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    last_login = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请人账户")
        verbose_name_plural = _("申请人账户")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="portal_account_email"
            ),
            models.UniqueConstraint(
                fields=["phone_hash"],
                condition=~models.Q(phone_hash=""),
                name="portal_account_phone_hash",
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="portal_account_has_login"
            ),
        ]

    def __str__(self) -> str:
        return f"account {self.pk}"


class CaseAccess(models.Model):
    """The applicant's key to one online case: the hash of the access code (never the code).

    ``uid`` names the case in portal URLs (ids are not guessable and say nothing); the page
    opens only for a browser session that proved the code, or for the owning account.
    """

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="portal_access"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code_salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    account = models.ForeignKey(
        ApplicantAccount,
        verbose_name=_("申请人账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请查询凭据")
        verbose_name_plural = _("申请查询凭据")

    def __str__(self) -> str:
        return str(self.uid)


class SubmissionToken(models.Model):
    """A used one-time form token (or API Idempotency-Key): one submission, one application."""

    key = models.CharField(max_length=128, unique=True)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提交令牌")
        verbose_name_plural = _("提交令牌")

    def __str__(self) -> str:
        return self.key[:12]


class StagedUpload(models.Model):
    """A file that passed the checks on a form that failed elsewhere: kept for the next try.

    Keyed by the form token, so that an applicant who fixes another field need not choose the
    file again ("loses nothing already typed"). Removed when the application is submitted.
    """

    token = models.CharField(max_length=128, db_index=True)
    field = models.CharField(max_length=40)
    file = models.FileField(storage=private_storage, upload_to=applicant_file_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("暂存文件")
        verbose_name_plural = _("暂存文件")
        constraints = [
            models.UniqueConstraint(fields=["token", "field"], name="portal_staged_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token[:8]}/{self.field}"


class ApplicantFile(models.Model):
    """A file the applicant gave with the case: identity copy, correction, payment proof.

    Served only to the applicant (with a valid access session) and to the handling agency.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="applicant_files"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=FileKind.choices)
    file = models.FileField(storage=private_storage, upload_to=applicant_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    receipt_number = models.CharField(_("票据号"), max_length=60, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("申请人提交的文件")
        verbose_name_plural = _("申请人提交的文件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=FileKind.values), name="portal_file_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.kind}/{self.pk}"
