from django.urls import path

from gongkai.responses import views

app_name = "responses"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("case/<int:pk>/", views.case_documents, name="case"),
    path("case/<int:pk>/upload/", views.document_upload, name="upload"),
    path("case/<int:pk>/catalogue/", views.document_catalogue, name="catalogue"),
    path("case/<int:pk>/package/", views.case_package, name="package"),
    path("case/<int:pk>/delivery/", views.case_delivery, name="delivery"),
    path("case/<int:pk>/<int:doc_pk>/", views.document_detail, name="document"),
    path("case/<int:pk>/<int:doc_pk>/page/<int:page>.png", views.page_image, name="page"),
    path("case/<int:pk>/<int:doc_pk>/marks/", views.mark_add, name="mark_add"),
    path("case/<int:pk>/<int:doc_pk>/search/", views.mark_search, name="mark_search"),
    path(
        "case/<int:pk>/<int:doc_pk>/marks/<int:index>/delete/",
        views.mark_delete,
        name="mark_delete",
    ),
    path("case/<int:pk>/<int:doc_pk>/render/", views.document_render, name="render"),
    path("case/<int:pk>/<int:doc_pk>/remove/", views.document_remove, name="remove"),
    path(
        "case/<int:pk>/<int:doc_pk>/download/",
        views.document_download,
        {"side": "office"},
        name="download",
    ),
]
