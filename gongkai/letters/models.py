"""Letters (告知书/答复书), their editable versioned templates, numbering and case archives.

A ``Letter`` is immutable once issued: it keeps the rendered title and text, the placeholder
values used, the template version, its number and the SHA-256 of the DOCX and PDF stored under
MEDIA_ROOT. Templates belong to an agency or, with ``agency`` NULL, to the platform (the shipped
defaults of ``defaults.py``); every save adds a ``LetterTemplateVersion``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.letters.choices import APPLICANT_FACING, LetterKind


class LetterSettings(models.Model):
    """An agency's letter settings: number prefix, signature and review body."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="letter_settings",
    )
    number_prefix = models.CharField(
        _("发文字号前缀"),
        max_length=40,
        help_text=_("例如“临府办依告”，文号为“临府办依告〔2026〕12号”。"),
    )
    signer_name = models.CharField(
        _("落款机关名称"), max_length=200, blank=True, help_text=_("留空时使用机关名称。")
    )
    review_body = models.CharField(
        _("行政复议机关"),
        max_length=200,
        blank=True,
        help_text=_("留空时：部门为本级人民政府，人民政府为上一级人民政府。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("告知书设置")
        verbose_name_plural = _("告知书设置")

    def __str__(self) -> str:
        return self.number_prefix


class LetterTemplate(models.Model):
    """A letter text identified by ``code``: an agency's own, or the platform's (agency NULL)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code = models.SlugField(_("模板代码"), max_length=60)
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="letters_template_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(agency__isnull=True),
                name="letters_template_platform_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LetterKind.values), name="letters_template_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def latest_version(self) -> LetterTemplateVersion | None:
        """The version in use (the highest number)."""
        return self.versions.order_by("-number").first()


class LetterTemplateVersion(models.Model):
    """One saved text of a template. Versions are never changed; a save adds a new one."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    source_digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the shipped default."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("模板版本")
        verbose_name_plural = _("模板版本")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="letters_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.code} v{self.number}"


class Letter(models.Model):
    """An issued letter of a case: numbered, rendered, stored; never changed afterwards."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    template_code = models.SlugField(_("模板代码"), max_length=60)
    template_version = models.ForeignKey(
        LetterTemplateVersion,
        verbose_name=_("模板版本"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("年度序号"))
    number = models.CharField(_("文号"), max_length=80)
    title = models.CharField(_("标题"), max_length=200)
    recipient = models.CharField(_("主送"), max_length=200)
    body = models.TextField(_("正文"))
    signer = models.CharField(_("落款"), max_length=200)
    issued_on = models.DateField(_("成文日期"))
    context = models.JSONField(_("填充内容"), default=dict, editable=False)
    docx_file = models.CharField(max_length=300, editable=False)
    docx_sha256 = models.CharField(max_length=64, editable=False)
    pdf_file = models.CharField(max_length=300, editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    #: Fields holding a file name under MEDIA_ROOT (read by the orphan sweep, core/media.py).
    media_name_fields = ("docx_file", "pdf_file")

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["application", "issued_on", "serial"]
        verbose_name = _("告知书")
        verbose_name_plural = _("告知书")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="letters_letter_serial_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LetterKind.values), name="letters_letter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        # The number only: str() ends up in audit entries (no personal data).
        return self.number

    @property
    def is_applicant_facing(self) -> bool:
        """True for letters addressed to the applicant."""
        return self.kind in APPLICANT_FACING


class CaseArchive(models.Model):
    """A sealed ZIP of a closed case (归档): members, manifest with SHA-256, manifest hash."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="archives",
    )
    file = models.CharField(max_length=300, editable=False)
    sha256 = models.CharField(_("归档文件SHA-256"), max_length=64, editable=False)
    manifest_sha256 = models.CharField(_("清单SHA-256"), max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    member_count = models.PositiveIntegerField(_("文件数"), default=0)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    built_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    #: Fields holding a file name under MEDIA_ROOT (read by the orphan sweep, core/media.py).
    media_name_fields = ("file",)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["application", "-built_at"]
        verbose_name = _("归档")
        verbose_name_plural = _("归档")

    def __str__(self) -> str:
        return str(self.uid)
