from django.urls import path

from gongkai.gazette import views

app_name = "gazette"
urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_new, name="new"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/edit/", views.issue_edit, name="edit"),
    path("<int:pk>/add/", views.issue_add, name="add"),
    path("<int:pk>/arrange/", views.issue_arrange, name="arrange"),
    path("<int:pk>/entries/<int:entry_pk>/remove/", views.issue_remove, name="remove"),
    path("<int:pk>/distribution/", views.issue_distribution, name="distribution"),
    path("<int:pk>/correction/", views.issue_correction, name="correction"),
    path("<int:pk>/publish/", views.issue_publish, name="publish"),
    path("<int:pk>/download/<str:fmt>/", views.issue_download, name="download"),
]
