"""Office forms of the catalogue (no business rules: those live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.choices import Channel, CountMetric, ReviewResult, StructuredKind
from gongkai.catalog.models import CatalogItem, Category
from gongkai.catalog.services import EDITABLE_FIELDS
from gongkai.core.widgets import IsoDateInput


class ItemForm(forms.ModelForm):
    """An item's metadata and text; an optional first attachment."""

    channels = forms.MultipleChoiceField(
        label=_("公开渠道"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = forms.FileField(
        label=_("添加附件"),
        required=False,
        help_text=_("PDF、DOCX、XLSX 文件或 PNG、JPEG、GIF 图片；提交前会自动进行错敏检测。"),
    )

    class Meta:
        model = CatalogItem
        fields = [f for f in EDITABLE_FIELDS if f != "channels"] + ["interprets"]
        widgets = {
            "written_on": IsoDateInput(),
            "valid_from": IsoDateInput(),
            "valid_until": IsoDateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "non_disclosure_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, interpretable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        category.queryset = Category.objects.filter(scheme__is_subject=True).select_related(
            "parent"
        )
        interprets = self.fields["interprets"]
        assert isinstance(interprets, forms.ModelMultipleChoiceField)  # noqa: S101
        interprets.queryset = (
            interpretable if interpretable is not None else CatalogItem.objects.none()
        )
        interprets.required = False
        interprets.help_text = _("本条目为政策解读时，选择所解读的文件。")
        if self.instance.pk:
            self.fields["channels"].initial = self.instance.channels


class NewItemForm(ItemForm):
    """A new item: choose the issuing agency among those the officer may draft for."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("发布机构"), queryset=None)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = agencies
        self.order_fields(["agency"])


class AttachmentForm(forms.Form):
    """Upload one attachment."""

    file = forms.FileField(label=_("附件"))


class ReviewForm(forms.Form):
    """The 保密审查: basis, result and comment."""

    basis = forms.CharField(
        label=_("审查依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("《中华人民共和国保守国家秘密法》及本机关国家秘密事项范围"),
    )
    result = forms.ChoiceField(label=_("审查结论"), choices=ReviewResult.choices)
    comment = forms.CharField(
        label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(forms.Form):
    """The head's approval: publish now or at a time."""

    publish_at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        help_text=_("留空则立即发布。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ReasonForm(forms.Form):
    """A reason (withdrawal, rejection, waiver)."""

    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviseForm(ItemForm):
    """A change after publication: the fields and the reason (a new version)."""

    reason = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}))


class CountForm(forms.Form):
    """A periodic count for table 二."""

    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    period = forms.CharField(label=_("期间"), initial=_("全年"), max_length=40)
    kind = forms.ChoiceField(label=_("类别"), choices=[c for c in StructuredKind.choices if c[0]])
    metric = forms.ChoiceField(label=_("指标"))
    value = forms.DecimalField(label=_("数值"), min_value=0, decimal_places=2, max_digits=16)
    source = forms.CharField(label=_("数据来源"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = CountMetric.choices  # type: ignore[attr-defined]


class CleanupForm(forms.Form):
    """A 规范性文件清理 decision and the documents it abolishes."""

    title = forms.CharField(label=_("清理决定名称"), max_length=300)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    decided_on = forms.DateField(label=_("决定日期"), widget=IsoDateInput())
    items: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("废止的文件"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = documents
