from django.urls import path

from gongkai.engagement import views, views_records

app_name = "engagement"
urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/publish/", views.consultation_publish, name="publish"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<int:pk>/draft/", views.draft_import, name="draft_import"),
    path("consultations/<int:pk>/comments/", views.comment_enter, name="comment_enter"),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/moderate/",
        views.comment_moderate,
        name="moderate",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/answer/",
        views.comment_answer,
        name="answer",
    ),
    path("consultations/<int:pk>/conclude/", views.consultation_conclude, name="conclude"),
    path("hotline/", views.hotline_new, name="hotline_new"),
    path("interactions/new/", views_records.interaction_new, name="interaction_new"),
    path("mailbox/<int:pk>/", views_records.message_detail, name="message"),
    path("mailbox/<int:pk>/assign/", views_records.message_assign, name="message_assign"),
    path("mailbox/<int:pk>/reply/", views_records.message_reply, name="message_reply"),
]
