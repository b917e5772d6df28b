"""Office views of disclosure applications. Thin: lists start from ``visible_to``, objects come
through ``access_application``, writes go through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import agencies_for, require_platform_admin, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.models import Agency
from gongkai.applications import forms as f
from gongkai.applications import selectors
from gongkai.applications import services as s
from gongkai.applications.choices import FeeBasis, Result, result_full_label
from gongkai.applications.models import Application
from gongkai.applications.permissions import (
    access_application,
    access_lawsuit,
    access_review,
    may_see_personal_data,
)
from gongkai.applications.services import CORRECTABLE
from gongkai.applications.workflow import TRANSITIONS, allowed_actions
from gongkai.core.actors import Actor


def _form_error(form: Any, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@workspace_required("applications")
def application_list(request: HttpRequest) -> HttpResponse:
    """A work queue (mine, unassigned, due soon, overdue, review, approval, open, all)."""
    key = request.GET.get("queue", "open")
    if key not in selectors.QUEUE_LABELS:
        key = "open"
    cases = selectors.queue(request.user, key)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/list.html",
        {
            "queue_key": key,
            "queue_label": selectors.QUEUE_LABELS[key],
            "queues": selectors.queue_counts(request.user),
            "page": page,
            "can_register": agencies_for(request.user, "application.register").exists(),
        },
    )


#: Applicant fields of the registration form, by ``ApplicantData`` attribute.
APPLICANT_FIELDS = {
    "applicant_type": "applicant_type",
    "name": "applicant_name",
    "id_document_type": "id_document_type",
    "id_number": "id_number",
    "credit_code": "credit_code",
    "legal_representative": "legal_representative",
    "contact_name": "contact_name",
    "phone": "phone",
    "email": "email",
    "address": "address",
    "postcode": "postcode",
}
#: Fields of the registration form passed to the service as they are.
REGISTRATION_FIELDS = [
    "agency",
    "channel",
    "arrived_on",
    "letter_needs_signature",
    "signed_for_on",
    "confirmed_on",
    "description",
    "requested_form",
    "requested_delivery",
    "is_oral",
    "is_assisted",
    "assistance_note",
    "on_the_spot_reply",
]


def _registration(data: dict[str, Any]) -> dict[str, Any]:
    """The registration form's data as ``services.application_register`` arguments."""
    return {
        **{name: data[name] for name in REGISTRATION_FIELDS},
        "applicant": s.ApplicantData(**{k: data[v] for k, v in APPLICANT_FIELDS.items()}),
        "items": data["items"].splitlines(),
        "on_the_spot_result": data["on_the_spot_result"] or None,
    }


@staff_required
def application_register_view(request: HttpRequest) -> HttpResponse:
    """Register an application (登记), any channel, including oral and assisted ones."""
    agencies = agencies_for(request.user, "application.register")
    if not agencies.exists():
        raise PermissionDenied
    form = f.RegisterForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            app = s.application_register(by=request.user, **_registration(form.cleaned_data))
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("已登记，受理编号 %(n)s。") % {"n": app.registration_number}
            )
            return redirect("applications:detail", pk=app.pk)
    return render(request, "applications/register.html", {"form": form})


@staff_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: applicant, request, deadlines with chips and explanation, timeline, actions."""
    app = access_application(user=request.user, pk=pk)
    allowed = allowed_actions(request.user, app)
    actions = [{"name": n, "label": TRANSITIONS[n].label} for n in allowed if n in ACTION_VIEWS]
    context = {
        "app": app,
        "show_personal": may_see_personal_data(request.user, app),
        "result_label": result_full_label(app.result) if app.result else "",
        "proposed_label": result_full_label(app.proposed_result) if app.proposed_result else "",
        "items": app.items.all(),
        "events": app.events.select_related("actor", "corrects").order_by("seq"),
        "consultations": app.consultations.all(),
        "third_party_missing": s.third_party_notices_missing(app),
        **s.extension_context(app),
        "request_versions": s.request_versions(app),
        "fee_notices": app.fee_notices.all(),
        "deliveries": app.deliveries.all(),
        "reviews": app.reviews.all(),
        "lawsuits": app.lawsuits.select_related("review"),
        "clock": selectors.case_clock(app),
        "actions": actions,
        "can_record_appeal": "record_appeal" in allowed,
        "archive_job": selectors.latest_archive_job(app),
        "applicant_files": selectors.applicant_file_count(app),
    }
    return render(request, "applications/detail.html", context)


# --- one small form per step ----------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    """How a step is shown: its form (built for the case) and how the form's data runs it."""

    build: Callable[[HttpRequest, Application], Any]
    run: Callable[[Any, Application, Any], Any]


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _run_draft(forms_: Any, app: Application, user: Actor) -> Any:
    formset, summary = forms_
    decisions = [
        s.ItemDecision(
            description=x.cleaned_data["description"],
            decision=x.cleaned_data["decision"],
            reason=x.cleaned_data.get("reason", ""),
            pages=x.cleaned_data.get("pages"),
        )
        for x in formset.forms
        if x.cleaned_data
    ]
    return s.application_draft_reply(
        by=user, application=app, decisions=decisions, summary=summary.cleaned_data["summary"]
    )


