"""The JSON API (/api/…): online applications and the merged OpenAPI schema."""

from django.urls import path

from gongkai.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("applications", views.applications, name="applications"),
    path("applications/lookup", views.lookup, name="lookup"),
    path("applications/correction", views.correction, name="correction"),
    path("applications/withdraw", views.withdraw, name="withdraw"),
    path("apply/agencies", views.agencies, name="agencies"),
]
