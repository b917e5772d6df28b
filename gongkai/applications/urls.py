from django.urls import path

from gongkai.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_register_view, name="register"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/steps/<slug:step>/", views.application_step, name="step"),
    path("<int:pk>/reviews/new/", views.review_edit, name="review_add"),
    path("<int:pk>/reviews/<int:review_pk>/", views.review_edit, name="review_edit"),
    path("<int:pk>/lawsuits/new/", views.lawsuit_edit, name="lawsuit_add"),
    path("<int:pk>/lawsuits/<int:lawsuit_pk>/", views.lawsuit_edit, name="lawsuit_edit"),
    path("recompute/", views.recompute_list, name="recompute_list"),
    path("recompute/<int:pk>/", views.recompute_detail, name="recompute_detail"),
]
