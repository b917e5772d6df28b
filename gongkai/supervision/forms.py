"""Forms of the 督办 pages (labels in Chinese; the services check the rules again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongkai.agencies.models import Agency
from gongkai.catalog.choices import StatutoryItem
from gongkai.core.widgets import IsoDateInput
from gongkai.supervision.choices import IndicatorKind, Outcome, RuleKind, Source
from gongkai.supervision.freshness import Rule


class IssueForm(forms.Form):
    """下发督办单."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    application = forms.IntegerField(required=False, widget=forms.HiddenInput)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("督办事项类别"), choices=Source.choices)
    subject = forms.CharField(label=_("督办事项"), max_length=200)
    note = forms.CharField(
        label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    deadline = forms.DateField(label=_("反馈时限"), widget=IsoDateInput)


class AnswerForm(forms.Form):
    """反馈办理情况."""

    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 5}))


class ReturnForm(forms.Form):
    """退回重新办理."""

    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("新的反馈时限"), widget=IsoDateInput)


class CloseForm(forms.Form):
    """办结."""

    outcome = forms.ChoiceField(label=_("督办结果"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TaskForm(forms.Form):
    """下达工作要点任务 (the lead and supporting units are chosen among the supervised units)."""

    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    code = forms.CharField(label=_("序号"), max_length=20, required=False)
    text = forms.CharField(label=_("工作任务"), widget=forms.Textarea(attrs={"rows": 3}))
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Agency.objects.none()
    )
    supporting: forms.ModelMultipleChoiceField[Agency] = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = forms.DateField(label=_("完成时限"), widget=IsoDateInput)
    evidence_expected = forms.CharField(
        label=_("预期成果（佐证材料）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = units
        self.fields["year"].initial = timezone.localdate().year
        cast(forms.ModelMultipleChoiceField, self.fields["supporting"]).queryset = units


class TaskReportForm(forms.Form):
    """报送进展 (or completion)."""

    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("佐证材料链接"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个链接：政府信息公开目录中的信息或网站上的文件。"),
    )
    done = forms.BooleanField(label=_("任务已完成"), required=False)


class TaskReopenForm(forms.Form):
    """退回继续推进."""

    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class IndicatorsForm(forms.Form):
    """考核指标及分值 of one year: a weight (0: not used) per indicator, a target for counts."""

    def __init__(self, *args: Any, current: dict[str, tuple[int, int]], **kwargs: Any):

        super().__init__(*args, **kwargs)
        for kind in IndicatorKind:
            weight, target = current.get(kind.value, (0, 0))
            self.fields[f"weight_{kind.value}"] = forms.IntegerField(
                label=_("%(k)s 分值") % {"k": kind.label},
                min_value=0,
                max_value=100,
                initial=weight,
            )
            if kind == IndicatorKind.PUBLISHED:
                self.fields[f"target_{kind.value}"] = forms.IntegerField(
                    label=_("%(k)s 满分条数") % {"k": kind.label},
                    min_value=1,
                    max_value=100000,
                    initial=target or 12,
                )

    def values(self) -> dict[str, tuple[int, int]]:
        """kind → (weight, target) as entered."""

        data = self.cleaned_data
        return {
            k.value: (data[f"weight_{k.value}"], data.get(f"target_{k.value}") or 0)
            for k in IndicatorKind
        }


class ColumnRulesForm(forms.Form):
    """栏目更新要求: per 第二十条 column, none, yearly by a date, or at least every N days."""

    def __init__(self, *args: Any, current: list[Rule], **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        by_item = {r.statutory_item: r for r in current}
        for item in StatutoryItem:
            rule = by_item.get(item.value)
            n = item.value
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=item.label,
                choices=[("", _("不设要求")), *RuleKind.choices],
                required=False,
                initial=rule.kind if rule else "",
            )
            for name, label, top in (
                ("month", _("月"), 12),
                ("day", pgettext_lazy("day of month", "日"), 31),
                ("days", _("天数"), 3660),
            ):
                self.fields[f"{name}_{n}"] = forms.IntegerField(
                    label=f"{label}", min_value=1, max_value=top, required=False,
                    initial=getattr(rule, name, None) if rule else None,
                )  # fmt: skip

    def rules(self) -> list[Rule]:
        """The rules entered (columns without a requirement left out)."""

        data = self.cleaned_data
        return [
            Rule(n, data[f"kind_{n}"], data[f"month_{n}"], data[f"day_{n}"], data[f"days_{n}"])
            for n in StatutoryItem.values
            if data.get(f"kind_{n}")
        ]
