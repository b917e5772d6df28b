"""Search pages: the public search page, its JSON API, office search and the synonym list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.permissions import require_platform_admin, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.core.pagecache import cache_public_page
from gongkai.search import selectors, services
from gongkai.search.forms import SearchForm, SynonymForm
from gongkai.search.models import Synonym
from gongkai.search.registry import get_index

FACET_TITLES = {
    "agency": gettext_lazy("发布机构"),
    "category": gettext_lazy("主题分类"),
    "year": gettext_lazy("年份"),
    "genre": gettext_lazy("体裁"),
    "validity": gettext_lazy("有效性"),
    "status": gettext_lazy("办理状态"),
    "result": gettext_lazy("办理结果"),
}


def _query(request: HttpRequest, index_name: str) -> selectors.SearchQuery:
    form = SearchForm(request.GET)
    return selectors.SearchQuery(**form.query_kwargs(get_index(index_name).facets, request.GET))


def _url_with(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes them)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params.setlist(key, value if isinstance(value, list) else [value])
    return "?" + urlencode(params, doseq=True)


def _decorate(request: HttpRequest, results: selectors.SearchResults) -> dict[str, Any]:
    """Facet toggle links and paging links for the template."""
    facets = []
    for name, values in results.facets.items():
        if name == "applicant" or not values:
            continue
        chosen = request.GET.getlist(name)
        entries = []
        for fv in values[:30]:
            new = [v for v in chosen if v != fv.value] if fv.selected else [*chosen, fv.value]
            entries.append(
                {"fv": fv, "url": _url_with(request, **{name: new or None, "page": None})}
            )
        facets.append({"name": name, "title": FACET_TITLES.get(name, name), "values": entries})
    page = results.query.page
    return {
        "facet_list": facets,
        "prev_url": _url_with(request, page=str(page - 1)) if results.has_previous else "",
        "next_url": _url_with(request, page=str(page + 1)) if results.has_next else "",
        "clear_filters_url": "?" + urlencode({"q": results.query.text}),
        "start_rank": (page - 1) * results.query.per_page + 1,
    }


@require_GET
@cache_public_page
def search_page(request: HttpRequest) -> HttpResponse:
    """The public search page over the catalogue.

    The facet counts take a pass over every match, which for the broadest queries costs more
    than the ranked page itself; so the page comes without them and the browser fetches them
    from ``search_facets`` at once (htmx). Without JavaScript, a link reloads the page with
    ``facets=1``, which renders them inline.
    """
    query = _query(request, "catalog")
    inline = request.GET.get("facets") == "1"
    query.facets = inline
    results = None
    if query.text or query.filters:
        results = selectors.search("catalog", query)
    context: dict[str, Any] = {"query": query, "results": results}
    if results is not None:
        context.update(_decorate(request, results))
        if not inline and results.total:
            params = request.GET.copy()
            for key in ("page", "facets"):
                params.pop(key, None)
            context["facets_url"] = reverse("search:facets") + "?" + params.urlencode()
            context["facets_inline_url"] = _url_with(request, facets="1")
    return render(request, "search/search.html", context)


@require_GET
@cache_public_page
def search_facets(request: HttpRequest) -> HttpResponse:
    """The facet counts of a public search (the page's filter column, loaded after it)."""
    query = _query(request, "catalog")
    query.page, query.per_page = 1, 1
    context: dict[str, Any] = {"query": query, "facet_list": []}
    if query.text or query.filters:
        context.update(_decorate(request, selectors.search("catalog", query)))
    return render(request, "search/_facets.html", context)


@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    """The same search as JSON (see ``gongkai.search.openapi``)."""
    query = _query(request, "catalog")
    results = selectors.search("catalog", query)
    return JsonResponse(
        selectors.results_as_json(results), json_dumps_params={"ensure_ascii": False}
    )


@staff_required
@require_GET
def office_applications(request: HttpRequest) -> HttpResponse:
    """Office search over the applications the officer may see."""
    query = _query(request, "applications")
    results = None
    if query.text or query.filters:
        results = selectors.search_applications(request.user, query)
    context: dict[str, Any] = {"query": query, "results": results}
    if results is not None:
        context.update(_decorate(request, results))
    return render(request, "search/office_applications.html", context)


@workspace_required("synonyms")
@require_http_methods(["GET", "POST"])
def synonym_list(request: HttpRequest) -> HttpResponse:
    """The platform's synonym list, with a form to add a group."""
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.synonym_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("已添加同义词组。"))
        return redirect("search_office:synonyms")
    return render(
        request,
        "search/synonyms.html",
        {"form": form, "synonyms": Synonym.objects.order_by("id")},
    )


@require_platform_admin
@require_http_methods(["GET", "POST"])
def synonym_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one synonym group."""
    synonym = get_object_or_404(Synonym, pk=pk)
    form = SynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        services.synonym_update(synonym=synonym, by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存同义词组。"))
        return redirect("search_office:synonyms")
    return render(request, "search/synonym_edit.html", {"form": form, "synonym": synonym})


@require_platform_admin
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one synonym group."""
    synonym = get_object_or_404(Synonym, pk=pk)
    services.synonym_delete(synonym=synonym, by=request.user)
    messages.success(request, _("已删除同义词组。"))
    return redirect("search_office:synonyms")
