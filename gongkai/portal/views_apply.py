"""Public views of online applications (依申请公开): apply, receipt, follow, correct, pay, withdraw.

Views are thin: input through ``forms``, rules through ``applications.services``,
portal records through ``portal.services``, reads through ``portal.selectors``. A case page
opens only for a session that proved the access code (or the owning applicant account); any
other case id gets exactly the answer of a wrong code.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.params import text_param
from gongkai.letters.permissions import letter_file_for_applicant
from gongkai.portal import access as acc
from gongkai.portal import casework, lockout, ratelimit, selectors, services, submission
from gongkai.portal.choices import FileKind
from gongkai.portal.forms import (
    AccessibleForm,
    ApplyForm,
    CorrectionForm,
    FollowForm,
    LoginForm,
    PaymentForm,
    SignupForm,
    WithdrawForm,
)
from gongkai.portal.models import CaseAccess
from gongkai.portal.receipt import receipt_pdf
from gongkai.portal.uploads import CheckedFile, check_upload
from gongkai.responses.delivery import record_applicant_download

TOKEN_SALT = "gongkai.portal.apply"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 3600


def _limited(
    request: HttpRequest, limited: ratelimit.Limited, template: str, ctx: dict
) -> HttpResponse:
    response = render(request, template, {**ctx, "rate_limited": ratelimit.message(limited)})
    response.status_code = 429
    response["Retry-After"] = str(limited.retry_after)
    return response


def new_form_token() -> str:
    """A signed one-time token for one apply form (stored server-side once used)."""
    return signing.dumps(secrets.token_hex(16), salt=TOKEN_SALT)


def form_token_key(token: str) -> str | None:
    """The server-side key of a valid form token, or None if forged or expired."""
    try:
        nonce = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return f"form:{nonce}" if isinstance(nonce, str) and len(nonce) == 32 else None


def _agency_choices() -> list[tuple[str, Any]]:
    return [(str(a.pk), a.name) for a in selectors.agencies_for_applications()]


# --- apply -----------------------------------------------------------------------------------


def apply_start(request: HttpRequest) -> HttpResponse:
    """Choose the agency: search box and the list of agencies, each linking to its form."""
    query = text_param(request.GET, "q", max_length=50)
    agencies = selectors.agencies_for_applications(query)
    return render(
        request,
        "portal/apply_start.html",
        {"agencies": agencies, "query": query, "account": acc.current_account(request)},
    )


def _files_from_form(
    form: ApplyForm, request: HttpRequest, key: str | None
) -> dict[str, CheckedFile]:
    """Check each uploaded file; a good one is staged for the next try, a bad one is an error."""
    found: dict[str, CheckedFile] = {}
    for name in ("identity_copy", "attachment"):
        upload = request.FILES.get(name)
        if upload is not None:
            try:
                found[name] = check_upload(upload)
            except ValidationError as exc:
                form.add_error(name, exc.messages[0])
                continue
            if key:
                services.stage_upload(token=key, field=name, checked=found[name])
        elif key:
            staged = selectors.staged_upload(key, name)
            if staged is not None:
                found[name] = services.staged_file(staged)
    if "identity_copy" not in found and "identity_copy" not in form.errors:
        form.add_error(
            "identity_copy", _("请上传身份证明复印件（《条例》第二十九条要求提供身份证明）。")
        )
    return found


def _blank_form(request: HttpRequest, agency_pk: int | None, ctx: dict[str, Any]) -> HttpResponse:
    agency = selectors.receiving_agency(agency_pk) if agency_pk else None
    if agency_pk and agency is None:
        raise Http404
    form = ApplyForm(
        initial={"form_token": new_form_token(), "agency": str(agency.pk) if agency else ""},
        agency_choices=_agency_choices(),
    )
    return render(request, "portal/apply_form.html", {**ctx, "form": form, "agency": agency})


def _submit_form(
    request: HttpRequest, form: ApplyForm, key: str, files: dict[str, Any], account: Any
) -> HttpResponse | None:
    """Submit a valid form; the redirect to the receipt, or None with the errors on the form."""
    try:
        result = submission.submit(
            token=key,
            agency=form.checked_agency,
            applicant=form.applicant(),
            description=form.full_description(),
            requested_form=form.cleaned_data["requested_form"],
            requested_delivery=form.cleaned_data["requested_delivery"],
            files=[
                (FileKind.IDENTITY if n == "identity_copy" else FileKind.ATTACHMENT, f)
                for n, f in files.items()
            ],
            account=account,
        )
    except submission.Refused as refused:
        _refusal_on_form(form, refused)
        return None
    if result.created:
        acc.remember_receipt(request, result.access, result.code)
    acc.grant(request, result.access)
    return redirect("apply:receipt", uid=result.access.uid)


def _refused_page(
    request: HttpRequest,
    refused: submission.Refused,
    form: Any,
    template: str,
    ctx: dict[str, Any],
) -> HttpResponse:
    """The page again with a refusal: rate-limited (429, Retry-After) or a refusal that is not
    the input's (the status of the service, e.g. 409) on top; else 400 with the messages on the
    form."""
    if refused.code == "invalid" or refused.code == "not_found":
        _refusal_on_form(form, refused)
        return render(request, template, ctx, status=400)
    response = render(
        request, template, {**ctx, "rate_limited": refused.message}, status=refused.status
    )
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def _refusal_on_form(form: Any, refused: submission.Refused) -> None:
    """A refusal of a service as form errors: by field (unless the form has found the field
    wrong itself), else the message on the whole form."""
    if not refused.errors:
        form.add_error(None, refused.message)
    field_map = getattr(form, "FIELD_MAP", {})
    for field, message in refused.errors.items():
        name = field_map.get(field, field)
        if name not in form.errors:
            form.add_error(name if name in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """The application form; a double click or a resubmitted page creates one application."""
    ctx: dict[str, Any] = {"account": acc.current_account(request)}
    if request.method == "GET":
        return _blank_form(request, agency_pk, ctx)
    form = ApplyForm(request.POST, request.FILES, agency_choices=_agency_choices())
    key = form_token_key(request.POST.get("form_token", ""))
    try:
        if key is not None and (done := submission.earlier(key)) is not None:
            return redirect("apply:receipt", uid=done.access.uid)  # the same page sent again
        submission.count(source=ratelimit.client_ip(request), data=request.POST)
    except submission.Refused as refused:
        return _refused_page(
            request, refused, form, "portal/apply_form.html", {**ctx, "form": form}
        )
    valid = form.is_valid()
    files = _files_from_form(form, request, key)
    if key is None:
        form.add_error(None, _("页面已过期，请检查填写的内容后再次提交。"))
        form.data = data = cast(QueryDict, form.data).copy()  # a bound form: request.POST
        data["form_token"] = new_form_token()
    if valid and not form.errors and key is not None:
        if (done_response := _submit_form(request, form, key, files, ctx["account"])) is not None:
            return done_response
    staged = {
        s.field: s.original_name
        for s in selectors.staged_uploads(key or "-")
        if s.field not in form.errors
    }
    context = {**ctx, "form": form, "agency": form.checked_agency, "staged": staged}
    return render(request, "portal/apply_form.html", context, status=400)


# --- receipt ---------------------------------------------------------------------------------


def _case_or_follow(request: HttpRequest, uid: Any) -> CaseAccess | HttpResponse:
    access = acc.session_access(request, uid)
    if access is None:
        return redirect("apply:follow")
    return access


def receipt(request: HttpRequest, uid: Any) -> HttpResponse:
    """The receipt page: registration number, the one-time access code, the receipt date."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        acc.forget_receipt(request, found)
        return redirect("apply:case", uid=found.uid)
    view = selectors.case_view(found)
    return render(
        request,
        "portal/apply_receipt.html",
        {"view": view, "app": view.application, "code": acc.receipt_code(request, found)},
    )


