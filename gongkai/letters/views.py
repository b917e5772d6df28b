"""Office views of letters, templates and archives. Thin: access through permissions, writes
through services; other agencies' records answer 404 exactly like missing ones.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.permissions import access_agency
from gongkai.applications.permissions import access_application
from gongkai.letters import masked, selectors, services
from gongkai.letters.defaults import DEFAULTS_BY_CODE
from gongkai.letters.forms import ChooseTemplateForm, IssueForm, SettingsForm, TemplateForm
from gongkai.letters.permissions import (
    access_archive,
    access_letter,
)
from gongkai.letters.placeholders import PLACEHOLDERS
from gongkai.letters.rendering import plain_text


def _get_only(request: HttpRequest) -> HttpResponse | None:
    """Refuse other methods — after the access check, so that ids still leak nothing."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@staff_required
def case_letters(request: HttpRequest, application_pk: int) -> HttpResponse:
    """A case's letters and archives, with the actions the role allows."""
    application = access_application(user=request.user, pk=application_pk)
    if (refused := _get_only(request)) is not None:
        return refused
    return render(request, "letters/case.html", {"application": application})


@staff_required
def letter_issue(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Issue a letter: choose the template, fill in the facts, preview, issue."""
    application = access_application(user=request.user, pk=application_pk, action="letter.issue")
    choices = selectors.issue_choices(application=application)
    code = request.POST.get("code") or request.GET.get("code")
    if code not in DEFAULTS_BY_CODE:
        choose = ChooseTemplateForm(choices=choices)
        return render(
            request, "letters/issue_choose.html", {"application": application, "form": choose}
        )
    template = selectors.effective_template(agency=application.agency, code=code)
    form = IssueForm(
        request.POST or None,
        initial={"code": code},
        template_source=template.title + template.body,
        initial_facts=selectors.issue_initial_facts(application=application),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        kwargs: dict[str, Any] = {
            "application": application,
            "kind": template.default.kind,
            "code": code,
            "issued_on": form.cleaned_data["issued_on"],
            "facts": form.facts(),
        }
        try:
            if "preview" in request.POST:
                preview = plain_text(services.letter_preview(**kwargs))
            else:
                letter = services.letter_issue(by=request.user, **kwargs)
                messages.success(request, _("已生成 %(number)s。") % {"number": letter.number})
                return redirect("letters:case", application_pk=application.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "letters/issue.html",
        {"application": application, "form": form, "template": template, "preview": preview},
    )


@staff_required
def letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download a letter's DOCX or PDF (staff of the handling agency)."""
    letter = access_letter(user=request.user, pk=pk)
    if (refused := _get_only(request)) is not None:
        return refused
    return masked.letter_for(request.user, letter, fmt).response()


@staff_required
@require_POST
def archive_build(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Build the sealed archive of a closed case."""
    application = access_application(user=request.user, pk=application_pk, action="letter.archive")
    try:
        archive = services.archive_build(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("已归档，清单 SHA-256：%(hash)s") % {"hash": archive.manifest_sha256}
        )
    return redirect("letters:case", application_pk=application.pk)


@staff_required
def archive_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a case archive (ZIP)."""
    archive = access_archive(user=request.user, pk=pk)
    if (refused := _get_only(request)) is not None:
        return refused
    try:
        return masked.archive_for(request.user, archive).response()
    except FileNotFoundError as exc:
        raise Http404 from exc


@workspace_required("letter_templates")
def template_index(request: HttpRequest) -> HttpResponse:
    """The agencies whose letter templates the user administers."""
    agencies = list(selectors.agencies_with_templates_admin(request.user))
    if len(agencies) == 1 and request.method == "GET":
        return redirect("letters:template_list", agency_pk=agencies[0].pk)
    return render(request, "letters/template_index.html", {"agencies": agencies})


@staff_required
def template_list(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """The agency's letter templates: own, platform or shipped default."""
    agency = access_agency(user=request.user, pk=agency_pk, action="letter.template_change")
    if (refused := _get_only(request)) is not None:
        return refused
    return render(
        request,
        "letters/template_list.html",
        {
            "agency": agency,
            "templates": selectors.templates_for_agency(agency=agency),
            "settings": selectors.letter_settings_for(agency),
        },
    )


@staff_required
def template_edit(request: HttpRequest, agency_pk: int, code: str) -> HttpResponse:
    """Edit the agency's template ``code``; every save adds a version, old ones stay."""
    agency = access_agency(user=request.user, pk=agency_pk, action="letter.template_change")
    if code not in DEFAULTS_BY_CODE:
        raise Http404
    current = selectors.effective_template(agency=agency, code=code)
    versions = selectors.template_versions(agency=agency, code=code)
    initial = selectors.template_initial(current, versions, request.GET.get("version"))
    form = TemplateForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "preview" in request.POST:
                preview = services.template_preview(code, data["title"], data["body"])
            else:
                version = services.letter_template_save(
                    by=request.user, agency=agency, code=code, **data
                )
                messages.success(
                    request, _("已保存为第 %(number)s 版。") % {"number": version.number}
                )
                return redirect("letters:template_edit", agency_pk=agency.pk, code=code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "letters/template_edit.html",
        {
            "agency": agency,
            "current": current,
            "versions": versions,
            "form": form,
            "preview": preview,
            "placeholders": PLACEHOLDERS.values(),
        },
    )


@staff_required
def settings_edit(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """The agency's letter number prefix, signature and review body."""
    agency = access_agency(user=request.user, pk=agency_pk, action="letter.template_change")
    current = selectors.letter_settings_for(agency)
    form = SettingsForm(
        request.POST or None,
        initial={
            "number_prefix": current.number_prefix,
            "signer_name": current.stored.signer_name if current.stored else "",
            "review_body": current.stored.review_body if current.stored else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_settings_save(by=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("letters:template_list", agency_pk=agency.pk)
    return render(
        request,
        "letters/settings.html",
        {"agency": agency, "form": form, "current": current, "can_edit": True},
    )
