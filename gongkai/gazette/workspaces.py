"""The 政府公报 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace("gazette", _("政府公报"), "gazette:list", order=32, actions=("gazette.workspace",))
)
