"""The 年度报告 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace("reports", _("年度报告"), "reports:index", order=30, actions=("report.workspace",))
)
