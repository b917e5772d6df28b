"""Public pages of the 政府信息公开 section: the four columns, document lists and pages,
attachments (served through a view), feeds and the sitemap."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongkai.agencies.selectors import public_agency, root_agency
from gongkai.catalog.attachments import CONTENT_TYPES
from gongkai.catalog.choices import Genre, PortalColumn, StatutoryItem, Validity
from gongkai.catalog.models import Category
from gongkai.catalog.selectors import (
    PublicFilters,
    public_attachment,
    public_facets,
    public_item,
    public_items,
    statutory_overview,
    subject_categories,
)
from gongkai.core.pagecache import (
    CachedCountPaginator,
    cache_public_page,
    generation,
    per_generation,
)
from gongkai.reports.selectors import public_reports

PAGE_SIZE = 20


def _root() -> Any:
    """The root government (its link in the column menu), once per generation of content."""
    return per_generation("root_agency", root_agency)


def _agency_or_404(pk: int | None) -> Any:
    if pk is None:
        return None
    agency = public_agency(pk)
    if agency is None:
        raise Http404
    return agency


@cache_public_page
def section(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """The 政府信息公开 section of the platform or of one agency: the four columns."""
    agency = _agency_or_404(agency_pk)
    recent = public_items(PublicFilters(agency=agency.pk if agency else None)).select_related(
        "agency"
    )[:10]
    return render(
        request,
        "portal/catalog_section.html",
        {"agency": agency, "root": _root(), "recent": recent},
    )


@cache_public_page
def statutory(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """法定主动公开内容: by 第二十条 item and by subject category."""
    agency = _agency_or_404(agency_pk)
    agency_id = agency.pk if agency else None
    return render(
        request,
        "portal/catalog_statutory.html",
        {
            "agency": agency,
            "root": _root(),
            "items": statutory_overview(agency_id),
            "categories": subject_categories(agency_id),
        },
    )


@cache_public_page
def rules(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """政府信息公开制度: the documents filed under that column."""
    agency = _agency_or_404(agency_pk)
    filters = PublicFilters(agency=agency.pk if agency else None, column=PortalColumn.RULES)
    items = public_items(filters).select_related("agency")[:100]
    return render(
        request,
        "portal/catalog_rules.html",
        {"agency": agency, "root": _root(), "items": items},
    )


@cache_public_page
def annual_reports(request: HttpRequest, agency_pk: int | None = None) -> HttpResponse:
    """政府信息公开年报, the one page: reports published on the platform, then those published
    as catalogue documents, and the way to 年报体检."""
    agency = _agency_or_404(agency_pk)
    filters = PublicFilters(agency=agency.pk if agency else None, column=PortalColumn.ANNUAL_REPORT)
    items = public_items(filters).select_related("agency")[:100]
    reports = public_reports(agency.pk if agency else None)[:500]
    return render(
        request,
        "portal/catalog_reports.html",
        {"agency": agency, "root": _root(), "items": items, "reports": reports},
    )


def _facet_links(filters: PublicFilters) -> list[dict[str, Any]]:
    """The facet counts within the other active filters, with toggle links (relative URLs)."""

    def link(**override: Any) -> str:
        return "?" + urlencode(filters.as_query(page=None, **override))

    return [
        {
            "name": f.name,
            "label": {"year": _("年度"), "genre": _("体裁"), "validity": _("有效性")}[f.name],
            "options": [
                {
                    "label": label,
                    "count": n,
                    "url": link(**{f.name: value}),
                    "active": str(getattr(filters, f.name)) == str(value),
                }
                for value, label, n in f.options
            ],
            "clear": link(**{f.name: None}),
        }
        for f in public_facets(filters)
    ]


@cache_public_page
def document_list(request: HttpRequest) -> HttpResponse:
    """Documents filterable by agency, category, year, genre, validity and 第二十条 item.

    The facet counts group every matching item (seconds at a million items), so the page comes
    without them and the browser loads them from ``document_facets`` at once (htmx); with
    ``facets=1`` (the fallback link without JavaScript) they are rendered inline.
    """
    filters = PublicFilters.from_query(request.GET)
    agency = public_agency(filters.agency) if filters.agency else None
    qs = public_items(filters).select_related("agency").only(
        "id", "title", "index_number", "doc_number", "published_on", "genre", "validity",
        "agency__name", "agency_id",
    )  # fmt: skip
    page = CachedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    category = Category.objects.filter(pk=filters.category).first() if filters.category else None
    inline = request.GET.get("facets") == "1"
    query = urlencode(filters.as_query(page=None))
    return render(
        request,
        "portal/catalog_list.html",
        {
            "filters": filters,
            "agency": agency,
            "root": _root(),
            "category": category,
            "page": page,
            "facets": _facet_links(filters) if inline else None,
            "facets_url": reverse("portal:catalog_facets") + (f"?{query}" if query else ""),
            "facets_inline_url": "?" + urlencode({**filters.as_query(page=None), "facets": "1"}),
            "genres": Genre.choices,
            "validities": Validity.choices,
            "statutory_items": StatutoryItem.choices,
            "subjects": Category.objects.filter(scheme__is_subject=True, parent=None),
            "page_query": urlencode(filters.as_query()),
            # the filter form is a cached fragment, fresh with every change of public content
            "content_generation": generation(),
        },
    )


@cache_public_page
def document_facets(request: HttpRequest) -> HttpResponse:
    """The facet column of the document list (loaded by the page right after it)."""
    filters = PublicFilters.from_query(request.GET)
    return render(request, "portal/_catalog_facets.html", {"facets": _facet_links(filters)})


@cache_public_page
def document(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    """A document page: metadata block, text, attachments, interpretations, versions."""
    item = public_item(pk)
    if item is None:
        raise Http404
    old = None
    if version is not None:
        old = next((v for v in item.versions.all() if v.number == version), None)
        if old is None:
            raise Http404
    return render(
        request,
        "portal/catalog_document.html",
        {
            "item": item,
            "root": _root(),
            "old": old,
            "attachments": item.attachments.all(),
            "interpretations": item.interpretations.all(),
            "interprets": item.interprets.all(),
            "versions": item.versions.all(),
            "column": PortalColumn(item.portal_column).label,
        },
    )


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Serve an attachment of a published item (never straight from MEDIA_ROOT)."""
    att = public_attachment(pk, attachment_pk)
    if att is None:
        raise Http404
    inline = att.kind in ("PDF", "PNG", "JPEG", "GIF")
    response = FileResponse(
        att.file.open("rb"),
        as_attachment=not inline,
        filename=att.name,
        content_type=CONTENT_TYPES.get(att.kind, "application/octet-stream"),
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
