"""The read-only JSON API of the catalogue (/api/catalog/…); schema in ``openapi.py``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.agencies.selectors import public_agency
from gongkai.catalog.models import CatalogItem, CategoryScheme
from gongkai.catalog.selectors import PublicFilters, public_item, public_items
from gongkai.catalog.table_two import LAYOUTS, table_two
from gongkai.core.params import year_param

PAGE_SIZE = 50


def _summary(item: CatalogItem, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "title": item.title,
        "doc_number": item.doc_number,
        "agency": {"id": item.agency_id, "name": item.agency.name},
        "written_on": item.written_on.isoformat() if item.written_on else None,
        "published_on": item.published_on.isoformat() if item.published_on else None,
        "genre": item.genre,
        "validity": item.validity,
        "statutory_item": item.statutory_item,
        "category_id": item.category_id,
        "url": request.build_absolute_uri(reverse("portal:catalog_item", args=[item.pk])),
    }


@require_GET
def items(request: HttpRequest) -> JsonResponse:
    """Published items, filtered like the portal list, 50 per page."""
    filters = PublicFilters.from_query(request.GET)
    qs = public_items(filters).select_related("agency").only(
        "id", "index_number", "title", "doc_number", "agency__name", "written_on",
        "published_on", "genre", "validity", "statutory_item", "category_id", "agency_id",
    )  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_summary(i, request) for i in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def item(request: HttpRequest, pk: int) -> JsonResponse:
    """One published item with its metadata, body, attachments, interpretations and versions."""
    obj = public_item(pk)
    if obj is None:
        raise Http404
    data = _summary(obj, request)
    data.update(
        {
            "summary": obj.summary,
            "body_html": obj.body,
            "keywords": obj.keyword_list,
            "category": obj.category.full_name if obj.category else None,
            "co_issuers": [{"id": a.pk, "name": a.name} for a in obj.co_issuers.all()],
            "disclosure_attribute": obj.disclosure_attribute,
            "valid_from": obj.valid_from.isoformat() if obj.valid_from else None,
            "abolished_on": obj.abolished_on.isoformat() if obj.abolished_on else None,
            "replaced_by": obj.replaced_by_id,
            "channels": obj.channels,
            "version": obj.version,
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.name,
                    "kind": a.kind,
                    "size": a.size,
                    "url": request.build_absolute_uri(
                        reverse("portal:catalog_attachment", args=[obj.pk, a.pk])
                    ),
                }
                for a in obj.attachments.all()
            ],
            "interpretations": [i.pk for i in obj.interpretations.all()],
            "interprets": [i.pk for i in obj.interprets.all()],
            "versions": [
                {"number": v.number, "created_at": v.created_at.isoformat()}
                for v in obj.versions.all()
            ],
        }
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def categories(request: HttpRequest) -> JsonResponse:
    """Every classification scheme with its tree."""
    schemes = CategoryScheme.objects.prefetch_related("categories")
    out = []
    for scheme in schemes:
        cats = list(scheme.categories.all())
        out.append(
            {
                "code": scheme.code,
                "name": scheme.name,
                "is_subject": scheme.is_subject,
                "categories": [
                    {"id": c.pk, "name": c.name, "parent_id": c.parent_id} for c in cats
                ],
            }
        )
    return JsonResponse({"schemes": out}, json_dumps_params={"ensure_ascii": False})


@require_GET
def table_two_view(request: HttpRequest, agency_pk: int) -> JsonResponse:
    """Report table 二 for an agency (``scope=own|subtree``), ``year`` and ``layout``."""
    agency = public_agency(agency_pk)
    year = year_param(request.GET, lenient=True)
    layout = request.GET.get("layout", "2021")
    if agency is None or year is None or layout not in LAYOUTS:
        raise Http404
    data = table_two(
        agency=agency,
        year=year,
        layout=layout,
        subtree=request.GET.get("scope", "subtree") != "own",
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
