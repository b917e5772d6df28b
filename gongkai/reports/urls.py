"""Office URLs of annual reports (under /office/reports/)."""

from django.urls import path

from gongkai.reports import views, views_batch, views_checker, views_compare

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("new/", views.report_start_view, name="start"),
    path("import/", views.report_import_view, name="import"),
    path("check/", views_checker.check_office, name="check"),
    path("compare/", views_compare.compare_view, name="compare"),
    path("review/", views_batch.batch_review, name="batch"),
    path("review/<str:token>/", views_batch.batch_result, name="batch_result"),
    path("review/<str:token>/export.xlsx", views_batch.batch_export, name="batch_export"),
    path("review/<str:token>/<int:index>/", views_batch.batch_file, name="batch_file"),
    path("season/", views.season, name="season"),
    path("season/remind/", views.season_remind, name="season_remind"),
    path("season/consolidate/", views.season_consolidate, name="season_consolidate"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/narrative/", views.report_narrative, name="narrative"),
    path("<int:pk>/cells/", views.report_cell, name="cell"),
    path("<int:pk>/steps/<slug:step>/", views.report_action, name="action"),
    path("<int:pk>/jobs/<int:job_pk>/", views.report_job, name="job"),
    path("<int:pk>/export.<slug:fmt>", views.report_export, name="export"),
]
