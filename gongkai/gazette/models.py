"""The government gazette (政府公报): issues, the documents they carry, their distribution."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.gazette.choices import EventKind, IssueKind, IssueStatus, Section


def issue_pdf_path(instance: GazetteIssue, filename: str) -> str:
    """Store an issue's PDF under MEDIA_ROOT/gazette/<year>/<identifier>.pdf."""
    return f"gazette/{instance.year}/{instance.uid or 'draft'}.pdf"


class GazetteIssueQuerySet(AgencyScopedQuerySet["GazetteIssue"]):
    """Filters of issues for the office and the portal."""

    def published(self) -> GazetteIssueQuerySet:
        """Issues shown on the portal."""
        return self.filter(status=IssueStatus.PUBLISHED)

    def of_subtree(self, agency: models.Model) -> GazetteIssueQuerySet:
        """Issues of ``agency`` and of the governments below it."""
        return self.filter(agency__path__startswith=agency.path)  # type: ignore[attr-defined]


class GazetteIssue(models.Model):
    """One issue of a government's gazette.

    Numbers (期号 within the year in the issue's series, 总期号 over all years) and the
    permanent identifier are taken when the issue is published, so they stay gapless; the
    PDF is typeset then, stored, and its SHA-256 published. A published issue never changes:
    a mistake is corrected by a 更正 item in a later issue.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("主办机关"),
        on_delete=models.PROTECT,
        related_name="gazette_issues",
    )
    kind = models.CharField(
        _("类别"), max_length=12, choices=IssueKind.choices, default=IssueKind.REGULAR
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    uid = models.CharField(_("永久标识"), max_length=80, unique=True, null=True, blank=True)
    issue_date = models.DateField(_("出版日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    print_run = models.PositiveIntegerField(_("印数（册）"), default=0)
    note = models.TextField(_("编辑说明"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=issue_pdf_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF的SHA-256"), max_length=64, blank=True, db_index=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF大小（字节）"), null=True, blank=True)
    published_at = models.DateTimeField(_("出版时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = GazetteIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-issue_date", "-id"]
        verbose_name = _("公报期刊")
        verbose_name_plural = _("公报期刊")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=IssueStatus.values), name="gazette_issue_status_valid"
            ),
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "number"], name="gazette_issue_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def gazette_name(self) -> str:
        """The gazette's name, e.g. 临江市人民政府公报."""
        return f"{self.agency.name}公报"

    @property
    def number_label(self) -> str:
        """E.g. 2025年第3期（总第27期）, 2025年增刊第1期; 未编号 before publication."""
        if self.number is None:
            return f"{self.year}年（出版时编号）"
        series = "" if self.kind == IssueKind.REGULAR else self.get_kind_display()
        label = f"{self.year}年{series}第{self.number}期"
        if self.total_number:
            label += f"（总第{self.total_number}期）"
        return label

    @property
    def title(self) -> str:
        """《临江市人民政府公报》2025年第3期（总第27期）."""
        return f"《{self.gazette_name}》{self.number_label}"

    @property
    def is_published(self) -> bool:
        """True once the issue is out (frozen, on the portal)."""
        return self.status == IssueStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        """True while the office may still change the issue."""
        return self.status == IssueStatus.DRAFT


class GazetteEntry(models.Model):
    """One item printed in an issue: a catalogue document, or a 更正 of an earlier item.

    The text is copied from the catalogue item when it is added (and again when the issue is
    published), so the issue keeps what it printed even if the catalogue item is revised
    later. Each entry gets a permanent identifier when its issue is published.
    """

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="entries")
    section = models.CharField(_("栏目"), max_length=12, choices=Section.choices)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("目录条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gazette_entries",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=200)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    body = models.TextField(_("正文"), blank=True)
    uid = models.CharField(_("永久标识"), max_length=90, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["issue", "position", "id"]
        verbose_name = _("公报条目")
        verbose_name_plural = _("公报条目")

    def __str__(self) -> str:
        return self.title

    @property
    def is_correction(self) -> bool:
        """True for a 更正 item."""
        return self.corrects_id is not None


class Distribution(models.Model):
    """How many copies of an issue go to one recipient unit (发送范围)."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="distribution")
    recipient = models.CharField(_("发送单位"), max_length=200)
    copies = models.PositiveIntegerField(_("份数"))
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["issue", "position", "id"]
        verbose_name = _("发送单位")
        verbose_name_plural = _("发送单位")

    def __str__(self) -> str:
        return f"{self.recipient} {self.copies}"


class IssueEvent(models.Model):
    """An entry of an issue's history."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(_("操作人"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["issue", "at", "id"]
        verbose_name = _("公报记录")
        verbose_name_plural = _("公报记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
