"""The 监督考核 workspace in the office menu (gongkai/accounts/workspaces.py).

It opens for everyone who may answer a 督办单 or issue one: a unit's staff land on the 督办单
addressed to them, a 政务公开办's on the dashboard across the tree.
"""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register

register(
    Workspace(
        "supervision",
        _("监督考核"),
        "supervision:index",
        order=55,
        actions=("supervision.issue", "supervision.answer"),
    )
)
