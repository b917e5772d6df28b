"""Public pages of the gazette: the archive by year, issues, items, downloads, JSON, feed and
the page that checks a downloaded PDF against the published SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.pagecache import cache_public_page
from gongkai.gazette import api
from gongkai.gazette.forms import VerifyForm
from gongkai.gazette.models import GazetteEntry
from gongkai.gazette.rendering import DOCX_TYPE, PDF_TYPE, filename, render_docx
from gongkai.gazette.selectors import (
    archive_years,
    contents,
    issue_by_digest,
    latest_entries,
    public_entry,
    public_issue,
    public_issues,
)
from gongkai.portal import ratelimit


def _issue_or_404(uid: str) -> Any:
    issue = public_issue(uid)
    if issue is None:
        raise Http404
    return issue


@cache_public_page
def archive(request: HttpRequest) -> HttpResponse:
    """政府公报: every issue, by year (the newest year unless one is chosen)."""
    years = archive_years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0]["year"] if years else None)
    issues = public_issues(year) if year else []
    return render(
        request, "gazette/portal/archive.html", {"years": years, "year": year, "issues": issues}
    )


@cache_public_page
def issue_page(request: HttpRequest, uid: str) -> HttpResponse:
    """One issue: its contents (each item linked), downloads, its SHA-256."""
    issue = _issue_or_404(uid)
    return render(
        request, "gazette/portal/issue.html", {"issue": issue, "contents": contents(issue)}
    )


def issue_file(request: HttpRequest, uid: str, fmt: str) -> HttpResponse | FileResponse:
    """The issue's stored PDF (the one whose digest is published), or its DOCX."""
    issue = _issue_or_404(uid)
    if fmt == "pdf" and issue.pdf:
        return FileResponse(
            issue.pdf.open("rb"),
            content_type=PDF_TYPE,
            as_attachment=True,
            filename=filename(issue, "pdf"),
        )
    if fmt == "docx":
        response = HttpResponse(render_docx(issue), content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{issue.uid}.docx"'
        return response
    raise Http404


def issue_json(request: HttpRequest, uid: str) -> JsonResponse:
    """The issue as JSON."""
    return JsonResponse(
        api.issue_data(_issue_or_404(uid)), json_dumps_params={"ensure_ascii": False}
    )


@cache_public_page
def entry_page(request: HttpRequest, uid: str) -> HttpResponse:
    """One gazette item, linked to its catalogue item and to its corrections."""
    entry = public_entry(uid)
    if entry is None:
        raise Http404
    corrections = [c for c in entry.corrections.select_related("issue") if c.issue.is_published]
    return render(
        request, "gazette/portal/entry.html", {"entry": entry, "corrections": corrections}
    )


def entry_json(request: HttpRequest, uid: str) -> JsonResponse:
    """One gazette item as JSON."""
    entry = public_entry(uid)
    if entry is None:
        raise Http404
    return JsonResponse(api.entry_data(entry), json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a downloaded copy: its SHA-256 against the digests of the published issues."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        limited = ratelimit.check(("gazette_verify_ip", ratelimit.client_ip(request)))
        if limited:
            form.add_error(None, ratelimit.message(limited))
        else:
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["file"].chunks():
                digest.update(chunk)
            hexdigest = digest.hexdigest()
            result = {"digest": hexdigest, "issue": issue_by_digest(hexdigest)}
    return render(request, "gazette/portal/verify.html", {"form": form, "result": result})


class GazetteAtomFeed(Feed):
    """The newest gazette items (Atom)."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("政府公报")

    def link(self) -> str:
        return reverse("gazette_portal:archive")

    def subtitle(self) -> str:
        return _("最新出版的政府公报刊登的文件")

    def items(self) -> list[GazetteEntry]:
        return latest_entries()

    def item_title(self, entry: GazetteEntry) -> str:
        return entry.title

    def item_description(self, entry: GazetteEntry) -> str:
        parts = [entry.issue.title]
        if entry.doc_number:
            parts.append(f"{_('文号')}：{entry.doc_number}")
        return "；".join(parts)

    def item_link(self, entry: GazetteEntry) -> str:
        return reverse("gazette_portal:entry", args=[entry.uid])

    def item_guid(self, entry: GazetteEntry) -> str:
        return f"urn:gongkai:gazette:{entry.uid}"

    def item_pubdate(self, entry: GazetteEntry) -> Any:
        return entry.issue.published_at
