"""Forms: the search box and the synonym editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.params import clean_text, int_param, year_param
from gongkai.search.models import Synonym
from gongkai.search.segment import split_terms


class SynonymForm(forms.ModelForm):
    """Edit one synonym group."""

    class Meta:
        model = Synonym
        fields = ["terms", "note", "is_active"]

    def clean_terms(self) -> str:
        """At least two distinct terms."""
        terms = self.cleaned_data["terms"]
        if len(set(split_terms(terms))) < 2:
            raise forms.ValidationError(_("同义词组至少需要两个不同的词。"))
        return terms


#: Facets whose values are ids or years (checked as numbers before they reach an index).
NUMERIC_FACETS: dict[str, Callable[..., Any]] = {
    "agency": int_param,
    "category": int_param,
    "year": year_param,
}


def _facet_value(facet: str, value: str) -> str:
    """The facet value as given, or ParamError (400) for a number out of range or a NUL."""
    if facet in NUMERIC_FACETS:
        return str(NUMERIC_FACETS[facet]({facet: value}, facet))
    return clean_text(value, facet)[:64]


class SearchForm(forms.Form):
    """The query parameters of a search page or API call."""

    q = forms.CharField(label=_("检索词"), max_length=200, required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False)
    per_page = forms.IntegerField(min_value=1, max_value=50, required=False)
    recent = forms.BooleanField(label=_("近期优先"), required=False)

    def query_kwargs(self, facets: tuple[str, ...], data: Any) -> dict[str, Any]:
        """Keyword arguments for ``SearchQuery`` (facet filters read from the raw data)."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        filters = {
            f: [_facet_value(f, v) for v in data.getlist(f) if v][:20]
            for f in facets
            if data.getlist(f)
        }
        return {
            "text": (cleaned.get("q") or "").strip(),
            "page": cleaned.get("page") or 1,
            "per_page": cleaned.get("per_page") or 20,
            "recent": bool(cleaned.get("recent")),
            "filters": filters,
        }
