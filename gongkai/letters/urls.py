from django.urls import path

from gongkai.letters import views

app_name = "letters"
urlpatterns = [
    path("case/<int:application_pk>/", views.case_letters, name="case"),
    path("case/<int:application_pk>/issue/", views.letter_issue, name="issue"),
    path("case/<int:application_pk>/archive/", views.archive_build, name="archive_build"),
    path("<int:pk>/download/<str:fmt>/", views.letter_download, name="download"),
    path("archives/<int:pk>/", views.archive_download, name="archive_download"),
    path("templates/", views.template_index, name="template_index"),
    path("templates/<int:agency_pk>/", views.template_list, name="template_list"),
    path("templates/<int:agency_pk>/<slug:code>/", views.template_edit, name="template_edit"),
    path("settings/<int:agency_pk>/", views.settings_edit, name="settings"),
]
