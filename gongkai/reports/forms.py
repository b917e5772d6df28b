"""Forms of the annual-report office pages (labels in Chinese, through gettext)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.widgets import IsoDateInput
from gongkai.reports import compute
from gongkai.reports.choices import Scope, Source

DATE = IsoDateInput()


def _default_year() -> int:
    return timezone.localdate().year - 1


class StartForm(forms.Form):
    """Open a report for an agency, a year and a scope."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("机关"), queryset=None)
    year = forms.IntegerField(
        label=_("报告年度"), min_value=2019, max_value=2100, initial=_default_year
    )
    scope = forms.ChoiceField(label=_("统计范围"), choices=Scope.choices, initial=Scope.OWN)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        """Offer the agencies the user may draft reports for."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class CellForm(forms.Form):
    """Enter a cell by hand, with its source."""

    cell = forms.ChoiceField(label=_("单元格"))
    value = forms.CharField(label=_("数值"), max_length=30)
    source = forms.CharField(
        label=_("数据来源"), max_length=200, help_text=_("例如：行政执法信息系统、财务决算。")
    )

    def __init__(self, *args: Any, fmt: int, t2fmt: int | None, **kwargs: Any) -> None:
        """List every cell of the report's format with its Chinese name."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cell"]).choices = [
            (c, compute.cell_label(fmt, c, t2fmt)) for c in compute.valid_cells(fmt, t2fmt)
        ]


class NarrativeForm(forms.Form):
    """The prose sections officers write."""

    one = forms.CharField(
        label=_("一、总体情况"), widget=forms.Textarea(attrs={"rows": 18}), required=False
    )
    five = forms.CharField(
        label=_("五、存在的主要问题及改进情况"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    six = forms.CharField(
        label=_("六、其他需要报告的事项"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )

    KEYS = {"one": "一", "five": "五", "six": "六"}


class CommentForm(forms.Form):
    """A reviewer's or head's comment."""

    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CorrectionForm(forms.Form):
    """Start a correction (更正) with the note shown on the republished report."""

    note = forms.CharField(label=_("更正说明"), widget=forms.Textarea(attrs={"rows": 3}))


class SeasonForm(forms.Form):
    """Choose the government and the year of the compilation season."""

    government: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("人民政府"), queryset=None
    )
    year = forms.IntegerField(
        label=_("报告年度"), min_value=2019, max_value=2100, initial=_default_year
    )

    def __init__(self, *args: Any, governments: Any, **kwargs: Any) -> None:
        """Offer the governments whose season the user may run."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["government"]).queryset = governments


class DeadlineForm(forms.Form):
    """Local deadlines, earlier than the statutory ones."""

    department_due_on = forms.DateField(label=_("部门报告截止日期"), required=False, widget=DATE)
    government_due_on = forms.DateField(
        label=_("下级政府报告截止日期"), required=False, widget=DATE
    )


class ReminderForm(forms.Form):
    """A reminder to a sub-agency."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("提醒内容"),
        max_length=500,
        initial=_("请按期完成本年度政府信息公开工作年度报告的编制、审核和发布。"),
    )


class ImportForm(forms.Form):
    """Upload a published report (history) or a submission of an agency not on the platform."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("机关"), queryset=None)
    year = forms.IntegerField(label=_("报告年度"), min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label=_("统计范围"), choices=Scope.choices, initial=Scope.OWN)
    source = forms.ChoiceField(
        label=_("报告类别"),
        choices=[
            (Source.IMPORTED, Source.IMPORTED.label),
            (Source.SUBMITTED, Source.SUBMITTED.label),
        ],
        initial=Source.IMPORTED,
        help_text=_("报送的报告须通过全部勾稽关系核对；历史报告按原样保存，不符之处作为提示。"),
    )
    file = forms.FileField(
        label=_("报告文件"), help_text=_("文本、HTML、DOCX、PDF，或平台的 JSON、Excel 格式。")
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        """Offer the agencies the user may import reports for."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class ConfirmImportForm(forms.Form):
    """Confirm the figures read from a file (the payload is signed by the server)."""

    payload = forms.CharField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(label=_("我已逐项核对以上数字与原报告一致"))
