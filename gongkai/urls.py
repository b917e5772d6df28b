"""URL map: / portal · /office/ back office · /admin/ (superusers) · /i18n/ language switch."""

from django.contrib import admin
from django.urls import include, path

from gongkai.core.health import healthz, readyz

urlpatterns = [
    # the search page first: the most requested public URL, matched before the portal's 22
    # patterns are tried (no portal URL starts with search/ or api/search)
    path("", include("gongkai.search.urls")),
    path("", include("gongkai.portal.urls")),
    path("office/", include("gongkai.accounts.urls")),
    path("office/agencies/", include("gongkai.agencies.urls")),
    path("office/applications/", include("gongkai.applications.urls")),
    path("office/audit/", include("gongkai.core.urls")),
    path("office/calendar/", include("gongkai.workcalendar.urls")),
    path("office/catalog/", include("gongkai.catalog.urls")),
    path("api/catalog/", include("gongkai.catalog.api_urls")),
    path("office/search/", include("gongkai.search.office_urls")),
    path("office/letters/", include("gongkai.letters.urls")),
    path("office/responses/", include("gongkai.responses.urls")),
    path("apply/", include("gongkai.portal.apply_urls")),
    path("office/portal/", include("gongkai.portal.office_urls")),
    path("office/ledger/", include("gongkai.ledger.urls")),
    path("api/", include("gongkai.api.urls")),
    path("office/reports/", include("gongkai.reports.urls")),
    path("office/supervision/", include("gongkai.supervision.urls")),
    path("", include("gongkai.reports.portal_urls")),
    path("office/gazette/", include("gongkai.gazette.urls")),
    path("", include("gongkai.gazette.portal_urls")),
    path("office/engagement/", include("gongkai.engagement.urls")),
    path("", include("gongkai.engagement.portal_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler500 = "gongkai.core.errors.server_error"
