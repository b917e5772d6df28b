"""Office URLs of the portal app: the applicant's uploads, for the handling agency."""

from django.urls import path

from gongkai.portal import views_office

app_name = "portal_office"
urlpatterns = [
    path("applications/<int:application_pk>/files/", views_office.case_files, name="case_files"),
    path(
        "applications/<int:application_pk>/files/<int:pk>/",
        views_office.case_file,
        name="case_file",
    ),
]
