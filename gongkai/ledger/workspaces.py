"""The 台账 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "ledger", _("台账"), "ledger:home", order=40, actions=("ledger.import", "ledger.export")
    )
)