def receipt_download(request: HttpRequest, uid: Any) -> HttpResponse:
    """The PDF receipt (回执), with the code while this session still holds it."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    view = selectors.case_view(found)
    data = receipt_pdf(view, code=acc.receipt_code(request, found))
    response = HttpResponse(data, content_type="application/pdf")
    name = f"receipt-{view.application.registration_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- follow ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Open a case with the registration number and the access code."""
    form = FollowForm(request.POST if request.method == "POST" else None)
    ctx: dict[str, Any] = {"form": form, "account": acc.current_account(request)}
    if not form.is_bound:
        return render(request, "portal/apply_follow.html", ctx)
    form.is_valid()  # the service refuses a blank field; the form says which
    try:
        found = casework.open_case(
            source=ratelimit.client_ip(request),
            number=form.cleaned_data.get("registration_number", ""),
            code=form.cleaned_data.get("access_code", ""),
        )
    except submission.Refused as refused:
        return _refused_page(request, refused, form, "portal/apply_follow.html", ctx)
    acc.grant(request, found)
    return redirect("apply:case", uid=found.uid)


def _case_page(
    request: HttpRequest, access: CaseAccess, status: int = 200, **forms: Any
) -> HttpResponse:
    view = selectors.case_view(access)
    account = acc.current_account(request)
    ctx = {
        "view": view,
        "app": view.application,
        "account": account,
        "linked": account is not None and access.account_id == account.pk,
        "correction_form": forms.get("correction_form") or CorrectionForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "rate_limited": forms.get("rate_limited", ""),
    }
    response = render(request, "portal/apply_case.html", ctx)
    response.status_code = status
    return response


