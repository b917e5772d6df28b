"""Office search URLs (under /office/search/)."""

from django.urls import path

from gongkai.search import views

app_name = "search_office"
urlpatterns = [
    path("applications/", views.office_applications, name="applications"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
