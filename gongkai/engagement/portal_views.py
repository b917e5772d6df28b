"""Public pages of public engagement: 征求意见 (drafts, comments, feedback), 在线访谈,
新闻发布会, 回应关切, and the 政务信箱."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongkai.agencies.selectors import root_agency
from gongkai.core.pagecache import cache_public_page
from gongkai.engagement import services
from gongkai.engagement.choices import InteractionKind
from gongkai.engagement.forms import CommentForm, MessageForm
from gongkai.engagement.selectors import (
    comment_groups,
    current_articles,
    public_consultation,
    public_consultations,
    public_interaction,
    public_interactions,
    public_messages,
)
from gongkai.engagement.workflow import PUBLIC
from gongkai.portal import ratelimit


def _limited(request: HttpRequest, contact: str) -> str | None:
    limited = ratelimit.check(
        ("comment_ip", ratelimit.client_ip(request)), ("comment_contact", contact.strip())
    )
    return ratelimit.message(limited) if limited else None


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@cache_public_page
def consultations(request: HttpRequest) -> HttpResponse:
    """征求意见: drafts open for comment and those closed, with their feedback."""
    return render(
        request, "engagement/portal/consultations.html", {"items": public_consultations()[:100]}
    )


def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """One draft: its text and period; the comment form while open; the 采纳情况 after."""
    c = public_consultation(pk)
    if c is None:
        raise Http404
    form = CommentForm(request.POST or None, articles=current_articles(c))
    if request.method == "POST" and form.is_valid():
        limited = _limited(request, form.cleaned_data["contact"])
        if limited:
            form.add_error(None, limited)
        else:
            try:
                services.comment_submit(by=PUBLIC, consultation=c, **form.cleaned_data)
                return redirect(f"{request.path}?sent=1")
            except ValidationError as exc:
                _add_errors(form, exc)
    context = {
        "c": c,
        "form": form,
        "sent": request.GET.get("sent") == "1",
        "groups": comment_groups(c) if c.is_concluded else [],
    }
    return render(request, "engagement/portal/consultation.html", context)


@cache_public_page
def interactions(request: HttpRequest) -> HttpResponse:
    """在线访谈, 新闻发布会 and 回应关切, by kind."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in InteractionKind.values else ""
    context = {
        "items": public_interactions(kind or None)[:100],
        "kinds": InteractionKind.choices,
        "kind": kind,
    }
    return render(request, "engagement/portal/interactions.html", context)


@cache_public_page
def interaction(request: HttpRequest, pk: int) -> HttpResponse:
    """One record with its transcript."""
    item = public_interaction(pk)
    if item is None:
        raise Http404
    return render(request, "engagement/portal/interaction.html", {"item": item})


def mailbox(request: HttpRequest) -> HttpResponse:
    """政务信箱: write a message; replies published with the writer's consent."""
    agency = root_agency()
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and agency is not None:
        limited = _limited(request, form.cleaned_data["contact"])
        if limited:
            form.add_error(None, limited)
        else:
            try:
                services.message_receive(by=PUBLIC, agency=agency, **form.cleaned_data)
                return redirect(f"{request.path}?sent=1")
            except ValidationError as exc:
                _add_errors(form, exc)
    context = {
        "agency": agency,
        "form": form,
        "sent": request.GET.get("sent") == "1",
        "replied": public_messages()[:50],
        "title": _("政务信箱"),
    }
    return render(request, "engagement/portal/mailbox.html", context)