def _build_draft(request: HttpRequest, app: Application) -> Any:
    initial = [
        {"description": i.description, "decision": i.decision, "reason": i.reason, "pages": i.pages}
        for i in app.items.all()
    ]
    formset = f.DraftItemFormSet(_data(request), initial=initial, prefix="items")
    summary = f.DraftSummaryForm(_data(request), initial={"summary": app.reply_summary})
    return formset, summary


def _correct(form: Any, app: Application, user: Actor) -> Any:
    d = form.cleaned_data
    return s.event_correct(
        by=user,
        application=app,
        event=d["event"],
        changes={d["field"]: d["value"]},
        reason=d["reason"],
    )


def _requested_extension(app: Application) -> dict[str, Any]:
    """The pending request's days and reasons, offered to the head."""
    request = s.pending_extension_request(app)
    return dict(request.payload) if request is not None else {}


ACTION_VIEWS: dict[str, StepView] = {
    "assign": StepView(
        lambda r, a: f.AssignForm(_data(r), handlers=selectors.handlers_of(a.agency)),
        lambda fm, a, u: s.application_assign(
            by=u, application=a, handler=fm.cleaned_data["handler"]
        ),
    ),
    "request_correction": StepView(
        lambda r, a: f.CorrectionRequestForm(_data(r)),
        lambda fm, a, u: s.application_request_correction(by=u, application=a, **fm.cleaned_data),
    ),
    "receive_correction": StepView(
        lambda r, a: f.CorrectionReceivedForm(_data(r)),
        lambda fm, a, u: s.application_receive_correction(by=u, application=a, **fm.cleaned_data),
    ),
    "expire_correction": StepView(
        lambda r, a: f.DateNoteForm(_data(r)),
        lambda fm, a, u: s.application_expire_correction(
            by=u, application=a, on=fm.cleaned_data["on"]
        ),
    ),
    "send_consultation": StepView(
        lambda r, a: f.ConsultationForm(_data(r)),
        lambda fm, a, u: s.consultation_send(by=u, application=a, **fm.cleaned_data),
    ),
    "answer_consultation": StepView(
        lambda r, a: f.ConsultationAnswerForm(_data(r), application=a),
        lambda fm, a, u: s.consultation_answer(by=u, **fm.cleaned_data),
    ),
    "notify_third_party": StepView(
        lambda r, a: f.ThirdPartyNoticeForm(
            _data(r),
            consultations=a.consultations.filter(
                pk__in=[c.pk for c in s.third_party_notices_missing(a)]
            ),
        ),
        lambda fm, a, u: s.third_party_notify(by=u, application=a, **fm.cleaned_data),
    ),
    "request_extension": StepView(
        lambda r, a: f.ExtensionRequestForm(_data(r)),
        lambda fm, a, u: s.extension_request(by=u, application=a, **fm.cleaned_data),
    ),
    "refuse_extension": StepView(
        lambda r, a: f.ExtensionRefuseForm(_data(r)),
        lambda fm, a, u: s.extension_refuse(by=u, application=a, **fm.cleaned_data),
    ),
    "approve_extension": StepView(
        lambda r, a: f.ExtensionForm(_data(r), initial=_requested_extension(a)),
        lambda fm, a, u: s.application_approve_extension(by=u, application=a, **fm.cleaned_data),
    ),
    "set_longer_deadline": StepView(
        lambda r, a: f.LongerDeadlineForm(_data(r)),
        lambda fm, a, u: s.application_set_longer_deadline(by=u, application=a, **fm.cleaned_data),
    ),
    "send_fee_notice": StepView(
        lambda r, a: f.FeeNoticeForm(_data(r), initial={"basis": FeeBasis.PER_PAGE}),
        lambda fm, a, u: s.fee_notice_send(by=u, application=a, **fm.cleaned_data),
    ),
    "pay_fee": StepView(
        lambda r, a: f.FeePaidForm(_data(r)),
        lambda fm, a, u: s.fee_pay(by=u, application=a, **fm.cleaned_data),
    ),
    "expire_fee": StepView(
        lambda r, a: f.DateNoteForm(_data(r)),
        lambda fm, a, u: s.fee_expire(by=u, application=a, on=fm.cleaned_data["on"]),
    ),
    "draft_reply": StepView(_build_draft, _run_draft),
    "submit_for_review": StepView(
        lambda r, a: f.ConfirmForm(_data(r)),
        lambda fm, a, u: s.application_submit_for_review(by=u, application=a),
    ),
    "approve_review": StepView(
        lambda r, a: f.ReviewDecisionForm(_data(r)),
        lambda fm, a, u: s.application_review(by=u, application=a, **fm.cleaned_data),
    ),
    "approve_reply": StepView(
        lambda r, a: f.ApprovalForm(_data(r)),
        lambda fm, a, u: s.application_approve(by=u, application=a, **fm.cleaned_data),
    ),
    "record_delivery": StepView(
        lambda r, a: f.DeliveryForm(_data(r)),
        lambda fm, a, u: s.application_record_delivery(by=u, application=a, **fm.cleaned_data),
    ),
    "transfer": StepView(
        lambda r, a: f.TransferForm(
            _data(r), agencies=Agency.objects.active().exclude(pk=a.agency_id)
        ),
        lambda fm, a, u: s.application_transfer(by=u, application=a, **fm.cleaned_data),
    ),
    "withdraw": StepView(
        lambda r, a: f.DateNoteForm(_data(r)),
        lambda fm, a, u: s.application_withdraw(by=u, application=a, **fm.cleaned_data),
    ),
    "close": StepView(
        lambda r, a: f.ConfirmForm(_data(r)),
        lambda fm, a, u: s.application_close(by=u, application=a),
    ),
    "correct_event": StepView(
        lambda r, a: f.EventCorrectionForm(
            _data(r), events=a.events.filter(kind__in=list(CORRECTABLE)).order_by("seq")
        ),
        _correct,
    ),
}
#: The reviewer's and the head's "return" share the form of their "approve" step.
STEP_ALIASES = {"return_review": "approve_review", "return_approval": "approve_reply"}


