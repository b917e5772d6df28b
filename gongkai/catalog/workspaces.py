"""The 主动公开目录 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "catalog", _("主动公开目录"), "catalog:list", order=20, actions=("catalog.workspace",)
    )
)
