"""Background work of the catalogue: scheduled publication (django-tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

from gongkai.catalog.models import CatalogItem
from gongkai.catalog.services import item_publish_scheduled, publish_due

logger = logging.getLogger(__name__)


@task()
def publish_scheduled_item(item_id: int) -> bool:
    """Publish one scheduled item if its time has come (a no-op otherwise)."""
    item = CatalogItem.objects.filter(pk=item_id).first()
    return bool(item and item_publish_scheduled(item=item))


@task()
def publish_due_items() -> int:
    """Publish every scheduled item whose time has come (run periodically as a safety net)."""
    return publish_due()


def schedule_publication(item_id: int, at: dt.datetime) -> None:
    """Enqueue the publication of ``item_id`` at ``at`` (backends without delays: run the sweep).

    Either way the task only publishes once the time has come; ``gongkai catalog publish_due``
    (e.g. from cron every minute) covers backends that cannot delay a task.
    """
    try:
        publish_scheduled_item.using(run_after=at).enqueue(item_id)
    except InvalidTaskError:
        logger.info("task backend cannot delay tasks; item %s waits for publish_due", item_id)
