"""The official working-day calendar (工作日) and the statutory clock.

Pure core (no Django, nothing else of ours): ``schedule`` (the year-file format),
``calendar`` (``WorkCalendar`` arithmetic), ``rules`` (effective-dated legal parameters),
``events`` and ``clock`` (``compute_deadlines``). Beside it, the Django parts: the calendar
tables (``models``), reads (``selectors.get_calendar``), writes (``services``), the
``gongkai workdays`` command and the platform admin's office pages.
"""
