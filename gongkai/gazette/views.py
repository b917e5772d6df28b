"""Office views of the gazette. Thin: access through permissions, writes through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import agencies_for, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.gazette import services
from gongkai.gazette.choices import Section
from gongkai.gazette.forms import (
    AddItemsForm,
    CorrectionForm,
    DistributionForm,
    IssueEditForm,
    IssueForm,
)
from gongkai.gazette.permissions import access_issue
from gongkai.gazette.rendering import DOCX_TYPE, PDF_TYPE, filename, render_docx, render_pdf
from gongkai.gazette.selectors import contents, eligible_items, office_issues, public_entry
from gongkai.gazette.workflow import WORKFLOW


def _message(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _step(request: HttpRequest, pk: int, step: str, run: Callable[[Any], Any]) -> HttpResponse:
    """Run one write on the issue; errors as a message on the issue page."""
    issue = access_issue(user=request.user, pk=pk, action=WORKFLOW[step].action)
    try:
        run(issue)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    return redirect("gazette:detail", pk=issue.pk)


@workspace_required("gazette")
def issue_list(request: HttpRequest) -> HttpResponse:
    """The issues in the staff member's scope."""
    can_compile = agencies_for(request.user, "gazette.compile").exists()
    return render(
        request,
        "gazette/list.html",
        {"issues": office_issues(request.user)[:200], "can_compile": can_compile},
    )


@staff_required
def issue_new(request: HttpRequest) -> HttpResponse:
    """Start compiling a new issue."""
    agencies = agencies_for(request.user, "gazette.compile")
    today = timezone.localdate()
    initial = {"year": today.year, "issue_date": today}
    form = IssueForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(by=request.user, **form.cleaned_data)
            return redirect("gazette:detail", pk=issue.pk)
        except ValidationError as exc:
            form.add_error(None, _message(exc))
    return render(request, "gazette/new.html", {"form": form})


@staff_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issue: its contents, what may be added, distribution, history, the allowed steps."""
    issue = access_issue(user=request.user, pk=pk)
    eligible = eligible_items(issue.agency).exclude(gazette_entries__issue=issue)[:200]
    edit = IssueEditForm(
        initial={"issue_date": issue.issue_date, "print_run": issue.print_run, "note": issue.note}
    )
    lines = "\n".join(f"{d.recipient}，{d.copies}" for d in issue.distribution.all())
    context = {
        "issue": issue,
        "contents": contents(issue),
        "sections": Section.choices,
        "add_form": AddItemsForm(eligible=eligible),
        "edit_form": edit,
        "distribution_form": DistributionForm(initial={"lines": lines}),
        "correction_form": CorrectionForm(),
        "events": issue.events.all(),
    }
    return render(request, "gazette/detail.html", context)


@staff_required
@require_POST
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the date, print run and note."""
    form = IssueEditForm(request.POST)

    def run(issue: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请检查出版日期和印数。"))
        services.issue_update(by=request.user, issue=issue, **form.cleaned_data)

    return _step(request, pk, "edit", run)


@staff_required
@require_POST
def issue_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the chosen catalogue items in this issue."""

    def run(issue: Any) -> None:
        form = AddItemsForm(request.POST, eligible=eligible_items(issue.agency))
        if not form.is_valid():
            raise ValidationError(_("请选择要刊登的文件。"))
        services.issue_add_items(
            by=request.user,
            issue=issue,
            items=form.cleaned_data["items"],
            section=form.cleaned_data["section"],
        )

    return _step(request, pk, "edit", run)


def _arrangement(data: Any) -> dict[int, tuple[str, int]]:
    out = {}
    for key, section in data.items():
        if key.startswith("section_") and key[8:].isdigit():
            position = data.get(f"position_{key[8:]}", "0")
            out[int(key[8:])] = (section, int(position) if position.isdigit() else 0)
    return out


@staff_required
@require_POST
def issue_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the sections and the order of the entries."""
    arrangement = _arrangement(request.POST)
    return _step(
        request,
        pk,
        "edit",
        lambda issue: services.issue_arrange(by=request.user, issue=issue, arrangement=arrangement),
    )


@staff_required
@require_POST
def issue_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Take one entry out of the issue."""
    return _step(
        request,
        pk,
        "edit",
        lambda issue: services.issue_remove_entry(by=request.user, issue=issue, entry_id=entry_pk),
    )


@staff_required
@require_POST
def issue_distribution(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the distribution list."""
    form = DistributionForm(request.POST)

    def run(issue: Any) -> None:
        if not form.is_valid():
            raise ValidationError(list(form.errors["lines"]))
        services.issue_set_distribution(
            by=request.user, issue=issue, rows=form.cleaned_data["lines"]
        )

    return _step(request, pk, "edit", run)


@staff_required
@require_POST
def issue_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Print a 更正 of an item of an earlier issue."""
    form = CorrectionForm(request.POST)

    def run(issue: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_("请填写被更正条目的永久标识和更正内容。"))
        corrected = public_entry(form.cleaned_data["corrected_uid"].strip())
        if corrected is None:
            raise ValidationError(_("没有这个已出版的公报条目。"))
        services.issue_add_correction(
            by=request.user, issue=issue, corrected=corrected, text=form.cleaned_data["text"]
        )

    return _step(request, pk, "edit", run)


@staff_required
@require_POST
def issue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Number, typeset and publish the issue."""
    return _step(
        request, pk, "publish", lambda issue: services.issue_publish(by=request.user, issue=issue)
    )


@staff_required
def issue_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The issue as PDF (the stored one once published, else a proof) or DOCX."""
    issue = access_issue(user=request.user, pk=pk)
    if fmt == "pdf":
        data = issue.pdf.read() if issue.is_published and issue.pdf else render_pdf(issue)
        content_type = PDF_TYPE
    elif fmt == "docx":
        data, content_type = render_docx(issue), DOCX_TYPE
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename(issue, fmt))}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
