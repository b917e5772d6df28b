"""Office URLs of 监督考核 (under /office/supervision/)."""

from django.urls import path

from gongkai.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    path("cases/", views.cases, name="cases"),
    path("orders/", views.orders, name="orders"),
    path("orders/export.xlsx", views.orders_export, name="orders_export"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/<str:step>/", views.order_step, name="order_step"),
]
