from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from gongkai.portal import catalog_feeds, catalog_views, views
from gongkai.portal.catalog_sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_directory, name="directory"),
    path("agencies/<int:pk>/guide/", views.agency_guide, name="guide"),
    # 政府信息公开 section (catalogue): gongkai/portal/catalog_*.py
    path("disclosure/", catalog_views.section, name="catalog_section"),
    path("disclosure/statutory/", catalog_views.statutory, name="catalog_statutory"),
    path("disclosure/rules/", catalog_views.rules, name="catalog_rules"),
    path("disclosure/reports/", catalog_views.annual_reports, name="catalog_reports"),
    path("disclosure/documents/", catalog_views.document_list, name="catalog_list"),
    path("disclosure/documents/facets/", catalog_views.document_facets, name="catalog_facets"),
    path("disclosure/documents/<int:pk>/", catalog_views.document, name="catalog_item"),
    path(
        "disclosure/documents/<int:pk>/versions/<int:version>/",
        catalog_views.document,
        name="catalog_item_version",
    ),
    path(
        "disclosure/documents/<int:pk>/files/<int:attachment_pk>/",
        catalog_views.attachment,
        name="catalog_attachment",
    ),
    path("agencies/<int:agency_pk>/disclosure/", catalog_views.section, name="agency_section"),
    path(
        "agencies/<int:agency_pk>/disclosure/statutory/",
        catalog_views.statutory,
        name="agency_statutory",
    ),
    path("agencies/<int:agency_pk>/disclosure/rules/", catalog_views.rules, name="agency_rules"),
    path(
        "agencies/<int:agency_pk>/disclosure/reports/",
        catalog_views.annual_reports,
        name="agency_reports",
    ),
    path("disclosure/feed/rss/", catalog_feeds.CatalogRssFeed(), name="catalog_rss"),
    path("disclosure/feed/atom/", catalog_feeds.CatalogAtomFeed(), name="catalog_atom"),
    path(
        "disclosure/feed/<str:kind>/<int:pk>/rss/",
        catalog_feeds.CatalogRssFeed(),
        name="catalog_rss_for",
    ),
    path(
        "disclosure/feed/<str:kind>/<int:pk>/atom/",
        catalog_feeds.CatalogAtomFeed(),
        name="catalog_atom_for",
    ),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