def case(request: HttpRequest, uid: Any) -> HttpResponse:
    """The applicant's case page: status, receipt date, deadlines, letters, actions."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    return _case_page(request, found)


def _form_errors(form: Any) -> dict[str, str]:
    """The form's own errors, by field, for the service to refuse with."""
    return {name: " ".join(str(m) for m in errs) for name, errs in form.errors.items()}


def _refused_case(
    request: HttpRequest, access: CaseAccess, refused: submission.Refused, name: str, form: Any
) -> HttpResponse:
    """The case page again with a refused step: the input's errors on the step's form (400);
    any other refusal on top of the page, where it is seen even when the step's form is no
    longer offered (429 with Retry-After when rate-limited, else 400)."""
    if refused.code == "invalid":
        _refusal_on_form(form, refused)
        return _case_page(request, access, 400, **{name: form})
    status = 429 if refused.code == "rate_limited" else 400
    response = _case_page(request, access, status, rate_limited=refused.message, **{name: form})
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def _checked_upload(form: Any, name: str) -> CheckedFile | None:
    """The form's uploaded file ``name`` checked, or None (a failed check is a form error)."""
    upload = form.cleaned_data.get(name) if form.is_valid() else None
    if not upload:
        return None
    try:
        return check_upload(upload)
    except ValidationError as exc:
        form.add_error(name, exc.messages[0])
        return None


def _case_action(
    request: HttpRequest,
    uid: Any,
    form_class: type[AccessibleForm],
    name: str,
    done: str,
    step: Callable[[Any, CaseAccess, str], object],
) -> HttpResponse:
    """An applicant's step on the case page: its form read, the step of ``casework`` taken
    (``step(form, access, source)``), then back to the case with ``done`` — or the case page
    again with the refusal on the step's form ``name``."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    form = form_class(request.POST, request.FILES)
    try:
        step(form, found, ratelimit.client_ip(request))
    except submission.Refused as refused:
        return _refused_case(request, found, refused, name, form)
    messages.success(request, done)
    return redirect("apply:case", uid=found.uid)


def _correct(form: Any, access: CaseAccess, source: str) -> None:
    checked = _checked_upload(form, "correction_file")
    casework.correct(
        access=access,
        source=source,
        text=form.cleaned_data.get("correction", ""),
        files=[checked] if checked is not None else [],
        errors=_form_errors(form),
    )


@require_POST
def case_correct(request: HttpRequest, uid: Any) -> HttpResponse:
    """Submit the corrected application (补正) and files; the reply clock restarts."""
    done = _("补正已提交，答复期限自今日起重新计算。")
    return _case_action(request, uid, CorrectionForm, "correction_form", done, _correct)


def _pay(form: Any, access: CaseAccess, source: str) -> None:
    proof = _checked_upload(form, "payment_proof")
    casework.pay(
        access=access,
        source=source,
        paid_on=form.cleaned_data.get("paid_on"),
        receipt_number=form.cleaned_data.get("receipt_number", ""),
        proof=proof,
        errors=_form_errors(form),
    )


@require_POST
def case_pay(request: HttpRequest, uid: Any) -> HttpResponse:
    """Record the proof of paying the information processing fee."""
    done = _("缴费凭证已提交，机关核实后恢复办理。")
    return _case_action(request, uid, PaymentForm, "payment_form", done, _pay)


def _withdraw(form: Any, access: CaseAccess, source: str) -> None:
    form.is_valid()
    casework.withdraw(
        access=access,
        source=source,
        reason=form.cleaned_data.get("reason", ""),
        errors=_form_errors(form),
    )


@require_POST
def case_withdraw(request: HttpRequest, uid: Any) -> HttpResponse:
    """Withdraw the application."""
    return _case_action(request, uid, WithdrawForm, "withdraw_form", _("申请已撤回。"), _withdraw)


def case_file(request: HttpRequest, uid: Any, pk: int) -> HttpResponse | FileResponse:
    """One of the applicant's own files, to this applicant only."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    row = selectors.applicant_file(found, pk)
    if row is None:
        raise Http404
    return file_response(row.file.open("rb"), row.content_type, row.original_name)


