from django.urls import path

from gongkai.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
    path("<int:pk>/children/new/", views.agency_create_child, name="create_child"),
    path("<int:pk>/move/", views.agency_move_view, name="move"),
    path("<int:pk>/deactivate/", views.agency_deactivate_view, name="deactivate"),
    path("<int:pk>/members/", views.agency_members, name="members"),
    path(
        "<int:pk>/members/<int:membership_pk>/revoke/",
        views.agency_member_revoke,
        name="member_revoke",
    ),
]
