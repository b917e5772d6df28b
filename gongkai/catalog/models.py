"""The disclosure catalogue: items, their attachments, reviews, findings, versions and counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.catalog.choices import (
    AttachmentKind,
    Channel,
    CountMetric,
    DisclosureAttribute,
    EventKind,
    FindingKind,
    FindingStatus,
    Genre,
    ItemStatus,
    NonDisclosureGround,
    PortalColumn,
    ReviewResult,
    StatutoryItem,
    StructuredKind,
    TermKind,
    Validity,
)
from gongkai.catalog.querysets import CatalogItemQuerySet


class CategoryScheme(models.Model):
    """A classification tree: the shipped gov.cn 主题分类 or a platform's own (组配分类 …)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    is_subject = models.BooleanField(
        _("主题分类"), default=False, help_text=_("文档元数据“主题分类”取自此分类体系。")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("分类体系")
        verbose_name_plural = _("分类体系")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """One class of a scheme; sub-classes point to their parent (written “大类\\小类”)."""

    scheme = models.ForeignKey(
        CategoryScheme,
        verbose_name=_("分类体系"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=100)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "parent_id", "sort_order", "id"]
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "parent", "name"], name="catalog_category_unique_name"
            ),
            models.UniqueConstraint(
                fields=["scheme", "name"],
                condition=models.Q(parent=None),
                name="catalog_category_unique_top_name",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """The class as catalogues write it: “大类\\小类”."""
        if self.parent_id and self.parent is not None:
            return f"{self.parent.name}\\{self.name}"
        return self.name


class CleanupDecision(models.Model):
    """A 规范性文件清理 decision under which many documents were abolished at once."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("清理决定名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("决定日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("规范性文件清理决定")
        verbose_name_plural = _("规范性文件清理决定")

    def __str__(self) -> str:
        return self.title


class CatalogItem(models.Model):
    """One entry of the 政府信息公开目录: a document or record with its metadata.

    The 索引号 is allocated once, when the item is created, and never reused. Status changes
    happen only in ``gongkai.catalog.services``.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="catalog_items",
    )
    co_issuers = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("联合发文机关"),
        blank=True,
        related_name="co_issued_items",
    )
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    index_number = models.CharField(_("索引号"), max_length=64, unique=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True, db_index=True)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    extra_categories = models.ManyToManyField(
        Category, verbose_name=_("其他分类"), blank=True, related_name="extra_items"
    )
    genre = models.CharField(_("体裁"), max_length=20, choices=Genre.choices, default=Genre.NOTICE)
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    disclosure_attribute = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    non_disclosure_ground = models.CharField(
        _("不予公开依据"), max_length=20, choices=NonDisclosureGround.choices, blank=True
    )
    non_disclosure_reason = models.TextField(_("不予公开理由"), blank=True)
    statutory_item = models.PositiveSmallIntegerField(
        _("第二十条事项"), choices=StatutoryItem.choices, null=True, blank=True
    )
    portal_column = models.CharField(
        _("栏目"), max_length=20, choices=PortalColumn.choices, default=PortalColumn.STATUTORY
    )
    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.IN_FORCE
    )
    valid_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    abolished_on = models.DateField(_("废止或失效日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    cleanup = models.ForeignKey(
        CleanupDecision,
        verbose_name=_("清理决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    channels = models.JSONField(_("公开渠道"), default=list, blank=True)
    structured_kind = models.CharField(
        _("统计类别"), max_length=20, choices=StructuredKind.choices, blank=True, default=""
    )
    fee_amount = models.DecimalField(
        _("收费金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    interprets = models.ManyToManyField(
        "self",
        verbose_name=_("解读的文件"),
        symmetrical=False,
        blank=True,
        related_name="interpretations",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    publish_delay_days = models.IntegerField(_("成文至发布工作日数"), null=True, blank=True)
    is_late = models.BooleanField(_("超过20个工作日发布"), default=False)
    delay_provisional = models.BooleanField(_("工作日数暂定"), default=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("目录条目")
        verbose_name_plural = _("目录条目")
        indexes = [
            models.Index(fields=["status", "published_on"], name="catalog_pub_idx"),
            models.Index(
                fields=["agency", "status", "published_on"], name="catalog_agency_pub_idx"
            ),
            models.Index(fields=["category", "status", "published_on"], name="catalog_cat_pub_idx"),
            models.Index(fields=["genre", "status", "published_on"], name="catalog_genre_pub_idx"),
            models.Index(
                fields=["validity", "status", "published_on"], name="catalog_valid_pub_idx"
            ),
            models.Index(fields=["status", "published_year"], name="catalog_year_idx"),
            models.Index(
                fields=["status", "statutory_item", "published_on"], name="catalog_stat_pub_idx"
            ),
            models.Index(fields=["structured_kind", "agency", "status"], name="catalog_kind_idx"),
            models.Index(fields=["status", "scheduled_at"], name="catalog_sched_idx"),
            models.Index(fields=["statutory_item", "written_on"], name="catalog_stat_written_idx"),
            models.Index(fields=["portal_column", "status", "agency"], name="catalog_column_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="catalog_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED)
                | ~models.Q(non_disclosure_ground=""),
                name="catalog_item_not_disclosed_has_ground",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ItemStatus.PUBLISHED)
                | models.Q(disclosure_attribute=DisclosureAttribute.PROACTIVE),
                name="catalog_item_published_is_proactive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scheduled(self) -> bool:
        """True while the item waits for its scheduled publication time."""
        return self.status == ItemStatus.SCHEDULED and self.scheduled_at is not None

    @property
    def is_public(self) -> bool:
        """True when the item is shown on the portal."""
        return (
            self.status == ItemStatus.PUBLISHED
            and self.disclosure_attribute == DisclosureAttribute.PROACTIVE
        )

    @property
    def keyword_list(self) -> list[str]:
        """The 主题词 as a list."""
        import re

        return [k for k in re.split(r"[\s,，;；、]+", self.keywords) if k]

    def channel_labels(self) -> list[str]:
        """The channels' Chinese labels."""
        return [str(Channel(c).label) for c in self.channels if c in Channel.values]


def attachment_path(instance: Attachment, filename: str) -> str:
    """Store attachments under MEDIA_ROOT/catalog/<year>/<random>.<ext> (never the user's name)."""
    import uuid

    from django.utils import timezone

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"catalog/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file attached to an item; its type is checked from the content, its text extracted."""

    item = models.ForeignKey(
        CatalogItem, verbose_name=_("条目"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("格式"), max_length=10, choices=AttachmentKind.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    text_units = models.JSONField(_("提取的文字"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ItemVersion(models.Model):
    """A frozen copy of a published item, kept when a later change made a new version."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    data = models.JSONField(_("内容"))
    reason = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class ItemEvent(models.Model):
    """One step of an item's workflow, shown as its timeline (the audit trail has the same)."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("步骤"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(_("操作人"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ConfidentialityReview(models.Model):
    """A 保密审查 record: who reviewed, on which basis, with what result."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_repr = models.CharField(_("审查人"), max_length=200)
    basis = models.TextField(_("审查依据"))
    result = models.CharField(_("审查结论"), max_length=10, choices=ReviewResult.choices)
    comment = models.TextField(_("审查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"))

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_result_display()}"


class SensitiveFinding(models.Model):
    """One 错敏检测 finding: what, where (file, page, line), and whether it was settled."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("类型"), max_length=20, choices=FindingKind.choices)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    source = models.CharField(_("位置（文件）"), max_length=200)
    page = models.CharField(_("页/工作表"), max_length=100, blank=True)
    line = models.PositiveIntegerField(_("行"), null=True, blank=True)
    excerpt = models.CharField(_("内容（已遮蔽）"), max_length=300)
    suggestion = models.CharField(_("建议"), max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("处理状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    reason = models.TextField(_("确认理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        ordering = ["status", "id"]
        verbose_name = _("错敏检测结果")
        verbose_name_plural = _("错敏检测结果")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source}"

    @property
    def is_open(self) -> bool:
        """True while nobody has fixed or waived the finding."""
        return self.status == FindingStatus.OPEN

    @property
    def location(self) -> str:
        """Where it was found, for people: 文件，第N页，第M行."""
        from django.utils.translation import gettext

        parts = [self.source]
        if self.page:
            if self.page.isdigit():
                parts.append(gettext("第%(page)s页") % {"page": self.page})
            else:
                parts.append(gettext("工作表“%(sheet)s”") % {"sheet": self.page})
        if self.line:
            parts.append(gettext("第%(line)s行") % {"line": self.line})
        return "，".join(parts)


class SensitiveTerm(models.Model):
    """An entry of the platform's list of sensitive or commonly mistaken expressions."""

    term = models.CharField(_("表述"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=TermKind.choices)
    suggestion = models.CharField(_("建议改为"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["kind", "term"]
        verbose_name = _("错敏表述")
        verbose_name_plural = _("错敏表述")

    def __str__(self) -> str:
        return self.term


class PeriodicCount(models.Model):
    """A count or amount for table 二 entered per period with its source (台账, 系统导出 …)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("期间"), max_length=40, default="全年")
    kind = models.CharField(_("类别"), max_length=20, choices=StructuredKind.choices)
    metric = models.CharField(_("指标"), max_length=10, choices=CountMetric.choices)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    source = models.CharField(_("数据来源"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = _("统计数（按期登记）")
        verbose_name_plural = _("统计数（按期登记）")
        indexes = [models.Index(fields=["year", "agency"], name="catalog_count_year_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.get_metric_display()} {self.value}"
