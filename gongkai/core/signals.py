"""Signals through which the apps above core react to what core writes (core imports none of them)."""

from django.dispatch import Signal

#: Sent when core rewrites rows with SQL (no ``post_save``) that a search index holds, inside
#: the writing transaction, with ``index_name`` and ``pks`` (e.g. ``gongkai keys rehash``).
#: The search app queues those rows for re-indexing (``gongkai.search.signals``).
index_rows_changed = Signal()
