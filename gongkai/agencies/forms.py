"""Office forms for agencies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.credit_code import credit_code_error, normalise_credit_code
from gongkai.agencies.models import Agency, ReadingPoint
from gongkai.agencies.services import EDITABLE_FIELDS


class AgencyForm(forms.ModelForm):
    """An agency's descriptive fields."""

    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = EDITABLE_FIELDS

    def clean_credit_code(self) -> str:
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        error = credit_code_error(code)
        if error:
            raise forms.ValidationError(error)
        return code


class MoveForm(forms.Form):
    """Choose a new parent for an agency."""

    new_parent = forms.ModelChoiceField(label=_("新的上级机关"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, agency: Agency, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = candidates.active().exclude(path__startswith=agency.path)


ReadingPointFormSet = forms.inlineformset_factory(
    Agency,
    ReadingPoint,
    fields=["name", "address", "opening_hours", "phone"],
    extra=1,
    can_delete=True,
)
