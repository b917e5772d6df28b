"""The 年度报告 workspace in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import Workspace, register
from gongkai.core.actors import Actor
from gongkai.reports.choices import ReportStatus
from gongkai.reports.selectors import office_reports


def _queue(user: Actor) -> list[dict]:
    """Last year's reports (the season) not yet published, by where they stand."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    waiting = [ReportStatus.DRAFT, ReportStatus.IN_REVIEW, ReportStatus.IN_APPROVAL]
    year = timezone.localdate().year - 1
    counts = dict(
        office_reports(user)
        .filter(year=year, status__in=waiting)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    url = reverse("reports:index")
    return [
        {"label": f"{year}年度·{s.label}", "count": counts.get(s, 0), "url": url} for s in waiting
    ]


register(
    Workspace(
        "reports",
        _("年度报告"),
        "reports:index",
        order=30,
        actions=("report.workspace",),
        queue=_queue,
    )
)
