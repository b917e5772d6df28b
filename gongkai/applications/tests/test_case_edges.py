"""The case file at the law's edges: date invariants, late notices, results that need events.

Each test is one situation the services used to accept although the law does not allow it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.choices import (
    Channel,
    DeliveryMethod,
    EventKind,
    FeeBasis,
    Result,
    Status,
)
from gongkai.applications.dates import violations
from gongkai.applications.models import Application, FeeNotice
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import make_application, person
from gongkai.core.counters import current_value

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _events(app: Application) -> list[str]:
    return list(app.events.order_by("seq").values_list("kind", flat=True))


def _refused(call, *words: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call()
    text = " ".join(info.value.messages)
    for word in words:
        assert word in text, text
    return info.value


# -- 1. date invariants --------------------------------------------------------------------


def test_fee_notice_dated_before_receipt_is_refused_and_nothing_saved(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    before = _events(app)
    _refused(
        lambda: s.fee_notice_send(
            by=h, application=app, basis=FeeBasis.PER_PAGE, pages=100, sent_on=d(9)
        ),
        "早于收到申请之日",
        "第三十一条",
    )
    app.refresh_from_db()
    assert app.status == Status.HANDLING and _events(app) == before
    assert not FeeNotice.objects.filter(application=app).exists()


def test_fee_notice_received_before_it_was_sent_is_refused(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    _refused(
        lambda: s.fee_notice_send(
            by=h,
            application=app,
            basis=FeeBasis.PER_PAGE,
            pages=100,
            sent_on=d(13),
            received_on=d(12),
        ),
        "早于发出日期",
    )
    assert not FeeNotice.objects.filter(application=app).exists()


def test_extension_before_receipt_is_refused_and_does_not_block_a_lawful_one(tree, staff, today):
    h, head = staff["handler_a"], staff["head_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    _refused(
        lambda: s.application_approve_extension(
            by=head, application=app, on=d(9), days=10, reason="材料多"
        ),
        "早于收到申请之日",
    )
    app.refresh_from_db()
    assert app.extension_days == 0
    due = app.reply_due_on
    app = s.application_approve_extension(
        by=head, application=app, on=d(20), days=20, reason="材料多"
    )
    assert app.extension_days == 20 and app.reply_due_on > due


def test_extension_approved_in_the_future_is_refused(tree, staff, today):
    h, head = staff["handler_a"], staff["head_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(12)
    _refused(
        lambda: s.application_approve_extension(
            by=head, application=app, on=d(13), days=5, reason="材料多"
        ),
        "晚于今天",
    )


def _approved(tree, staff, today, *, approved_on: dt.date) -> Application:
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(2, 3)
    app = s.application_draft_reply(
        by=h, application=app, decisions=[s.ItemDecision("处罚决定书", Result.R1_OPEN)]
    )
    app = s.application_submit_for_review(by=h, application=app)
    app = s.application_review(
        by=staff["reviewer_a"],
        application=app,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
        on=approved_on,
    )
    return s.application_approve(by=staff["head_a"], application=app, approve=True, on=approved_on)


def test_delivery_before_the_heads_approval_is_refused(tree, staff, today):
    app = _approved(tree, staff, today, approved_on=d(27))
    _refused(
        lambda: s.application_record_delivery(
            by=staff["handler_a"], application=app, method=DeliveryMethod.POST, delivered_on=d(26)
        ),
        "早于负责人批准答复",
        "批准后送达",
    )
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.result is None and not app.deliveries.exists()


def test_delivery_in_the_future_is_refused(tree, staff, today):
    app = _approved(tree, staff, today, approved_on=d(27))
    _refused(
        lambda: s.application_record_delivery(
            by=staff["handler_a"], application=app, method=DeliveryMethod.POST, delivered_on=d(3, 3)
        ),
        "晚于今天",
    )
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.closed_on is None


def test_email_confirmed_before_it_arrived_is_refused_without_using_a_number(tree, staff, today):
    today["d"] = d(20)
    number_before = current_value("applications.registration", agency=tree.dept_a, year=2026)
    _refused(
        lambda: s.application_register(
            by=staff["handler_a"],
            agency=tree.dept_a,
            channel=Channel.EMAIL,
            arrived_on=d(12),
            confirmed_on=d(11),
            applicant=person(),
            description="某文件",
        ),
        "早于申请到达之日",
        "第三十一条",
    )
    assert not Application.objects.exists()
    assert (
        current_value("applications.registration", agency=tree.dept_a, year=2026) == number_before
    )


def test_arrival_in_the_future_is_refused(tree, staff, today):
    today["d"] = d(20)
    _refused(
        lambda: make_application(tree.dept_a, staff["handler_a"], received_on=d(21)), "晚于今天"
    )
    assert not Application.objects.exists()


def test_transfer_before_receipt_is_refused(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    _refused(
        lambda: s.application_transfer(
            by=h, application=app, to_agency=tree.dept_b, on=d(9), reason="乙局制作"
        ),
        "早于收到申请之日",
    )
    app.refresh_from_db()
    assert app.status == Status.HANDLING and Application.objects.count() == 1


def test_correcting_a_date_into_a_violation_is_refused(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    app = s.application_approve_extension(
        by=staff["head_a"], application=app, on=d(12), days=5, reason="材料多"
    )
    event = app.events.get(kind=EventKind.EXTENSION_APPROVED)
    _refused(
        lambda: s.event_correct(
            by=h, application=app, event=event, changes={"on": d(9)}, reason="录错"
        ),
        "早于收到申请之日",
    )
    assert not app.events.filter(kind=EventKind.CORRECTION).exists()


def test_office_page_refuses_an_impossible_date_and_keeps_the_case(tree, staff, today):
    """Through the step form: the Chinese message is shown, the case does not change."""
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    url = reverse("applications:step", args=[app.pk, "transfer"])
    response = _client(h).post(
        url, {"to_agency": tree.dept_b.pk, "on": "2026-02-09", "reason": "乙局制作"}
    )
    assert response.status_code == 200
    assert "早于收到申请之日" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.HANDLING


def test_a_lawful_case_has_no_violations(tree, staff, today):
    app = _approved(tree, staff, today, approved_on=d(27))
    s.application_record_delivery(
        by=staff["handler_a"], application=app, method=DeliveryMethod.POST, delivered_on=d(28)
    )
    app.refresh_from_db()
    assert app.status == Status.REPLIED
    assert violations(app) == []


# -- 2. late notices -----------------------------------------------------------------------


def test_late_correction_notice_is_refused_by_default(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(3, 3)
    # 7 working days after 2026-02-10 end on 2026-02-26 (Spring Festival skipped).
    _refused(
        lambda: s.application_request_correction(
            by=h, application=app, on=d(27), period_ends_on=d(13, 3), content="请写明文号"
        ),
        "第三十条",
        "2026年02月26日",
        "逾期补正",
    )
    app.refresh_from_db()
    assert app.status == Status.HANDLING and app.correction_requested_on is None


def test_late_correction_recorded_anyway_does_not_move_the_reply_deadline(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    due = app.reply_due_on
    assert due == d(16, 3)
    today["d"] = d(27)
    app = s.application_request_correction(
        by=h, application=app, on=d(27), period_ends_on=d(13, 3), content="请写明文号", late=True
    )
    assert app.status == Status.AWAITING_CORRECTION
    assert app.reply_due_on == due  # the limit keeps running
    notice = app.events.get(kind=EventKind.CORRECTION_REQUESTED)
    assert notice.payload["late"] is True and notice.late_label == "逾期补正"
    today["d"] = d(5, 3)
    app = s.application_receive_correction(by=h, application=app, on=d(5, 3))
    assert app.status == Status.HANDLING
    assert app.reply_due_on == due  # not restarted from the correction
    page = _client(h).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "逾期补正" in page


def test_timely_correction_still_restarts_the_clock(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(26)
    app = s.application_request_correction(
        by=h, application=app, on=d(26), period_ends_on=d(13, 3), content="请写明文号"
    )
    today["d"] = d(5, 3)
    app = s.application_receive_correction(by=h, application=app, on=d(5, 3))
    assert app.reply_due_on > d(16, 3)


def test_office_page_late_correction_needs_the_box(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(27)
    url = reverse("applications:step", args=[app.pk, "request_correction"])
    data = {"on": "2026-02-27", "period_ends_on": "2026-03-13", "content": "请写明文号"}
    response = _client(h).post(url, data)
    assert response.status_code == 200 and "逾期补正" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.HANDLING
    response = _client(h).post(url, {**data, "late": "on"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.AWAITING_CORRECTION and app.reply_due_on == d(16, 3)


def test_fee_notice_after_the_reply_deadline_is_refused_unless_recorded_late(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    due = app.reply_due_on
    today["d"] = d(18, 3)
    _refused(
        lambda: s.fee_notice_send(
            by=h, application=app, basis=FeeBasis.PER_PAGE, pages=100, sent_on=d(17, 3)
        ),
        "答复期限内发出",
        "2026年03月16日",
    )
    assert not FeeNotice.objects.filter(application=app).exists()
    s.fee_notice_send(
        by=h, application=app, basis=FeeBasis.PER_PAGE, pages=100, sent_on=d(17, 3), late=True
    )
    app.refresh_from_db()
    assert app.status == Status.AWAITING_FEE
    assert app.reply_due_on == due  # a late notice does not pause the expired limit
    assert app.events.get(kind=EventKind.FEE_NOTICE_SENT).late_label == "逾期发出"


def test_fee_expiry_only_after_the_payment_period(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(12)
    notice = s.fee_notice_send(
        by=h, application=app, basis=FeeBasis.PER_PAGE, pages=100, sent_on=d(12)
    )
    assert notice.pay_by is not None
    today["d"] = notice.pay_by + dt.timedelta(days=1)
    _refused(lambda: s.fee_expire(by=h, application=app, on=d(13)), "尚未届满")


# -- 3. results need their events ----------------------------------------------------------


@pytest.mark.parametrize("result", [Result.R6_1, Result.R6_2, Result.R4_3])
def test_evidenced_results_are_refused_without_their_events(tree, staff, today, result):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    _refused(
        lambda: s.application_draft_reply(
            by=h, application=app, decisions=[s.ItemDecision("某文件", result)]
        ),
        "只能在",
    )
    app.refresh_from_db()
    assert app.proposed_result is None or app.proposed_result == ""
    _refused(
        lambda: make_application(tree.dept_a, h, received_on=d(20), on_the_spot_result=result),
        "当场答复",
    )


def test_still_unclear_after_correction_is_allowed_once_answered(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(11)
    app = s.application_request_correction(
        by=h, application=app, on=d(11), period_ends_on=d(25), content="请写明文号"
    )
    today["d"] = d(24)
    app = s.application_receive_correction(by=h, application=app, on=d(24))
    app = s.application_draft_reply(
        by=h, application=app, decisions=[s.ItemDecision("某文件", Result.R4_3)]
    )
    assert app.proposed_result == Result.R4_3


def test_fee_letter_refused_on_a_case_without_a_fee_notice(tree, staff, today):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue

    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(20)
    _refused(
        lambda: letter_issue(application=app, kind=LetterKind.TERMINATION, by=h, code="reply_r6_2"),
        "收费通知",
    )
    from gongkai.letters.models import Letter

    assert not Letter.objects.filter(application=app).exists()
