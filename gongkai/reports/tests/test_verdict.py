"""The 年报体检 verdict stored on a published version (decision 2004): run when published, read
by the scorecard, re-run when the year before's published report has changed since."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.actors import SYSTEM
from gongkai.reports import services, verdict
from gongkai.reports.compute import report_checks
from gongkai.reports.models import VersionVerdict

pytestmark = pytest.mark.django_db


def year():
    """Last year, read when a test runs (not when it is collected)."""
    return timezone.localdate().year - 1


def _data(tree):
    handler = make_staff(tree.dept_a, Role.HANDLER, username="verdict_handler")
    return services.report_start(by=handler, agency=tree.dept_a, year=year()).data


def test_publishing_stores_the_checks_and_the_scorecard_reads_them(tree):
    data = _data(tree)
    broken = json.loads(json.dumps(data))
    broken["table3"][0]["values"][0] += 1
    report, failures = services.report_import(
        by=SYSTEM, agency=tree.dept_b, year=year(), data=broken
    )
    stored = report.published_version.verdict
    assert stored.checks == [[f.is_hard, f.message] for f in failures]
    assert any(hard for hard, _m in stored.checks) and stored.checked_against is None
    assert verdict.verdicts([tree.dept_b.pk, tree.dept_a.pk], year()) == {
        tree.dept_b.pk: stored.checks
    }
    # The stored verdict is what is read (not a re-run): a marked copy shows through.
    VersionVerdict.objects.filter(pk=stored.pk).update(checks=[[False, "stored"]])
    assert verdict.verdicts([tree.dept_b.pk], year())[tree.dept_b.pk] == [[False, "stored"]]


def test_a_verdict_is_rerun_when_the_year_before_was_published_since(tree):
    data = _data(tree)
    report, _f = services.report_import(by=SYSTEM, agency=tree.dept_b, year=year(), data=data)
    version = report.published_version
    VersionVerdict.objects.filter(pk=version.pk).update(checks=[[False, "stale"]])
    earlier = json.loads(json.dumps(data))
    earlier["year"] = year() - 1
    before, _f = services.report_import(
        by=SYSTEM, agency=tree.dept_b, year=year() - 1, data=earlier
    )
    got = verdict.verdicts([tree.dept_b.pk], year())[tree.dept_b.pk]
    previous = before.published_version.data
    assert got == [[f.is_hard, f.message] for f in report_checks(version.data, previous)]
    assert got != [[False, "stale"]]
    # A version published after the year before's carries the cross-year reference.
    again, _f = services.report_import(
        by=SYSTEM, agency=tree.dept_b, year=year(), data=data, replace=True
    )
    assert again.published_version.verdict.checked_against == before.published_version_id


def test_the_migration_fills_the_verdicts_of_versions_published_before_it(tree):
    fill = importlib.import_module("gongkai.reports.migrations.0002_version_verdict").fill
    data = _data(tree)
    earlier = json.loads(json.dumps(data))
    earlier["year"] = year() - 1
    before, _f = services.report_import(
        by=SYSTEM, agency=tree.dept_b, year=year() - 1, data=earlier
    )
    report, _f = services.report_import(by=SYSTEM, agency=tree.dept_b, year=year(), data=data)
    expected = dict(VersionVerdict.objects.values_list("pk", "checks"))
    VersionVerdict.objects.all().delete()
    fill(apps, None)
    assert dict(VersionVerdict.objects.values_list("pk", "checks")) == expected
    mine = VersionVerdict.objects.get(pk=report.published_version_id)
    assert mine.checked_against == before.published_version_id
