from django.urls import path

from gongkai.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/revise/", views.item_revise_view, name="revise"),
    path("<int:pk>/submit/", views.item_submit_view, name="submit"),
    path("<int:pk>/review/", views.item_review_view, name="review"),
    path("<int:pk>/approve/", views.item_approve_view, name="approve"),
    path("<int:pk>/reject/", views.item_reject_view, name="reject"),
    path("<int:pk>/withdraw/", views.item_withdraw_view, name="withdraw"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "<int:pk>/findings/<int:finding_pk>/waive/", views.finding_waive_view, name="finding_waive"
    ),
    path("agencies/<int:pk>/counts/", views.agency_counts, name="counts"),
    path("agencies/<int:pk>/cleanup/", views.agency_cleanup, name="cleanup"),
]
