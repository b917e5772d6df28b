"""Office views of the interaction records and the 政务信箱."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import agencies_for, staff_required
from gongkai.engagement import services
from gongkai.engagement.forms import AssignForm, InteractionForm, ReplyForm
from gongkai.engagement.permissions import access_message
from gongkai.engagement.selectors import agencies_for_units
from gongkai.engagement.views import message_of
from gongkai.engagement.workflow import MAILBOX


@staff_required
def interaction_new(request: HttpRequest) -> HttpResponse:
    """Record an 在线访谈, 新闻发布会 or 回应关切."""
    form = InteractionForm(
        request.POST or None, agencies=agencies_for(request.user, "engagement.manage")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_record(by=request.user, **form.cleaned_data)
            return redirect("engagement:index")
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
    return render(request, "engagement/interaction_new.html", {"form": form})


@staff_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A mailbox message: the text, the unit, the reply, the allowed steps."""
    message = access_message(user=request.user, pk=pk)
    context = {
        "m": message,
        "assign_form": AssignForm(units=agencies_for_units(message)),
        "reply_form": ReplyForm(),
        "events": message.events.all(),
    }
    return render(request, "engagement/message.html", context)


@staff_required
@require_POST
def message_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign the message to a unit."""
    message = access_message(user=request.user, pk=pk, action=MAILBOX["assign"].action)
    form = AssignForm(request.POST, units=agencies_for_units(message))
    try:
        if not form.is_valid():
            raise ValidationError("请选择承办单位。")
        services.message_assign(by=request.user, message=message, unit=form.cleaned_data["unit"])
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    return redirect("engagement:message", pk=message.pk)


@staff_required
@require_POST
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the reply."""
    message = access_message(user=request.user, pk=pk, action=MAILBOX["reply"].action)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写答复内容。")
        services.message_reply(by=request.user, message=message, reply=form.cleaned_data["reply"])
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    return redirect("engagement:message", pk=message.pk)
