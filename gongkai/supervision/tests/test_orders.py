"""督办单: numbering, who may issue/answer/close, every step from every status, reminders,
escalation to the unit's head, audit entries, and the pages of the flow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.tests.factories import make_application
from gongkai.core.actors import SYSTEM
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import StepRefused
from gongkai.notifications.models import Notification
from gongkai.supervision import services
from gongkai.supervision.choices import EventKind, Outcome, Source, Status
from gongkai.supervision.models import Order
from gongkai.supervision.tests.office_urls import make_order
from gongkai.supervision.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, staff):
    """The city office's handler (supervisor), the district dept's handler and head."""
    return {
        "city": make_staff(tree.office, Role.HANDLER, username="city_handler"),
        "unit": make_staff(tree.district_dept, Role.HANDLER, username="unit_handler"),
        "unit_head": make_staff(tree.district_dept, Role.HEAD, username="unit_head"),
        **staff,
    }


def _with_email(*users):
    for u in users:
        u.email = f"{u.username}@example.gov.cn"
        u.save(update_fields=["email"])


def test_city_office_issues_numbered_orders_per_year(tree, people):
    """The number comes from the shared counter per issuing office and year, gapless."""
    first = services.order_issue(
        by=people["city"], agency=tree.district_dept, subject="甲", deadline=timezone.localdate()
    )
    second = services.order_issue(
        by=people["city"], agency=tree.dept_b, subject="乙", deadline=timezone.localdate()
    )
    assert first.issuer == tree.office
    assert (first.serial, second.serial) == (1, 2)
    assert (
        first.number
        == f"{tree.office.short_name or tree.office.name}督〔{timezone.localdate().year}〕1号"
    )
    assert first.status == Status.OPEN
    assert list(first.events.values_list("kind", flat=True)) == [EventKind.ISSUED]
    audit = AuditEvent.objects.filter(action="supervision.issue").order_by("seq").last()
    assert audit.after["number"] == second.number


@pytest.mark.parametrize("who", ["handler_a", "head_a", "admin_a", "unit", "auditor"])
def test_only_a_disclosure_office_above_the_unit_may_issue(tree, people, who):
    """Staff of other agencies, the unit itself and the auditor cannot issue (no self-督办)."""
    target = tree.dept_a if who.endswith("_a") else tree.district_dept
    with pytest.raises((PermissionDenied, Exception)) as exc:
        services.order_issue(
            by=people[who], agency=target, subject="x", deadline=timezone.localdate()
        )
    assert Order.objects.count() == 0
    assert isinstance(exc.value, PermissionDenied) or "agency" in str(exc.value)


def test_district_office_supervises_its_district_only(tree, people):
    """A district's 政务公开办 reaches its own departments, not the city's."""
    from gongkai.agencies.tests.factories import make_agency

    d_office = make_agency("测试市东区政府办", parent=tree.district, is_disclosure_office=True)
    d_handler = make_staff(d_office, Role.HANDLER, username="d_handler")
    order = services.order_issue(
        by=d_handler, agency=tree.district_dept, subject="区督办", deadline=timezone.localdate()
    )
    assert order.issuer == d_office
    with pytest.raises(PermissionDenied):
        services.order_issue(
            by=d_handler, agency=tree.dept_a, subject="x", deadline=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.order_issue(
            by=d_handler, agency=d_office, subject="x", deadline=timezone.localdate()
        )


def test_bad_input_is_refused_with_chinese_messages(tree, people):
    """Empty subject, a past deadline and a case of another unit are refused; nothing saved."""
    case = make_application(tree.dept_a, people["handler_a"])
    with pytest.raises(Exception) as exc:
        services.order_issue(
            by=people["city"],
            agency=tree.district_dept,
            subject=" ",
            deadline=timezone.localdate() - dt.timedelta(days=1),
            application=case,
        )
    errors = exc.value.message_dict
    assert set(errors) == {"subject", "deadline", "application"}
    assert Order.objects.count() == 0


def test_the_full_flow_answer_return_answer_close(tree, people):
    """Unit answers, issuer returns, unit answers again, issuer closes with an outcome."""
    order = make_order(tree.district_dept, tree.office)
    with pytest.raises(PermissionDenied):  # the supervisor cannot answer for the unit
        services.order_answer(by=people["city"], order=order, text="x")
    services.order_answer(by=people["unit"], order=order, text="已办结答复。")
    order.refresh_from_db()
    assert order.status == Status.ANSWERED and order.answered_on == timezone.localdate()
    with pytest.raises(PermissionDenied):  # the unit cannot close its own order
        services.order_close(by=people["unit_head"], order=order, outcome=Outcome.RESOLVED)
    services.order_return(
        by=people["city"],
        order=order,
        reason="未附答复书",
        deadline=timezone.localdate() + dt.timedelta(3),
    )
    order.refresh_from_db()
    assert order.status == Status.OPEN and order.answered_on is None
    services.order_answer(by=people["unit"], order=order, text="已补充答复书。")
    services.order_close(by=people["city"], order=order, outcome=Outcome.RESOLVED, note="好")
    order.refresh_from_db()
    assert (order.status, order.outcome, order.closed_on) == (
        Status.CLOSED,
        Outcome.RESOLVED,
        timezone.localdate(),
    )
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ISSUED, EventKind.ANSWERED, EventKind.RETURNED, EventKind.ANSWERED,
        EventKind.CLOSED,
    ]  # fmt: skip
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"supervision.answer", "supervision.return", "supervision.close"} <= actions


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("step", ["answer", "return", "close", "remind"])
def test_each_step_from_every_status(tree, people, status, step):
    """A step starts only from its source statuses; otherwise StepRefused and nothing changes."""
    order = make_order(tree.district_dept, tree.office)
    Order.objects.filter(pk=order.pk).update(status=status, answer="已办" if status else "")
    order.refresh_from_db()
    run = {
        "answer": lambda: services.order_answer(by=people["unit"], order=order, text="办"),
        "return": lambda: services.order_return(
            by=people["city"], order=order, reason="r", deadline=timezone.localdate()
        ),
        "close": lambda: services.order_close(
            by=people["city"], order=order, outcome=Outcome.PARTLY
        ),
        "remind": lambda: services.order_remind(order=order, today=timezone.localdate()),
    }[step]
    if status in WORKFLOW[step].sources:
        run()
        order.refresh_from_db()
        assert order.status == (WORKFLOW[step].target or status)
    else:
        with pytest.raises(StepRefused):
            run()
        order.refresh_from_db()
        assert order.status == status


def test_sweep_reminds_before_and_escalates_after_the_deadline(tree, people):
    """Reminders once a day before the deadline; after it the unit's head is told, once."""
    _with_email(people["unit"], people["unit_head"])
    mail.outbox.clear()
    soon = make_order(tree.district_dept, tree.office, days=1)
    late = make_order(tree.district_dept, tree.office, days=3)
    Order.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    far = make_order(tree.district_dept, tree.office, days=10)
    with_captured = services.remind_and_escalate(today=timezone.localdate())
    assert with_captured == {"reminded": 1, "escalated": 1}
    assert services.remind_and_escalate(today=timezone.localdate()) == {
        "reminded": 0,
        "escalated": 0,
    }
    soon.refresh_from_db()
    late.refresh_from_db()
    far.refresh_from_db()
    assert soon.reminded_on == timezone.localdate() and far.reminded_on is None
    assert late.escalated_on == timezone.localdate() and late.status == Status.OPEN
    assert late.events.filter(kind=EventKind.ESCALATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_messages_go_through_the_notification_system(tree, people):
    """Issue, reminder and escalation e-mails are sent after commit and recorded, once each."""
    _with_email(people["unit"], people["unit_head"])
    mail.outbox.clear()
    order = make_order(tree.district_dept, tree.office, days=1)
    assert {m.to[0] for m in mail.outbox} == {
        "unit_handler@example.gov.cn",
        "unit_head@example.gov.cn",
    }
    services.remind_and_escalate(today=timezone.localdate())
    Order.objects.filter(pk=order.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    services.remind_and_escalate(today=timezone.localdate())
    escalation = [m for m in mail.outbox if "逾期未反馈" in m.subject]
    assert [m.to for m in escalation] == [["unit_head@example.gov.cn"]]
    rows = Notification.objects.filter(reference__startswith=f"supervision.order:{order.pk}:")
    assert rows.count() == 5  # issued ×2, reminded ×2, escalated ×1
    assert all(r.application_id is None and "***@" in r.recipient for r in rows)


def test_pages_of_the_flow(tree, people):
    """The city sees the town's overdue case, issues from it; the unit answers; the city closes."""
    case = make_application(
        tree.district_dept, people["unit"], received_on=timezone.localdate() - dt.timedelta(60)
    )
    city, unit = Client(), Client()
    city.force_login(people["city"])
    unit.force_login(people["unit"])
    page = city.get(reverse("supervision:cases"))
    assert case.registration_number in page.content.decode()
    new = reverse("supervision:order_new")
    form = city.get(new, {"agency": tree.district_dept.pk, "application": case.pk})
    assert form.status_code == 200
    # the browser's date picker accepts only an ISO value (a localised one leaves it empty)
    assert re.search(
        r'type="date" name="deadline" value="\d{4}-\d{2}-\d{2}"', form.content.decode()
    )
    data = {
        "agency": tree.district_dept.pk,
        "application": case.pk,
        "source": Source.APPLICATION,
        "subject": "超期督办",
        "note": "请办理",
        "deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    }
    response = city.post(new, data)
    order = Order.objects.get()
    assert response.status_code == 302 and order.application == case
    assert "待反馈督办单" in unit.get(reverse("accounts:home")).content.decode()
    step = reverse("supervision:order_step", args=[order.pk, "answer"])
    assert city.post(step, {"text": "x"}).status_code == 403
    bad = unit.post(step, {"text": ""})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    assert unit.post(step, {"text": "已于今日答复"}).status_code == 302
    detail = city.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    assert "已于今日答复" in detail and "已反馈" in detail
    close = reverse("supervision:order_step", args=[order.pk, "close"])
    assert city.post(close, {"outcome": Outcome.RESOLVED}).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.CLOSED
    other = Client()
    other.force_login(people["handler_a"])
    assert other.get(reverse("supervision:order_detail", args=[order.pk])).status_code == 404


def test_ledger_export_reads_back(tree, people):
    """The XLSX ledger has the Chinese header, one row per order, and date cells."""
    import io

    from openpyxl import load_workbook

    order = make_order(tree.district_dept, tree.office)
    client = Client()
    client.force_login(people["city"])
    response = client.get(reverse("supervision:orders_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "督办单编号" and len(rows) == 2
    assert rows[1][0] == order.number and rows[1][6] == dt.datetime.combine(
        order.deadline, dt.time()
    )
    unit = Client()
    unit.force_login(people["handler_a"])
    rows = list(
        load_workbook(
            io.BytesIO(unit.get(reverse("supervision:orders_export")).content)
        ).active.values
    )
    assert len(rows) == 1  # another agency's staff see none of them


def test_issue_by_system_needs_an_issuer(tree):
    """The platform issues only on a named office's behalf."""
    with pytest.raises(Exception) as exc:
        services.order_issue(
            by=SYSTEM, agency=tree.dept_b, subject="x", deadline=timezone.localdate()
        )
    assert "agency" in exc.value.message_dict
