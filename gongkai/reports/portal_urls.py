"""Public URLs of the 政府信息公开年报 column (included at the site root)."""

from django.urls import path

from gongkai.reports import portal_views, views_checker

app_name = "annual_reports"
urlpatterns = [
    path("disclosure/annual-report-check/", views_checker.check_public, name="check"),
    path("api/report-check", views_checker.check_api, name="check_api"),
    path("disclosure/annual-reports/", portal_views.report_list, name="list"),
    path("agencies/<int:agency_pk>/annual-reports/", portal_views.report_list, name="agency_list"),
    path("disclosure/annual-reports/<int:pk>/", portal_views.report_page, name="detail"),
    path(
        "disclosure/annual-reports/<int:pk>/download.<slug:fmt>",
        portal_views.report_download,
        name="download",
    ),
    path(
        "disclosure/annual-reports/<int:pk>/versions/<int:number>/",
        portal_views.report_page,
        name="version",
    ),
    path(
        "disclosure/annual-reports/<int:pk>/versions/<int:number>/download.<slug:fmt>",
        portal_views.report_download,
        name="version_download",
    ),
]
