"""检索同义词 under 系统设置 in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import SETTINGS, Workspace, register

register(
    Workspace(
        "synonyms",
        _("检索同义词"),
        "search_office:synonyms",
        order=20,
        actions=("search.synonyms",),
        group=SETTINGS,
        prefixes=("search_office:synonym",),
    )
)
