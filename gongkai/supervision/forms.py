"""Forms of the 督办 pages (labels in Chinese; the services check the rules again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.supervision.choices import Outcome, Source


class DateInput(forms.DateInput):
    input_type = "date"


class IssueForm(forms.Form):
    """下发督办单."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    application = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("督办事项类别"), choices=Source.choices)
    subject = forms.CharField(label=_("督办事项"), max_length=200)
    note = forms.CharField(
        label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    deadline = forms.DateField(label=_("反馈时限"), widget=DateInput)


class AnswerForm(forms.Form):
    """反馈办理情况."""

    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 5}))


class ReturnForm(forms.Form):
    """退回重新办理."""

    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("新的反馈时限"), widget=DateInput)


class CloseForm(forms.Form):
    """办结."""

    outcome = forms.ChoiceField(label=_("督办结果"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
