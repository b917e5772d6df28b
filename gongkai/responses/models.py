"""Response documents on a case (答复材料) and the record of every download.

A ``ResponseDocument`` is one file to be provided with the reply: an upload or a published
catalogue item's file, for one requested item. It keeps three files in private storage (under
MEDIA_ROOT, never a public URL): the file as received, the *restricted original* PDF the
redaction is planned on, and the provided output rendered from that PDF and the plan
(``marks``: JSON, see ``redaction.plan_to_data``). Every preview and download is built from the
output only. The case's agency is copied onto the row so that office lists are scoped like any
agency-owned record. Every change goes through ``responses.services`` (the workflow kernel).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.responses.choices import (
    ACTIVE_DOCUMENT_STATUSES,
    PLANNABLE_STATUSES,
    DocumentSource,
    DocumentStatus,
    DownloadChannel,
    FileKind,
)


class ResponseDocumentQuerySet(AgencyScopedQuerySet["ResponseDocument"]):
    """Documents of the agencies in scope; ``active()``: those that are part of the response."""

    def active(self) -> ResponseDocumentQuerySet:
        """Documents not removed."""
        return self.filter(status__in=ACTIVE_DOCUMENT_STATUSES)


class ResponseDocument(models.Model):
    """One file provided with the reply (see the module docstring)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("办理机关"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="response_documents",
    )
    item_position = models.PositiveSmallIntegerField(_("对应申请事项序号"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=DocumentSource.choices)
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("文件名"), max_length=100)
    kind = models.CharField(_("原文件格式"), max_length=8, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("原文件大小（字节）"))
    original_file = models.CharField(max_length=300, editable=False)
    original_sha256 = models.CharField(_("原文件SHA-256"), max_length=64)
    pdf_file = models.CharField(max_length=300, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    marks = models.JSONField(_("区分处理标记"), default=list, blank=True)
    stamp = models.BooleanField(_("每页加印受理编号和日期"), default=True)
    output_file = models.CharField(max_length=300, blank=True, editable=False)
    output_sha256 = models.CharField(_("提供文件SHA-256"), max_length=64, blank=True)
    output_size = models.PositiveBigIntegerField(_("提供文件大小（字节）"), default=0)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    problems = models.JSONField(_("检查发现的问题"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=DocumentStatus.choices,
        default=DocumentStatus.CONVERTING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects = ResponseDocumentQuerySet.as_manager()

    #: Fields holding a file name under MEDIA_ROOT (read by the orphan sweep, core/media.py).
    media_name_fields = ("original_file", "pdf_file", "output_file")

    class Meta:
        ordering = ["item_position", "id"]
        verbose_name = _("答复材料")
        verbose_name_plural = _("答复材料")

    def __str__(self) -> str:
        return self.name

    @property
    def is_plannable(self) -> bool:
        """True when the document's marks may be edited and its output rendered."""
        return self.status in PLANNABLE_STATUSES

    @property
    def is_ready(self) -> bool:
        """True when the provided file is rendered and passed the check."""
        return self.status == DocumentStatus.READY and bool(self.output_file)

    @property
    def is_removed(self) -> bool:
        """True for a document taken out of the response."""
        return self.status == DocumentStatus.REMOVED

    @property
    def is_converting(self) -> bool:
        """True while the background conversion to PDF has not finished."""
        return self.status == DocumentStatus.CONVERTING

    @property
    def mark_list(self) -> list[Any]:
        """The redaction plan as ``redaction.Mark`` objects."""
        # the redaction engine loads the PDF libraries; the models module stays light
        from gongkai.responses.redaction import plan_from_data

        return plan_from_data(self.marks or [])

    @property
    def download_name(self) -> str:
        """The provided file's name (always a PDF)."""
        base = self.name.rsplit(".", 1)[0] if "." in self.name else self.name
        return f"{base}.pdf"


class ResponseDownload(models.Model):
    """One fetch of a provided file (or of the reply letter) — who, when, which file."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="response_downloads",
    )
    document = models.ForeignKey(
        ResponseDocument,
        verbose_name=_("答复材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="downloads",
    )
    file_name = models.CharField(_("文件"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    channel = models.CharField(_("方式"), max_length=10, choices=DownloadChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    who = models.CharField(_("下载人"), max_length=200)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("答复材料下载记录")
        verbose_name_plural = _("答复材料下载记录")

    def __str__(self) -> str:
        return f"{self.file_name} {self.at:%Y-%m-%d %H:%M}"