def file_response(fh: Any, content_type: str, name: str) -> FileResponse:
    """A stored file as a private, never-cached attachment response."""
    response = FileResponse(fh, content_type=content_type, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def case_letter(request: HttpRequest, uid: Any, pk: int, fmt: str) -> HttpResponse:
    """A letter addressed to the applicant, as PDF or DOCX."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    if fmt not in {"pdf", "docx"}:
        raise Http404

    letter = letter_file_for_applicant(application=found.application, letter_pk=pk, fmt=fmt)
    record_applicant_download(
        request, application=found.application, name=letter.filename, data=letter.data
    )
    return letter.response()


# --- applicant accounts ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def account_signup(request: HttpRequest) -> HttpResponse:
    """Create an applicant account (optional: cases can always be followed with the code)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        limited = ratelimit.check(("signup_ip", ratelimit.client_ip(request)))
        if limited:
            return _limited(request, limited, "portal/account_signup.html", {"form": form})
        if form.is_valid():
            try:
                account = services.account_create(
                    email=form.cleaned_data["email"] or "",
                    phone=form.cleaned_data["phone"] or "",
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error("phone" if field == "login" else field, errs)
            else:
                request.session.cycle_key()
                request.session[acc.ACCOUNT_SESSION_KEY] = account.pk
                messages.success(request, _("账户已创建。"))
                return redirect("apply:account")
    return render(request, "portal/account_signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_login(request: HttpRequest) -> HttpResponse:
    """Log in with e-mail or mobile number and password."""
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        login = str(request.POST.get("login", ""))[:254].strip().lower()
        source = ratelimit.client_ip(request)
        limited = ratelimit.check(("login_ip", source)) or lockout.login_wait(
            request, source, login
        )
        if limited:
            return _limited(request, limited, "portal/account_login.html", {"form": form})
        if form.is_valid():
            account = services.account_authenticate(
                login=form.cleaned_data["login"], password=form.cleaned_data["password"]
            )
            if account is not None:
                request.session.cycle_key()
                request.session[acc.ACCOUNT_SESSION_KEY] = account.pk
                response = redirect("apply:account")
                lockout.login_succeeded(request, response, login)
                return response
            lockout.login_failed(request, source, login)
            form.add_error(None, _("账户或密码不正确。"))
    return render(request, "portal/account_login.html", {"form": form})


@require_POST
def account_logout(request: HttpRequest) -> HttpResponse:
    """Log out of the applicant account (and forget every opened case)."""
    request.session.flush()
    return redirect("apply:start")


def account_home(request: HttpRequest) -> HttpResponse:
    """The account's applications."""
    account = acc.current_account(request)
    if account is None:
        return redirect("apply:login")
    return render(
        request,
        "portal/account_home.html",
        {
            "account": account,
            "cases": selectors.account_cases(account),
            "today": timezone.localdate(),
        },
    )


@require_POST
def account_link(request: HttpRequest, uid: Any) -> HttpResponse:
    """Attach an opened case to the logged-in account."""
    found = _case_or_follow(request, uid)
    if isinstance(found, HttpResponse):
        return found
    account = acc.current_account(request)
    if account is None:
        return redirect("apply:login")
    try:
        services.account_link_case(account=account, access=found)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已关联到您的账户。"))
    return redirect("apply:case", uid=found.uid)


def case_url(access: CaseAccess) -> str:
    """The case page URL."""
    return reverse("apply:case", kwargs={"uid": access.uid})
