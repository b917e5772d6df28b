from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_directory, name="directory"),
    path("agencies/<int:pk>/guide/", views.agency_guide, name="guide"),
]
