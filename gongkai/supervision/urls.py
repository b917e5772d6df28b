"""Office URLs of 监督考核 (under /office/supervision/)."""

from django.urls import path

from gongkai.supervision import views, views_scorecard, views_tasks

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
    path("columns/", views_scorecard.column_rules, name="column_rules"),
    path("scorecard/", views_scorecard.ranking, name="scorecard"),
    path("scorecard/indicators/", views_scorecard.indicators, name="indicators"),
    path("scorecard/export/", views_scorecard.export, name="scorecard_export"),
    path("scorecard/<int:pk>/", views_scorecard.unit, name="scorecard_unit"),
    path("tasks/", views_tasks.task_list, name="tasks"),
    path("tasks/new/", views_tasks.task_new, name="task_new"),
    path("tasks/export/", views_tasks.task_export, name="task_export"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/<str:step>/", views_tasks.task_step, name="task_step"),
]
