"""The agency tree: people's governments, their departments and disclosure offices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.credit_code import organisation_code, validate_credit_code
from gongkai.agencies.querysets import AgencyQuerySet


class Agency(models.Model):
    """A 机关: a 人民政府 or a 部门, placed in the tree by ``parent``.

    ``path`` is a materialised path of ids (``/1/7/42/``) so that a subtree is one indexed
    prefix query; services keep it in step with ``parent``.
    """

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_disclosure_office = models.BooleanField(
        _("政府信息公开工作主管部门"),
        default=False,
        help_text=_("本级人民政府的政府信息公开工作主管部门（通常为办公室）。"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    responsible_leader = models.CharField(_("分管领导"), max_length=100, blank=True)
    responsible_leader_title = models.CharField(_("分管领导职务"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    deactivated_on = models.DateField(_("撤销日期"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgencyKind.values), name="agencies_agency_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=AgencyLevel.values),
                name="agencies_agency_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_code(self) -> str:
        """The 9-character 组织机构代码 used in 索引号."""
        return organisation_code(self.credit_code)

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to (and including) this agency."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def government(self) -> Agency:
        """The people's government this agency belongs to (itself if it is one)."""
        if self.kind == AgencyKind.GOVERNMENT or self.parent is None:
            return self
        return self.parent.government()

    def disclosure_office(self) -> Agency | None:
        """The disclosure office of this agency's government (its 办公室)."""
        gov = self.government()
        return gov.children.filter(is_disclosure_office=True, is_active=True).first()


class ReadingPoint(models.Model):
    """A public reading point (查阅点) where people can consult disclosed information."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.CASCADE, related_name="reading_points"
    )
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=60, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("查阅点")
        verbose_name_plural = _("查阅点")

    def __str__(self) -> str:
        return self.name
