"""Forms of the response-documents pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import DeliveryMethod
from gongkai.core.widgets import IsoDateInput
from gongkai.responses.choices import RedactionReason


def _item_choices(application: Any) -> list[tuple[str, Any]]:
    items = [
        (str(i.position), f"{i.position}. {i.description[:40]}") for i in application.items.all()
    ]
    return [("", _("（全部申请内容）")), *items]


class UploadForm(forms.Form):
    """Upload one file as a response document."""

    file = forms.FileField(label=_("文件（PDF、DOCX、XLSX、PNG、JPEG、TIFF）"))
    item_position = forms.TypedChoiceField(
        label=_("对应申请事项"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_position"].choices = _item_choices(application)  # type: ignore[attr-defined]


class CatalogueForm(forms.Form):
    """Pick a published catalogue item found by search."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    item_position = forms.TypedChoiceField(
        label=_("对应申请事项"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_position"].choices = _item_choices(application)  # type: ignore[attr-defined]


class BoxForm(forms.Form):
    """A box drawn on a page image (pixels of an image ``width`` wide)."""

    page = forms.IntegerField(min_value=0)
    x0 = forms.FloatField()
    y0 = forms.FloatField()
    x1 = forms.FloatField()
    y1 = forms.FloatField()
    width = forms.FloatField(min_value=1)
    reason = forms.ChoiceField(label=_("法律依据"), choices=RedactionReason.choices)


class SearchForm(forms.Form):
    """Mark every occurrence of a string or a pattern, or the personal-data findings."""

    MODES = [
        ("text", _("文字")),
        ("pattern", _("模式（正则表达式）")),
        ("personal", _("个人信息检测结果")),
    ]
    mode = forms.ChoiceField(label=_("查找方式"), choices=MODES, initial="text")
    query = forms.CharField(label=_("查找内容"), required=False, max_length=200)
    reason = forms.ChoiceField(
        label=_("法律依据"),
        choices=RedactionReason.choices,
        initial=RedactionReason.PERSONAL_PRIVACY,
    )


class DeliveryForm(forms.Form):
    """Record how the approved reply reached the applicant (a method other than asked: why)."""

    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    delivered_on = forms.DateField(label=_("送达日期"), widget=IsoDateInput())
    proof = forms.CharField(
        label=_("送达凭证（邮件单号、签收人等）"), required=False, max_length=200
    )
    reason = forms.CharField(
        label=_("未按申请人要求的方式送达的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
