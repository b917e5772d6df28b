"""Signals of the calendar app.

``calendar_changed`` is sent (after the transaction commits) whenever a year's schedule is
loaded or corrected, with ``year`` (int). Receivers recompute what depends on the calendar —
the applications app recomputes the deadlines of open cases.
"""

from django.dispatch import Signal

calendar_changed = Signal()
