"""RSS and Atom feeds of newly published documents, per agency and per category."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gongkai.agencies.selectors import public_agency
from gongkai.catalog.models import CatalogItem, Category
from gongkai.catalog.selectors import latest_public


class CatalogRssFeed(Feed):
    """The newest documents of the platform, an agency (``agency``) or a category."""

    def get_object(self, request: HttpRequest, kind: str = "all", pk: int | None = None) -> Any:
        if kind == "agency":
            agency = public_agency(pk or 0)
            if agency is None:
                raise Http404
            return ("agency", agency)
        if kind == "category":
            category = Category.objects.filter(pk=pk or 0).select_related("parent").first()
            if category is None:
                raise Http404
            return ("category", category)
        if pk is not None:
            raise Http404
        return ("all", None)

    def title(self, obj: Any) -> str:
        from django.conf import settings

        kind, target = obj
        name = target.name if kind == "agency" else target.full_name if kind == "category" else ""
        return f"{settings.PLATFORM_NAME} {name} {_('政府信息公开')}".replace("  ", " ")

    def link(self, obj: Any) -> str:
        kind, target = obj
        base = reverse("portal:catalog_list")
        return f"{base}?{kind}={target.pk}" if target is not None else base

    def description(self, obj: Any) -> str:
        return _("最新发布的主动公开政府信息")

    def items(self, obj: Any) -> list[CatalogItem]:
        kind, target = obj
        if kind == "agency":
            return latest_public(agency_id=target.pk)
        if kind == "category":
            return latest_public(category_id=target.pk)
        return latest_public()

    def item_title(self, item: CatalogItem) -> str:
        return item.title

    def item_description(self, item: CatalogItem) -> str:
        parts = [f"{_('索引号')}：{item.index_number}"]
        if item.doc_number:
            parts.append(f"{_('文号')}：{item.doc_number}")
        parts.append(f"{_('发布机构')}：{item.agency.name}")
        if item.summary:
            parts.append(item.summary)
        return "；".join(parts)

    def item_link(self, item: CatalogItem) -> str:
        return reverse("portal:catalog_item", args=[item.pk])

    def item_pubdate(self, item: CatalogItem) -> Any:
        return item.published_at

    def item_author_name(self, item: CatalogItem) -> str:
        return item.agency.name

    def item_categories(self, item: CatalogItem) -> list[str]:
        return [item.category.name] if item.category else []


class CatalogAtomFeed(CatalogRssFeed):
    """The same feed in Atom."""

    feed_type = Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)
