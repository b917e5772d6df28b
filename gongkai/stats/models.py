"""Aggregates maintained in the same transaction as the records they count (decision 2006).

Every row counts records under one **node** (an agency): ``own`` rows count the node's own
records, the others the records of agencies below it. A record adds 1 to one ``own`` row of its
agency and to one other row of each ancestor, so the subtree total of an agency is the sum of
its rows (both flags) and "本机关" is its ``own`` rows — a few hundred rows at most, never a scan
of the records. Missing values are stored as sentinels (``""``, year 0, the date 9999-12-31)
because a unique key treats NULLs as distinct.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

#: Stored for "no date" where a date is part of the key (never before any today).
NO_DATE = dt.date(9999, 12, 31)


class Tally(models.Model):
    """The common columns: the node, whether the records are its own, and the count."""

    node = models.IntegerField("机关", db_index=True)
    own = models.BooleanField("本机关")
    n = models.IntegerField("件数", default=0)

    #: The key columns after ``node`` and ``own`` (set by each model).
    DIMENSIONS: tuple[str, ...] = ()

    objects = models.Manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        key = ", ".join(str(getattr(self, d)) for d in self.DIMENSIONS)
        return (
            f"{type(self).__name__}({self.node}, {'own' if self.own else 'below'}, {key}): {self.n}"
        )


class ApplicationTally(Tally):
    """Applications by applicant type, received year, result and the year they were concluded
    (result and ``closed_on`` set; 0 while not concluded): table 三 of any year, and the
    five-year counts."""

    applicant_type = models.CharField(max_length=20)
    received_year = models.SmallIntegerField()
    result = models.CharField(max_length=20, blank=True)
    concluded_year = models.SmallIntegerField()

    DIMENSIONS = ("applicant_type", "received_year", "result", "concluded_year")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "node",
                    "own",
                    "applicant_type",
                    "received_year",
                    "result",
                    "concluded_year",
                ],
                name="stats_app_key",
            )
        ]


class IntakeTally(Tally):
    """Applications by received year and month; ``early`` marks cases concluded in a year
    before the one they were received in (bad legacy data the annual report leaves out)."""

    received_year = models.SmallIntegerField()
    month = models.SmallIntegerField()
    early = models.BooleanField()

    DIMENSIONS = ("received_year", "month", "early")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "own", "received_year", "month", "early"], name="stats_intake_key"
            )
        ]


class ClosingTally(Tally):
    """Applications with a ``closed_on``, by its year and timing: 0 no reply deadline, 1 closed
    on or before ``reply_due_on``, 2 after it."""

    closed_year = models.SmallIntegerField()
    timing = models.SmallIntegerField()

    DIMENSIONS = ("closed_year", "timing")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "own", "closed_year", "timing"], name="stats_closing_key"
            )
        ]


class OpenTally(Tally):
    """Applications in flight now, by their nearest deadline (:data:`NO_DATE` without one):
    due soon and overdue are sums over a date range of today."""

    due_on = models.DateField()

    DIMENSIONS = ("due_on",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "own", "due_on"], name="stats_open_key")
        ]


class AppealTally(Tally):
    """Reviews and lawsuits by source (``REVIEW`` or the lawsuit's kind), the year brought,
    result and the year decided (0 while undecided): table 四 as at 31 December of any year
    and the 纠错率 of the decisions of a year."""

    source = models.CharField(max_length=20)
    brought_year = models.SmallIntegerField()
    result = models.CharField(max_length=20)
    decided_year = models.SmallIntegerField()

    DIMENSIONS = ("source", "brought_year", "result", "decided_year")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "own", "source", "brought_year", "result", "decided_year"],
                name="stats_appeal_key",
            )
        ]


class PublishedTally(Tally):
    """Published catalogue items by the year of publication."""

    published_year = models.SmallIntegerField()

    DIMENSIONS = ("published_year",)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "own", "published_year"], name="stats_published_key"
            )
        ]


class LateTally(Tally):
    """Published catalogue items later than the 20 working days of 第二十六条
    (``CatalogItem.is_late``), by the year of publication."""

    published_year = models.SmallIntegerField()

    DIMENSIONS = ("published_year",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "own", "published_year"], name="stats_late_key")
        ]


class ColumnTally(Tally):
    """Published catalogue items by statutory column (第二十条), and on the ``own`` rows the
    latest ``published_on`` of the node's published items in the column: the column freshness
    of the dashboard. A maximum cannot be decremented, so every write touching a column of an
    agency recomputes that row's ``last`` with one indexed query (``maintenance.refresh_last``).
    """

    statutory_item = models.PositiveSmallIntegerField()
    last = models.DateField(null=True, blank=True)

    DIMENSIONS = ("statutory_item",)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "own", "statutory_item"], name="stats_column_key"
            )
        ]
