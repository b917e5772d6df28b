"""Form widgets shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``) whose value is always ISO ``2026-11-20``.

    The browser's date input accepts only ISO dates; a localised value (``2026/11/20``) is shown
    as empty and saved blank. Every date field of every form uses this widget
    (``core/tests/test_form_roundtrip.py`` checks it).
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs=attrs, format=format or ISO_DATE)
