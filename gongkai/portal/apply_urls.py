"""Public URLs of online applications (/apply/…): apply, receipt, follow, act, accounts."""

from django.urls import path

from gongkai.portal import views_apply as v
from gongkai.responses.views import document_download

app_name = "apply"
urlpatterns = [
    path("", v.apply_start, name="start"),
    path("new/", v.apply_form, name="form"),
    path("new/<int:agency_pk>/", v.apply_form, name="form_for"),
    path("follow/", v.follow, name="follow"),
    path("cases/<str:uid>/", v.case, name="case"),
    path("cases/<str:uid>/receipt/", v.receipt, name="receipt"),
    path("cases/<str:uid>/receipt.pdf", v.receipt_download, name="receipt_pdf"),
    path("cases/<str:uid>/correction/", v.case_correct, name="correct"),
    path("cases/<str:uid>/payment/", v.case_pay, name="pay"),
    path("cases/<str:uid>/withdraw/", v.case_withdraw, name="withdraw"),
    path("cases/<str:uid>/files/<int:pk>/", v.case_file, name="file"),
    path("cases/<str:uid>/letters/<int:pk>/<str:fmt>/", v.case_letter, name="letter"),
    path(
        "cases/<str:uid>/responses/<int:pk>/",
        document_download,
        {"side": "applicant"},
        name="response",
    ),
    path("cases/<str:uid>/link/", v.account_link, name="link"),
    path("account/", v.account_home, name="account"),
    path("account/signup/", v.account_signup, name="signup"),
    path("account/login/", v.account_login, name="login"),
    path("account/logout/", v.account_logout, name="logout"),
]
