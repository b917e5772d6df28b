"""Signals sent by the agency services."""

from django.dispatch import Signal

#: Sent inside the move's transaction after an agency and its subtree got their new paths;
#: arguments ``agency_id``, ``old_path``, ``new_path``.
agency_moved = Signal()
