"""The applicant answers a correction, proves a payment, withdraws — on the case page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services as office
from gongkai.applications.choices import EventKind, Status
from gongkai.applications.models import Application
from gongkai.notifications.models import Notification
from gongkai.portal.models import ApplicantFile
from gongkai.portal.tests.conftest import PDF, PNG, upload
from gongkai.portal.tests.test_access import apply

pytestmark = pytest.mark.django_db


def _request_correction(app: Application, handler) -> Application:
    today = timezone.localdate()
    return office.application_request_correction(
        by=handler,
        application=app,
        on=today,
        period_ends_on=today + dt.timedelta(days=15),
        content="请写明所需文件的文号或成文时间。",
    )


def test_the_applicant_answers_a_correction_and_the_clock_restarts(
    tree, staff, django_capture_on_commit_callbacks
):
    """补正 on the portal: the case returns to handling, corrected_on set, files kept, notified."""
    client, _n, _c, uid = apply(tree.dept_a)
    app = Application.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _request_correction(app, staff["handler_a"])
    assert Notification.objects.filter(kind="CORRECTION_REQUESTED", channel="EMAIL").exists()
    html = client.get(reverse("apply:case", args=[uid])).content.decode()
    assert "请写明所需文件的文号或成文时间。" in html and "补正期限：" in html
    bad = client.post(reverse("apply:correct", args=[uid]), {"correction": ""})
    assert bad.status_code == 400 and "id_correction_error" in bad.content.decode()
    response = client.post(
        reverse("apply:correct", args=[uid]),
        {"correction": "文号为测府办〔2025〕12号。", "correction_file": upload("fix.png", PNG)},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.HANDLING and app.corrected_on == timezone.localdate()
    event = app.events.order_by("-seq").first()
    assert event.kind == EventKind.CORRECTION_RECEIVED and "测府办〔2025〕12号" in event.note
    assert app.reply_due_on is not None
    assert ApplicantFile.objects.filter(kind="CORRECTION").count() == 1
    again = client.post(reverse("apply:correct", args=[uid]), {"correction": "再次补正"})
    assert again.status_code == 400  # no correction is due any more


def test_the_applicant_withdraws(tree):
    """Withdrawal needs the confirmation box; the case concludes as （六）3."""
    client, _n, _c, uid = apply(tree.dept_a)
    assert client.post(reverse("apply:withdraw", args=[uid]), {}).status_code == 400
    response = client.post(
        reverse("apply:withdraw", args=[uid]), {"confirm": "on", "reason": "已获得"}
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.status == Status.WITHDRAWN and app.result == "r6_3"
    html = client.get(reverse("apply:case", args=[uid])).content.decode()
    assert "已撤回" in html and "撤回申请</button>" not in html


def test_the_applicant_records_a_payment_proof(tree, staff):
    """A fee notice is out: the proof is stored for the office to confirm (decision 0502)."""
    client, _n, _c, uid = apply(tree.dept_a)
    app = Application.objects.get()
    app.received_on  # noqa: B018
    Application.objects.filter(pk=app.pk).update(status=Status.AWAITING_FEE)
    from gongkai.applications.models import FeeNotice

    FeeNotice.objects.create(
        application=app,
        basis="PER_PAGE",
        quantity=40,
        amount=100,
        sent_on=timezone.localdate(),
        received_on=timezone.localdate(),
    )
    future = timezone.localdate() + dt.timedelta(days=3)
    bad = client.post(
        reverse("apply:pay", args=[uid]),
        {"paid_on": future.isoformat(), "payment_proof": upload("p.pdf", PDF)},
    )
    assert bad.status_code == 400 and "不能晚于今天" in bad.content.decode()
    ok = client.post(
        reverse("apply:pay", args=[uid]),
        {
            "paid_on": timezone.localdate().isoformat(),
            "receipt_number": "NO123",
            "payment_proof": upload("p.pdf", PDF),
        },
    )
    assert ok.status_code == 302
    row = ApplicantFile.objects.get(kind="PAYMENT")
    assert row.receipt_number == "NO123" and row.paid_on == timezone.localdate()


def test_an_account_lists_its_cases(tree):
    """An applicant account sees the cases submitted while logged in."""
    client = Client()
    response = client.post(
        reverse("apply:signup"),
        {"email": "me@example.cn", "phone": "", "password": "long-enough-1"},
    )
    assert response.status_code == 302
    bad = Client().post(
        reverse("apply:login"), {"login": "me@example.cn", "password": "wrong-password"}
    )
    assert "账户或密码不正确" in bad.content.decode()
    import re

    html = client.get(reverse("apply:form_for", args=[tree.dept_a.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    from gongkai.portal.tests.conftest import apply_data

    client.post(
        reverse("apply:form_for", args=[tree.dept_a.pk]),
        {**apply_data(tree.dept_a), "form_token": token, "identity_copy": upload("id.pdf", PDF)},
    )
    fresh = Client()
    fresh.post(reverse("apply:login"), {"login": "ME@example.cn", "password": "long-enough-1"})
    app = Application.objects.get()
    assert app.registration_number in fresh.get(reverse("apply:account")).content.decode()
