"""Forms of the gazette's office pages and the public verification page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.gazette.choices import IssueKind, Section


class IssueForm(forms.Form):
    """A new issue: whose gazette, which year and kind, the date and print run."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("主办机关"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("类别"), choices=IssueKind.choices)
    issue_date = forms.DateField(
        label=_("出版日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    print_run = forms.IntegerField(label=_("印数（册）"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("编辑说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class IssueEditForm(forms.Form):
    """The date, print run and note of an issue being compiled."""

    issue_date = forms.DateField(
        label=_("出版日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    print_run = forms.IntegerField(label=_("印数（册）"), min_value=0)
    note = forms.CharField(
        label=_("编辑说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddItemsForm(forms.Form):
    """Choose published catalogue items to print, optionally into one section."""

    items: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("可刊登的文件"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    section = forms.ChoiceField(
        label=_("栏目"), required=False, choices=[("", _("按文件类别自动归入"))] + Section.choices
    )

    def __init__(self, *args: Any, eligible: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["items"]).queryset = eligible


class DistributionForm(forms.Form):
    """The distribution list: one line per recipient, ``单位名称，份数``."""

    lines = forms.CharField(
        label=_("发送单位及份数（每行一个单位：单位名称，份数）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_lines(self) -> list[tuple[str, int]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["lines"].splitlines(), 1):
            if not line.strip():
                continue
            name, sep, copies = line.replace(",", "，").rpartition("，")
            if not sep or not copies.strip().isdigit():
                raise forms.ValidationError(_("第%(n)s行应写作“单位名称，份数”。") % {"n": n})
            rows.append((name.strip(), int(copies.strip())))
        return rows


class CorrectionForm(forms.Form):
    """A 更正 of an item printed earlier, identified by its permanent identifier."""

    corrected_uid = forms.CharField(label=_("被更正条目的永久标识"), max_length=90)
    text = forms.CharField(label=_("更正内容"), widget=forms.Textarea(attrs={"rows": 4}))


class VerifyForm(forms.Form):
    """A downloaded PDF to check against the published SHA-256 digests."""

    file = forms.FileField(label=_("下载的公报PDF文件"))