def _valid(form: Any) -> bool:
    if isinstance(form, tuple):
        return all(x.is_valid() for x in form)
    return bool(form.is_valid())


@staff_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step's small form; the service re-checks the status and the role."""
    name = STEP_ALIASES.get(step, step)
    if name not in ACTION_VIEWS:
        raise Http404
    app = access_application(user=request.user, pk=pk, action=TRANSITIONS[name].action)
    view = ACTION_VIEWS[name]
    form = view.build(request, app)
    if request.method == "POST" and _valid(form):
        try:
            view.run(form, app, request.user)
        except ValidationError as exc:
            _form_error(form[1] if isinstance(form, tuple) else form, exc)
        else:
            messages.success(request, _("已办理：%(s)s。") % {"s": TRANSITIONS[name].label})
            return redirect("applications:detail", pk=app.pk)
    return render(
        request,
        "applications/step.html",
        {
            "app": app,
            "step": name,
            "label": TRANSITIONS[name].label,
            "form": form if not isinstance(form, tuple) else None,
            "formset": form[0] if isinstance(form, tuple) else None,
            "summary_form": form[1] if isinstance(form, tuple) else None,
            "results": Result,
        },
    )


# --- review and lawsuit records -------------------------------------------------------------


@staff_required
def review_edit(request: HttpRequest, pk: int, review_pk: int | None = None) -> HttpResponse:
    """Add or change an administrative review (行政复议) record of the case."""
    app = access_application(user=request.user, pk=pk, action="application.record_appeal")
    review = access_review(application=app, pk=review_pk) if review_pk else None
    form = f.ReviewRecordForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            s.review_save(by=request.user, application=app, review=review, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存行政复议记录。"))
            return redirect("applications:detail", pk=app.pk)
    return render(
        request,
        "applications/record.html",
        {"app": app, "form": form, "title": _("行政复议")},
    )


@staff_required
def lawsuit_edit(request: HttpRequest, pk: int, lawsuit_pk: int | None = None) -> HttpResponse:
    """Add or change an administrative lawsuit (行政诉讼) record of the case."""
    app = access_application(user=request.user, pk=pk, action="application.record_appeal")
    lawsuit = access_lawsuit(application=app, pk=lawsuit_pk) if lawsuit_pk else None
    form = f.LawsuitRecordForm(request.POST or None, instance=lawsuit, application=app)
    if request.method == "POST" and form.is_valid():
        try:
            s.lawsuit_save(by=request.user, application=app, lawsuit=lawsuit, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存行政诉讼记录。"))
            return redirect("applications:detail", pk=app.pk)
    return render(
        request,
        "applications/record.html",
        {"app": app, "form": form, "title": _("行政诉讼")},
    )


# --- deadline recomputation progress (platform admins) -------------------------------------


@require_platform_admin
def recompute_list(request: HttpRequest) -> HttpResponse:
    """The latest deadline recomputations (after calendar changes) with their progress."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, "applications/recompute_list.html", {"runs": selectors.recompute_runs()})


@require_platform_admin
def recompute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One recomputation's progress bar (htmx-polled until it has finished)."""
    run = selectors.recompute_run(pk)
    if run is None:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    partial = bool(getattr(request, "htmx", False))
    template = "applications/_recompute_status.html" if partial else "applications/recompute.html"
    return render(request, template, {"run": run})
