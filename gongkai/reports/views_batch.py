"""年报评查 in the office: upload a ZIP of published reports, one row per report, XLSX export."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import staff_required
from gongkai.reports import batch, batch_store
from gongkai.reports import checker as ck

MAX_ZIP_BYTES = 20 * 1024 * 1024


class BatchForm(forms.Form):
    """A ZIP of reports and, optionally, the year to review."""

    archive = forms.FileField(
        label=_("报告压缩包（ZIP）"),
        help_text=_("ZIP 中可含文本、网页、Word（DOCX）或PDF格式的年度报告，不超过20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    year = forms.IntegerField(label=_("报告年度（可不填）"), required=False, min_value=2008)

    def clean_archive(self) -> list[tuple[str, bytes]]:
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_ZIP_BYTES:
            raise forms.ValidationError(_("压缩包超过20 MB，请分批上传。"))
        try:
            files = batch.read_zip(upload.read())
        except batch.BatchError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not files:
            raise forms.ValidationError(_("压缩包中没有可读取的报告文件。"))
        return files


def _uid(request: HttpRequest) -> int:
    """The reviewer's user id (batches are private to their reviewer)."""
    return int(request.user.pk or 0)


@staff_required
def batch_review(request: HttpRequest) -> HttpResponse:
    """Upload form; a valid upload is reviewed and its results shown."""
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["archive"]
        rows = batch.review_files(files, year=form.cleaned_data["year"])
        token = batch_store.save(_uid(request), rows, files)
        return redirect("reports:batch_result", token=token)
    return render(request, "reports/batch.html", {"form": form})


@staff_required
def batch_result(request: HttpRequest, token: str) -> HttpResponse:
    """The review table, filtered by agency text and "problems only"."""
    items = batch_store.rows(_uid(request), token)
    if items is None:
        raise Http404
    agency = request.GET.get("agency", "").strip()
    problems_only = request.GET.get("problems") == "1"
    shown = batch_store.filtered(items, agency, problems_only)
    context = {
        "token": token,
        "rows": shown,
        "total": len(items),
        "with_problems": sum(1 for r, _ in items if r.problems),
        "agency": agency,
        "problems_only": problems_only,
    }
    return render(request, "reports/batch_result.html", context)


@staff_required
def batch_export(request: HttpRequest, token: str) -> HttpResponse:
    """The whole review as XLSX."""
    items = batch_store.rows(_uid(request), token)
    if items is None:
        raise Http404
    response = HttpResponse(
        batch.to_xlsx([r for r, _ in items]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="report-review.xlsx"'
    return response


@staff_required
def batch_file(request: HttpRequest, token: str, index: int) -> HttpResponse:
    """年报体检 of one file of the batch."""
    data = batch_store.file(_uid(request), token, index)
    if data is None:
        raise Http404
    try:
        checked = ck.check_upload(data, None)
    except ck.CheckerError as exc:
        checked, error = None, exc.message
    else:
        error = None
    back = reverse("reports:batch_result", kwargs={"token": token})
    context = {"checked": checked, "error": error, "back": back, "max_mb": 5}
    return render(request, "reports/batch_file.html", context)
