"""The 公众参与 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "engagement", _("公众参与"), "engagement:index", order=34, actions=("engagement.workspace",)
    )
)
