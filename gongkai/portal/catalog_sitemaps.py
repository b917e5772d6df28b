"""sitemap.xml: the section pages and every published document."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalog.models import CatalogItem


class CatalogSitemap(Sitemap):
    """Every published 主动公开 document (newest first; Django splits pages of 50,000)."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> Any:
        return (
            CatalogItem.objects.public()
            .order_by("-published_on", "-id")
            .only("id", "updated_at", "published_on")
        )

    def location(self, item: CatalogItem) -> str:
        return reverse("portal:catalog_item", args=[item.pk])

    def lastmod(self, item: CatalogItem) -> Any:
        return item.updated_at


class SectionSitemap(Sitemap):
    """The fixed pages of the 政府信息公开 section."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:catalog_section",
            "portal:catalog_statutory",
            "portal:catalog_rules",
            "portal:catalog_reports",
            "portal:catalog_list",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"section": SectionSitemap, "documents": CatalogSitemap}
