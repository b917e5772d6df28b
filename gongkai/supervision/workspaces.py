"""The 监督考核 workspace in the office menu (gongkai/accounts/workspaces.py).

It opens for everyone who may answer a 督办单 or issue one: a unit's staff land on the 督办单
addressed to them, a 政务公开办's on the dashboard across the tree.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register
from gongkai.core.actors import Actor
from gongkai.supervision.selectors import home_queues


def _queue(user: Actor) -> list[dict[str, Any]]:
    """The 工作台 entries: 督办单 to answer, answers to close."""

    return home_queues(user)


register(
    Workspace(
        "supervision",
        _("监督考核"),
        "supervision:index",
        order=55,
        actions=("supervision.issue", "supervision.answer"),
        queue=_queue,
    )
)
