"""Public pages: home, agency directory and each agency's disclosure guide."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from gongkai.agencies.selectors import directory, guide_context, public_agency, root_agency
from gongkai.catalog.choices import Genre
from gongkai.catalog.selectors import PublicFilters, public_items
from gongkai.core.params import text_param


def home(request: HttpRequest) -> HttpResponse:
    """The portal's 政府信息公开 home page: search, the columns, the newest items, services."""
    newest = public_items().select_related("agency")
    interpretations = public_items(PublicFilters(genre=Genre.INTERPRETATION))
    return render(
        request,
        "portal/home.html",
        {
            "root": root_agency(),
            "latest": newest[:8],
            "interpretations": interpretations.select_related("agency")[:8],
            "interpretations_url": reverse("portal:catalog_list")
            + "?"
            + urlencode({"genre": Genre.INTERPRETATION}),
        },
    )


def agency_directory(request: HttpRequest) -> HttpResponse:
    """All active agencies, grouped by government, with a search box."""
    query = text_param(request.GET, "q", max_length=50)
    return render(request, "portal/directory.html", {"groups": directory(query), "query": query})


def agency_guide(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's 政府信息公开指南, generated from its current data."""
    agency = public_agency(pk)
    if agency is None:
        raise Http404
    return render(request, "portal/guide.html", guide_context(agency))
