from django.urls import path

from gongkai.engagement import portal_views

app_name = "engagement_portal"
urlpatterns = [
    path("consultations/", portal_views.consultations, name="consultations"),
    path("consultations/<int:pk>/", portal_views.consultation, name="consultation"),
    path("interactions/", portal_views.interactions, name="interactions"),
    path("interactions/<int:pk>/", portal_views.interaction, name="interaction"),
    path("mailbox/", portal_views.mailbox, name="mailbox"),
]
