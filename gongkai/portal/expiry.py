"""The portal's step of the media sweep: staged uploads past their lifetime are expired."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Sum

from gongkai.core.media import SweepReport
from gongkai.portal.models import StagedUpload
from gongkai.portal.services import STAGED_LIFETIME, purge_staged


def expire_staged(report: SweepReport, now: dt.datetime) -> None:
    """Count (dry run) or purge the staged uploads older than ``STAGED_LIFETIME``."""
    due = StagedUpload.objects.filter(created_at__lt=now - STAGED_LIFETIME)
    found = due.aggregate(n=models.Count("pk"), size=Sum("size"))
    report.staged_bytes = found["size"] or 0
    if report.dry_run:
        report.staged_expired = found["n"]
    else:
        report.staged_expired = purge_staged(older_than=STAGED_LIFETIME, now=now)
