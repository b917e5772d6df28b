from django.urls import path

from gongkai.catalog import api

app_name = "catalog_api"
urlpatterns = [
    path("items/", api.items, name="items"),
    path("items/<int:pk>/", api.item, name="item"),
    path("categories/", api.categories, name="categories"),
    path("table-two/<int:agency_pk>/", api.table_two_view, name="table_two"),
]
