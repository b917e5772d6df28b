"""The 工作日历 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "calendar",
        _("工作日历"),
        "workcalendar:year_list",
        order=75,
        actions=("calendar.manage",),
    )
)
