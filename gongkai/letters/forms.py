"""Forms of the letters office pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.widgets import IsoDateInput
from gongkai.letters.placeholders import PLACEHOLDERS, used_placeholders

#: ``<input type="date">`` only accepts ISO dates; the zh-hans input format would be 2026/02/10.
ISO_DATE = "%Y-%m-%d"


class ChooseTemplateForm(forms.Form):
    """Step 1 of issuing: which letter."""

    code = forms.ChoiceField(label=_("文书模板"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["code"]).choices = choices


class IssueForm(forms.Form):
    """Step 2 of issuing: the date and the facts the chosen template needs from the officer."""

    code = forms.CharField(widget=forms.HiddenInput)
    issued_on = forms.DateField(label=_("成文日期"), widget=IsoDateInput())

    def __init__(
        self, *args: Any, template_source: str, initial_facts: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        used = used_placeholders(template_source)
        for name, placeholder in PLACEHOLDERS.items():
            if not placeholder.fact or name not in used:
                continue
            if placeholder.fact == "date":
                field: forms.Field = forms.DateField(widget=IsoDateInput())
            elif placeholder.fact == "textarea":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
            else:
                field = forms.CharField(max_length=300)
            field.label = placeholder.label
            field.required = False
            field.initial = initial_facts.get(name) or None
            self.fields[f"fact_{name}"] = field

    def facts(self) -> dict[str, Any]:
        """The officer's values keyed by placeholder name."""
        return {
            key.removeprefix("fact_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("fact_") and value not in (None, "")
        }


class TemplateForm(forms.Form):
    """Edit a letter template (saving adds a version)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "mono"}),
        help_text=_("每行一段；第一行以“：”结尾为称谓。落款机关、日期和文号自动添加。"),
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class SettingsForm(forms.Form):
    """An agency's letter settings."""

    number_prefix = forms.CharField(
        label=_("发文字号前缀"),
        max_length=40,
        help_text=_("例如“临府办依告”，文号为“临府办依告〔2026〕12号”。"),
    )
    signer_name = forms.CharField(
        label=_("落款机关名称"),
        max_length=200,
        required=False,
        help_text=_("留空时使用机关名称。"),
    )
    review_body = forms.CharField(
        label=_("行政复议机关"),
        max_length=200,
        required=False,
        help_text=_("留空时：部门为本级人民政府，人民政府为上一级人民政府。"),
    )
