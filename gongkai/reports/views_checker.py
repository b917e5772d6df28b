"""年报体检 pages (public and office) and its API twin, POST /api/report-check.

Uploads are kept in memory only (:class:`gongkai.reports.checker.MemoryOnlyUploadHandler`) and
never stored. The handler must be installed before the body is read, and the CSRF middleware
reads it, so the pages are exempted from the middleware and checked by ``csrf_protect`` inside,
after the handler is in place. The API carries no ambient credentials and stores nothing, so it
is exempt from CSRF like the rest of /api/.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.accounts.permissions import staff_required
from gongkai.api.errors import error, json_response
from gongkai.core.params import ParamError, parse_json_body
from gongkai.portal import ratelimit
from gongkai.reports import checker as ck

RATE_LIMIT = "report_check_ip"


class CheckForm(forms.Form):
    """A report file, or its text pasted."""

    file = forms.FileField(
        label=_("报告文件"),
        required=False,
        help_text=_("纯文本、网页（HTML）、Word文档（DOCX）或PDF文档，不超过5 MB。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.htm,.html,.docx,.pdf,text/plain,text/html,application/pdf"}
        ),
    )
    text = forms.CharField(
        label=_("或粘贴报告正文"),
        required=False,
        strip=False,
        help_text=_("可粘贴网页上复制的文字或网页源代码。"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(ck.BOTH)
        if not has_file and not has_text:
            raise forms.ValidationError(ck.EMPTY)
        return data


def _limited(request: HttpRequest) -> ratelimit.Limited | None:
    return ratelimit.check((RATE_LIMIT, ratelimit.client_ip(request)))


def _page(request: HttpRequest, template: str, *, limit: bool) -> HttpResponse:
    context: dict[str, Any] = {"max_mb": ck.MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        context["form"] = CheckForm()
        return render(request, template, context)
    if limit and (limited := _limited(request)):
        context.update(form=CheckForm(), error=ratelimit.message(limited))
        return render(request, template, context, status=429)
    if ck.too_large_request(request):
        context.update(form=CheckForm(), error=ck.TOO_LARGE)
        return render(request, template, context, status=413)
    handler = ck.install_upload_handler(request)
    return _checked(request, template, context, handler)


@csrf_protect
def _checked(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    handler: ck.MemoryOnlyUploadHandler,
) -> HttpResponse:
    try:
        form = CheckForm(request.POST, request.FILES)
    except RequestDataTooBig:
        context.update(form=CheckForm(), error=ck.TOO_LARGE)
        return render(request, template, context, status=413)
    context["form"] = form
    if handler.too_large:
        context["error"] = ck.TOO_LARGE
        return render(request, template, context, status=413)
    if not form.is_valid():  # re-shown with its errors, as Django forms are
        return render(request, template, context)
    try:
        upload = form.cleaned_data.get("file")
        if upload:
            checked = ck.check_upload(upload.read(), upload.name)
        else:
            checked = ck.check_text(form.cleaned_data["text"])
    except ck.CheckerError as exc:
        context["error"] = exc.message
        return render(request, template, context, status=exc.status)
    context["checked"] = checked
    context["form"] = CheckForm()
    return render(request, template, context)


@csrf_exempt
def check_public(request: HttpRequest) -> HttpResponse:
    """年报体检: anyone uploads or pastes a report and sees its tables checked."""
    return _page(request, "reports/checker_public.html", limit=True)


@csrf_exempt
@staff_required
def check_office(request: HttpRequest) -> HttpResponse:
    """年报体检 in the office (any staff member; not rate-limited)."""
    return _page(request, "reports/checker_office.html", limit=False)


@csrf_exempt
def check_api(request: HttpRequest) -> HttpResponse:
    """POST /api/report-check: a multipart ``file`` or JSON ``{"text": ...}`` → parse JSON."""
    with translation.override(settings.LANGUAGE_CODE):
        return _api(request)


def _check_multipart(request: HttpRequest) -> Any:
    """Check the uploaded ``file`` (or the ``text`` field); an error response if too large."""
    handler = ck.install_upload_handler(request)
    upload = request.FILES.get("file")
    if handler.too_large:
        return error("too_large", str(ck.TOO_LARGE), 413)
    if upload is not None:
        return ck.check_upload(upload.read(), upload.name)
    return ck.check_text(request.POST.get("text", ""))


def _check_json(request: HttpRequest) -> Any:
    """Check the ``text`` of a JSON body; an error response for a body that is not one."""
    try:
        body = parse_json_body(request.body)
    except ParamError as exc:
        return error("invalid_json", exc.message, 400)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return error(
            "invalid",
            "请求体应为JSON对象，其中 text 为报告正文。",
            400,
            {"text": "请提供报告正文（字符串）。"},
        )
    return ck.check_text(body["text"])


def _api(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return error("method_not_allowed", "请使用 POST 方法。", 405, Allow="POST")
    if limited := _limited(request):
        return error(
            "rate_limited",
            ratelimit.message(limited),
            429,
            Retry_After=str(limited.retry_after),
        )
    if ck.too_large_request(request):
        return error("too_large", str(ck.TOO_LARGE), 413)
    try:
        if request.content_type == "multipart/form-data":
            checked = _check_multipart(request)
        else:
            checked = _check_json(request)
        if isinstance(checked, HttpResponse):
            return checked
    except RequestDataTooBig:
        return error("too_large", str(ck.TOO_LARGE), 413)
    except ck.CheckerError as exc:
        field = "file" if request.content_type == "multipart/form-data" else "text"
        return error(exc.code, str(exc.message), exc.status, {field: str(exc.message)})
    return json_response(checked.data)
