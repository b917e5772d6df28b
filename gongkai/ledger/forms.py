"""Forms of the ledger pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Upload limit for a ledger file (100,000 rows of XLSX are about 10 MB).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class _AgencyForm(forms.Form):
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("机关"), queryset=None)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = agencies
        if agencies.count() == 1:
            field.initial = agencies.first()


class ImportForm(_AgencyForm):
    """Upload a ledger file into one agency."""

    file = forms.FileField(label=_("台账文件"), help_text=_("XLSX 或 CSV 文件，表头须与模板一致。"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("请上传 XLSX 或 CSV 格式的台账文件。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大（上限 50 MB），请分批导入。"))
        return upload


class ExportForm(_AgencyForm):
    """Choose the agency and (optionally) the year to export."""

    year = forms.IntegerField(
        label=_("收到年度"),
        required=False,
        min_value=2008,
        max_value=2100,
        help_text=_("留空导出全部年度。"),
    )

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("年度不能晚于今年。"))
        return year


class RepeatCheckForm(forms.Form):
    """The registration form's fields the repeat check reads (GET parameters)."""

    agency = forms.IntegerField(required=False)
    applicant_type = forms.CharField(required=False, max_length=20)
    id_number = forms.CharField(required=False, max_length=40)
    credit_code = forms.CharField(required=False, max_length=18)
    description = forms.CharField(required=False, max_length=5000)
