"""Office URLs of the ledger app (under /office/ledger/)."""

from django.urls import path

from gongkai.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("template.xlsx", views.template_download, name="template"),
    path("export/", views.export_download, name="export"),
    path("repeat-check/", views.repeat_check, name="repeat_check"),
]
