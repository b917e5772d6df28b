"""Background work of applications (django-tasks): deadline recomputation after calendar changes."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_open_deadlines(reason: str) -> int:
    """Recompute every open case's deadlines; return the number of cases whose dates changed."""
    from gongkai.applications.services import applications_recompute_open

    return applications_recompute_open(reason=reason).changed
