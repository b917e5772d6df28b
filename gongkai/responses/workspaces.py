"""The 答复材料 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "responses",
        _("答复材料"),
        "responses:list",
        order=12,
        actions=("application.workspace",),
        prefixes=("responses:",),
    )
)
