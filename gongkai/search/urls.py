"""Public search URLs: the page (/search/) and its JSON twin (/api/search)."""

from django.urls import path

from gongkai.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/facets/", views.search_facets, name="facets"),
    path("api/search", views.search_api, name="api"),
]
