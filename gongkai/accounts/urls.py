from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.accounts import views, views_accounts, views_security

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/setup/", views_security.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views_security.two_factor_verify, name="two_factor_verify"),
    path("password/", views_security.password_change, name="password_change"),
    path("settings/", views.settings_index, name="settings"),
    path("accounts/", views_accounts.account_list, name="account_list"),
    path("accounts/<int:pk>/", views_accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/<slug:action>/", views_accounts.account_action, name="account_action"),
]
