"""The 主动公开目录 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register
from gongkai.catalog.choices import ItemStatus
from gongkai.catalog.selectors import office_items
from gongkai.core.actors import Actor


def _queue(user: Actor) -> list[dict]:
    """Items waiting for a step: drafts, 保密审查, the head's approval."""
    from django.db.models import Count
    from django.urls import reverse

    waiting = [ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.AWAITING_APPROVAL]
    counts: dict[str, int] = dict(
        office_items(user)
        .filter(status__in=waiting)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    url = reverse("catalog:list")
    return [
        {"label": s.label, "count": counts.get(s, 0), "url": f"{url}?status={s}"} for s in waiting
    ]


register(
    Workspace(
        "catalog",
        _("主动公开目录"),
        "catalog:list",
        order=20,
        actions=("catalog.workspace",),
        queue=_queue,
    )
)
