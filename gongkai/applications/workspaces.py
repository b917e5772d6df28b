"""The 依申请公开 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register
from gongkai.applications.selectors import home_queues
from gongkai.core.actors import Actor


def _queue(user: Actor) -> list[dict]:

    return home_queues(user)


register(
    Workspace(
        "applications",
        _("依申请公开"),
        "applications:list",
        order=10,
        actions=("application.workspace",),
        prefixes=("applications:", "search_office:applications", "letters:", "portal_office:"),
        queue=_queue,
    )
)
