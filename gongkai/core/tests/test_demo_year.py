"""The demo city's lived-in year: applications over 2025 and this year, queues, published reports.

Builds the agencies and staff, the applications record and the 2025 reports (the catalogue is
left out here: it has its own tests) and checks what a newcomer relies on.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.demo import build_demo
from gongkai.agencies.models import Agency
from gongkai.applications.choices import Result, Status
from gongkai.applications.demo import build_applications_demo, topics_for
from gongkai.applications.models import Application, Consultation, FeeNotice, Lawsuit, Review
from gongkai.applications.selectors import home_queues
from gongkai.reports.checks import has_hard_failure, run_checks
from gongkai.reports.choices import ReportStatus, Scope
from gongkai.reports.demo import build_reports_demo
from gongkai.reports.models import AnnualReport
from gongkai.reports.schema import load_report

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_year():
    """One build (it takes a while), three checks."""
    build_demo()
    build_applications_demo()
    build_reports_demo()
    _the_record_is_lived_in()
    _every_demo_handler_has_open_work()
    _every_agency_and_level_has_a_published_2025_report_that_checks()


def _the_record_is_lived_in():
    apps = Application.objects.all()
    assert apps.count() >= 1000
    assert {2025, apps.order_by("-received_on").first().received_on.year} <= set(
        apps.values_list("received_on__year", flat=True)
    )
    # every state a case can stand in, every table 三 result
    assert set(apps.values_list("status", flat=True)) == set(Status.values)
    assert set(apps.exclude(result=None).values_list("result", flat=True)) == set(Result.values)
    # mostly 自然人; 补正, extensions, carried over, consultations, fees paid and unpaid, appeals
    assert apps.filter(applicant_type="PERSON").count() > apps.count() * 0.7
    assert apps.exclude(corrected_on=None).exists() and apps.filter(extension_days__gt=0).exists()
    assert apps.filter(received_on__year=2025, replied_on__year__gt=2025).exists()
    assert Consultation.objects.exists()
    assert FeeNotice.objects.exclude(paid_on=None).exists()
    assert FeeNotice.objects.filter(paid_on=None).exists()
    assert Review.objects.exclude(decided_on=None).exists() and Lawsuit.objects.exists()
    # topics fit the agency (a case transferred in keeps the other agency's subject)
    for app in apps.filter(transferred_from=None).select_related("agency")[:300]:
        assert any(t in app.description for t in topics_for(app.agency)), app.description


def _every_demo_handler_has_open_work():
    for handler in User.objects.filter(username__endswith="_handler"):
        queues = {q["key"]: q["count"] for q in home_queues(handler)}
        assert sum(queues.values()) > 0, (handler.username, queues)
        assert Application.objects.filter(
            agency__in=[m.agency for m in handler.memberships.all()], closed_on=None
        ).exists()


def _every_agency_and_level_has_a_published_2025_report_that_checks():
    agencies = Agency.objects.filter(is_active=True)
    published = AnnualReport.objects.filter(year=2025, status=ReportStatus.PUBLISHED)
    assert set(published.filter(scope=Scope.OWN).values_list("agency", flat=True)) == set(
        agencies.values_list("pk", flat=True)
    )
    governments = agencies.filter(kind=AgencyKind.GOVERNMENT)
    assert set(published.filter(scope=Scope.CONSOLIDATED).values_list("agency", flat=True)) == set(
        governments.values_list("pk", flat=True)
    )
    client = Client()
    for report in published:
        download = client.get(reverse("annual_reports:download", args=[report.pk, "json"]))
        assert download.status_code == 200
        data = load_report(download.content, partial=True)
        assert not has_hard_failure(run_checks(data, None)), report
        assert "请填写" not in json.dumps(report.narrative, ensure_ascii=False)
