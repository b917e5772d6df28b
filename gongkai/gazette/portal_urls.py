from django.urls import path

from gongkai.gazette import portal_views

app_name = "gazette_portal"
urlpatterns = [
    path("gazette/", portal_views.archive, name="archive"),
    path("gazette/verify/", portal_views.verify, name="verify"),
    path("gazette/feed/atom/", portal_views.GazetteAtomFeed(), name="atom"),
    path("gazette/issues/<slug:uid>/", portal_views.issue_page, name="issue"),
    path("gazette/issues/<slug:uid>.json", portal_views.issue_json, name="issue_json"),
    path("gazette/issues/<slug:uid>/<str:fmt>/", portal_views.issue_file, name="file"),
    path("gazette/items/<slug:uid>/", portal_views.entry_page, name="entry"),
    path("gazette/items/<slug:uid>.json", portal_views.entry_json, name="entry_json"),
]
