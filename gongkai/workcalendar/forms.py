"""The platform admin's form for loading a year: upload a JSON file or paste its text."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 200_000


class YearLoadForm(forms.Form):
    """One year file, uploaded or pasted (the format of docs/workcalendar.md)."""

    file = forms.FileField(
        label=_("上传JSON文件"),
        required=False,
        help_text=_("国务院节假日安排通知的年度文件，UTF-8编码，格式见说明文档"),
    )
    text = forms.CharField(
        label=_("或粘贴JSON内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = (cleaned.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError(_("请上传一个文件或粘贴JSON内容（二者选一）。"))
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("文件过大（不应超过200KB）。"))
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("文件不是UTF-8编码。")) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("内容不是有效的JSON（第%(line)d行）。"), params={"line": exc.lineno}
            ) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("内容应为一个JSON对象。"))
        cleaned["data"] = data
        return cleaned
