from django.urls import path

from gongkai.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("load/", views.year_load, name="year_load"),
    path("<int:year>/", views.year_detail, name="year_detail"),
]
