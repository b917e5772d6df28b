"""年度对比 in the office: two reports of one agency side by side."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import staff_required
from gongkai.reports.checker import MAX_BYTES
from gongkai.reports.compare import compare_reports


class CompareForm(forms.Form):
    """The earlier and the later report."""

    earlier = forms.FileField(label=_("较早年度的报告"))
    later = forms.FileField(label=_("较晚年度的报告"))

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        for name in ("earlier", "later"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_BYTES:
                self.add_error(name, _("文件超过5 MB，请删去图片后再上传。"))
        return data


@staff_required
def compare_view(request: HttpRequest) -> HttpResponse:
    """Upload two reports; show every changed cell (largest first) and the paragraph changes."""
    form = CompareForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}  # type: ignore[type-arg]
    if request.method == "POST" and form.is_valid():
        a, b = form.cleaned_data["earlier"], form.cleaned_data["later"]
        try:
            comparison = compare_reports(a.read(), b.read(), (a.name, b.name))
        except Exception:  # untrusted files: an unreadable one is a message, never a 500
            form.add_error(None, _("无法读取上传的文件（可能已损坏、加密或是扫描件）。"))
        else:
            context["comparison"] = comparison
            context["changed"] = [c for c in comparison.cells if c.change]
            context["unknown"] = [c for c in comparison.cells if c.change is None]
    return render(request, "reports/compare.html", context)
