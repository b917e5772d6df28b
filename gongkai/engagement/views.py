"""Office views of public engagement: the workspace, consultations and their comments.
Thin: access through permissions, writes through services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import agencies_for, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.engagement import services
from gongkai.engagement.forms import (
    AnswerForm,
    ConcludeForm,
    ConsultationForm,
    DraftImportForm,
    HotlineForm,
    StaffCommentForm,
)
from gongkai.engagement.models import HotlineCount, Interaction, MailboxMessage
from gongkai.engagement.permissions import access_consultation
from gongkai.engagement.provisions import docx_paragraphs
from gongkai.engagement.selectors import (
    comment_groups,
    moderation_queue,
    office_consultations,
    with_provision_labels,
)
from gongkai.engagement.workflow import CONSULTATION


def message_of(exc: ValidationError) -> str:
    """The refusal as one line for a flash message."""
    return "；".join(str(m) for m in exc.messages)


def _step(request: HttpRequest, pk: int, step: str, run: Callable[[Any], Any]) -> HttpResponse:
    """Run one write on the consultation; errors as a message on its page."""
    consultation = access_consultation(user=request.user, pk=pk, action=CONSULTATION[step].action)
    try:
        run(consultation)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    return redirect("engagement:consultation", pk=consultation.pk)


@workspace_required("engagement")
def index(request: HttpRequest) -> HttpResponse:
    """公众参与: consultations, interaction records, the mailbox and hotline counts in scope."""
    user = request.user
    agencies = agencies_for(user, "engagement.manage")
    year = timezone.localdate().year
    context = {
        "hotline_form": HotlineForm(agencies=agencies, initial={"year": year, "period": "全年"}),
        "consultations": office_consultations(user)[:100],
        "interactions": Interaction.objects.visible_to(user).select_related("agency")[:100],
        "mailbox": MailboxMessage.objects.visible_to(user).select_related("agency", "unit")[:100],
        "hotline": HotlineCount.objects.visible_to(user).select_related("agency")[:50],
        "can_manage": agencies.exists(),
    }
    return render(request, "engagement/index.html", context)


@staff_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    """Prepare a draft for public comment."""
    today = timezone.localdate()
    form = ConsultationForm(
        request.POST or None,
        agencies=agencies_for(request.user, "engagement.manage"),
        initial={"opens_on": today, "closes_on": today + dt.timedelta(days=29)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            c = services.consultation_create(by=request.user, **form.cleaned_data)
            return redirect("engagement:consultation", pk=c.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "engagement/consultation_new.html", {"form": form})


@staff_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation: the draft, the moderation queue, the comment groups and their answers."""
    c = access_consultation(user=request.user, pk=pk)
    groups = comment_groups(c)
    for g in groups:  # one form per group, with its own field ids
        g.form = AnswerForm(auto_id=f"answer{g.sample.pk}_%s")  # type: ignore[attr-defined]
    context = {
        "c": c,
        "queue": with_provision_labels(c, moderation_queue(c)),
        "import_form": DraftImportForm(),
        "groups": groups,
        "conclude_form": ConcludeForm(),
        "comment_form": StaffCommentForm(),
        "events": c.events.all(),
    }
    return render(request, "engagement/consultation.html", context)


@staff_required
@require_POST
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the draft for comment."""
    return _step(
        request, pk, "publish",
        lambda c: services.consultation_publish(by=request.user, consultation=c),
    )  # fmt: skip


@staff_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    """End the comment period."""
    return _step(
        request, pk, "close", lambda c: services.consultation_close(by=request.user, consultation=c)
    )


@staff_required
@require_POST
def comment_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a letter or e-mail into the comment queue."""
    form = StaffCommentForm(request.POST)

    def run(c: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请检查来源和意见内容。"))
        services.comment_submit(by=request.user, consultation=c, **form.cleaned_data)

    return _step(request, pk, "comment", run)


@staff_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Accept or refuse a comment."""
    accept = request.POST.get("decision") == "accept"
    return _step(
        request, pk, "moderate",
        lambda c: services.comment_moderate(
            by=request.user, consultation=c, comment_id=comment_pk, accept=accept
        ),
    )  # fmt: skip


@staff_required
@require_POST
def comment_answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Record the 采纳情况 of a comment and its group."""
    form = AnswerForm(request.POST)

    def run(c: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请选择采纳情况。"))
        services.comment_answer(
            by=request.user, consultation=c, comment_id=comment_pk, **form.cleaned_data
        )

    return _step(request, pk, "answer", run)


@staff_required
@require_POST
def consultation_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the 采纳情况."""
    form = ConcludeForm(request.POST)

    def run(c: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请填写意见采纳情况说明。"))
        services.consultation_conclude(by=request.user, consultation=c, **form.cleaned_data)

    return _step(request, pk, "conclude", run)


@staff_required
@require_POST
def hotline_new(request: HttpRequest) -> HttpResponse:
    """Enter 热线转办 counts."""
    agencies = agencies_for(request.user, "engagement.manage")
    if not agencies.exists():
        raise PermissionDenied
    form = HotlineForm(request.POST, agencies=agencies)
    if form.is_valid():
        try:
            services.hotline_count_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, message_of(exc))
    else:
        messages.error(request, _("请检查热线统计数。"))
    return redirect("engagement:index")


@staff_required
@require_POST
def draft_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a new version of the draft from a DOCX file."""
    form = DraftImportForm(request.POST, request.FILES)

    def run(c: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请选择草案文件。"))
        try:
            paragraphs = docx_paragraphs(form.cleaned_data["file"].read())
        except Exception as exc:  # any unreadable file is the user's to fix
            raise ValidationError(_("无法读取该DOCX文件。")) from exc
        services.consultation_revise(by=request.user, consultation=c, paragraphs=paragraphs)

    return _step(request, pk, "revise", run)
