"""Office views: register, queues with masked applicant data, the case page, a step form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.choices import Status
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import PHONE, make_application, make_id_number

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_register_form_creates_a_case(tree, staff):
    """A handler registers an in-person application through the form."""
    response = _client(staff["handler_a"]).post(
        reverse("applications:register"),
        {
            "agency": tree.dept_a.pk,
            "channel": "IN_PERSON",
            "arrived_on": "2026-02-10",
            "applicant_type": "PERSON",
            "applicant_name": "李四",
            "id_document_type": "ID_CARD",
            "id_number": make_id_number(7),
            "phone": PHONE,
            "description": "某项目环评批复",
            "is_oral": "on",
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[app.pk])
    assert app.is_oral and app.reply_due_on.isoformat() == "2026-03-16"


def test_register_refuses_bad_id_number(tree, staff):
    """A wrong check digit is shown as a field error; nothing is created."""
    response = _client(staff["handler_a"]).post(
        reverse("applications:register"),
        {
            "agency": tree.dept_a.pk,
            "channel": "IN_PERSON",
            "arrived_on": "2026-02-10",
            "applicant_type": "PERSON",
            "applicant_name": "李四",
            "id_document_type": "ID_CARD",
            "id_number": "110105194912310021",
            "phone": PHONE,
            "description": "某项目",
        },
    )
    assert response.status_code == 200
    assert "校验位" in response.content.decode()
    assert not Application.objects.exists()


def test_lists_mask_applicant_data(tree, staff):
    """Queues show the masked name and never the ID number or phone."""
    app = make_application(tree.dept_a, staff["handler_a"])
    html = (
        _client(staff["handler_a"])
        .get(reverse("applications:list") + "?queue=all")
        .content.decode()
    )
    assert app.registration_number in html
    assert app.masked_name in html
    assert app.applicant_name not in html
    assert app.id_number not in html and PHONE not in html


def test_case_page_full_data_only_for_the_handling_agency(tree, staff):
    """The handling agency's staff see the applicant in full; a parent's subtree officer sees it masked."""
    app = make_application(tree.dept_a, staff["handler_a"])
    own = _client(staff["handler_a"]).get(reverse("applications:detail", args=[app.pk]))
    assert app.id_number in own.content.decode()
    assert "答复期限" in own.content.decode()
    assert "2026年3月16日" in own.content.decode()
    office_officer = make_staff(tree.city, Role.HEAD, sub=True)
    seen = (
        _client(office_officer).get(reverse("applications:detail", args=[app.pk])).content.decode()
    )
    assert app.masked_id_number in seen
    assert app.id_number not in seen and PHONE not in seen
    other = _client(staff["handler_b"]).get(reverse("applications:detail", args=[app.pk]))
    assert other.status_code == 404


def test_step_form_runs_the_service(tree, staff):
    """The head approves an extension through the step form; a handler gets 403 there."""
    app = make_application(tree.dept_a, staff["handler_a"], received_on=dt.date(2026, 11, 20))
    url = reverse("applications:step", args=[app.pk, "approve_extension"])
    assert _client(staff["handler_a"]).get(url).status_code == 403
    response = _client(staff["head_a"]).post(
        url, {"on": "2026-11-23", "days": "10", "reason": "量大"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.extension_days == 10 and app.status == Status.HANDLING


def test_home_page_shows_queue_counts(tree, staff):
    """The office home lists the queues with counts."""
    make_application(tree.dept_a, staff["handler_a"])
    html = _client(staff["handler_a"]).get(reverse("accounts:home")).content.decode()
    assert "未分配经办人" in html and "已超期" in html


def test_disclosure_office_queue_spans_sub_agencies(tree, staff):
    """A government-level officer with the subtree sees the departments' cases in the queues."""
    make_application(tree.dept_a, staff["handler_a"])
    make_application(tree.dept_b, staff["handler_b"])
    from gongkai.applications.selectors import queue_counts

    office_officer = make_staff(tree.city, Role.REVIEWER, sub=True)
    counts = {q["key"]: q["count"] for q in queue_counts(office_officer)}
    assert counts["open"] == 2
    assert {q["key"]: q["count"] for q in queue_counts(staff["handler_a"])}["open"] == 1
