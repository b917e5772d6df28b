"""Services: a full case walk, deadlines stored and recomputed, numbering, corrections, privacy."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from gongkai.applications import services as s
from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    EventKind,
    FeeBasis,
    LawsuitKind,
    Result,
    ReviewResult,
    Status,
)
from gongkai.applications.deadlines import get_calendar
from gongkai.applications.models import Application, ApplicationEvent, EventImmutableError
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import PHONE, make_application, person
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _workdays_after(day: dt.date, n: int) -> dt.date:
    return get_calendar().add_working_days(day, n).date


def test_reply_due_is_stored_at_registration(tree, staff):
    """Received 2026-02-10 (in person): the reply is due 2026-03-16 (Spring Festival skipped)."""
    app = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    assert app.received_on == d(10)
    assert app.reply_due_on == dt.date(2026, 3, 16)
    assert app.due_on == dt.date(2026, 3, 16)
    assert not app.reply_due_provisional
    assert app.registration_number == "2026-0001"
    assert app.events.get().kind == EventKind.REGISTERED


def test_receipt_date_follows_article_31(tree, staff):
    """An online application counts from the both-sides confirmation date, not its arrival."""
    app = make_application(
        tree.dept_a,
        staff["handler_a"],
        received_on=d(9),
        channel=Channel.ONLINE,
        confirmed_on=d(10),
    )
    assert app.received_on == d(10)
    assert app.reply_due_on == dt.date(2026, 3, 16)
    with pytest.raises(ValidationError):
        make_application(tree.dept_a, staff["handler_a"], channel=Channel.EMAIL)


def test_full_case_walk_recomputes_deadlines_and_audits_every_step(tree, staff, caplog, today):
    """補正, consultation, extension, review, approval, delivery: each step recomputes and audits.

    The ID number and the phone number never reach the log output.
    """
    caplog.set_level(logging.DEBUG)
    h, r, head = staff["handler_a"], staff["reviewer_a"], staff["head_a"]
    audits = AuditEvent.objects.count()
    app = make_application(tree.dept_a, h, received_on=d(10))
    id_number = app.id_number
    s.application_assign(by=head, application=app, handler=h)
    today["d"] = d(11)  # nothing is recorded before it happens (applications.dates)
    app = s.application_request_correction(
        by=h, application=app, on=d(11), period_ends_on=d(27), content="请写明文号"
    )
    assert app.status == Status.AWAITING_CORRECTION
    assert app.reply_due_on is None
    assert app.due_on == d(27)
    today["d"] = d(24)
    app = s.application_receive_correction(by=h, application=app, on=d(24))
    assert app.reply_due_on == _workdays_after(d(24), 20)
    today["d"] = d(27)
    consultation = s.consultation_send(
        by=h,
        application=app,
        party=ConsultationParty.THIRD_PARTY,
        party_name="某有限公司",
        sent_on=d(26),
    )
    app.refresh_from_db()
    assert app.status == Status.CONSULTING
    assert app.clock_paused
    assert app.reply_due_on is None
    assert app.due_on == consultation.answer_due_on
    assert consultation.answer_due_on == _workdays_after(d(26), 15)
    today["d"] = d(6, 3)
    s.consultation_answer(
        by=h, consultation=consultation, answered_on=d(5, 3), outcome=ConsultationOutcome.OBJECTED
    )
    app.refresh_from_db()
    assert app.status == Status.HANDLING
    before_extension = app.reply_due_on
    today["d"] = d(11, 3)
    assert before_extension > _workdays_after(d(24), 20)  # the consultation was not counted
    app = s.application_approve_extension(
        by=head, application=app, on=d(10, 3), days=20, reason="涉及面广"
    )
    assert app.reply_due_on == _workdays_after(before_extension, 20)
    with pytest.raises(ValidationError):
        s.application_approve_extension(
            by=head, application=app, on=d(11, 3), days=1, reason="再延"
        )
    app = s.application_draft_reply(
        by=h,
        application=app,
        decisions=[
            s.ItemDecision(description="甲文件", decision=Result.R1_OPEN),
            s.ItemDecision(description="乙文件", decision=Result.R3_4, reason="第十五条"),
        ],
        summary="部分公开",
    )
    assert app.proposed_result == Result.R2_PARTIAL
    app = s.application_submit_for_review(by=h, application=app)
    with pytest.raises(ValidationError):
        s.application_review(
            by=r, application=app, approve=True, confidentiality_checked=False, legal_checked=True
        )
    today["d"] = d(10, 9)
    app = s.application_review(
        by=r,
        application=app,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
        on=d(18, 3),
    )
    app = s.application_approve(by=head, application=app, approve=True, on=d(19, 3))
    assert app.status == Status.APPROVED and app.result is None
    s.application_record_delivery(
        by=h, application=app, method=DeliveryMethod.EMAIL, delivered_on=d(20, 3), proof="邮件回执"
    )
    app.refresh_from_db()
    assert (app.status, app.result, app.closed_on) == (Status.REPLIED, Result.R2_PARTIAL, d(20, 3))
    assert app.due_on is None
    review = s.review_save(by=h, application=app, body="测试市人民政府", applied_on=d(1, 4))
    s.lawsuit_save(
        by=h,
        application=app,
        kind=LawsuitKind.AFTER_REVIEW,
        review=review,
        court="测试市中级人民法院",
        filed_on=d(1, 6),
        result=ReviewResult.UPHELD,
        decided_on=d(1, 9),
    )
    app = s.application_close(by=h, application=app, on=d(2, 4))
    assert app.status == Status.CLOSED
    seqs = list(app.events.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEvent.objects.count() - audits >= 14
    # Personal data stays out of audit entries and logs.
    for entry in AuditEvent.objects.filter(target_type="applications.application"):
        assert id_number not in str(entry.after) and PHONE not in str(entry.after)
    assert id_number not in caplog.text
    assert PHONE not in caplog.text


def test_on_the_spot_reply_concludes_at_registration(tree, staff):
    """当场答复: replied and concluded on the receipt date with the given result."""
    app = make_application(
        tree.dept_a, staff["handler_a"], received_on=d(10), on_the_spot_result=Result.R1_OPEN
    )
    assert (app.status, app.result, app.closed_on, app.replied_on) == (
        Status.REPLIED,
        Result.R1_OPEN,
        d(10),
        d(10),
    )
    assert app.replied_on_the_spot
    assert app.due_on is None


def test_expired_correction_and_fee_and_withdrawal_results(case_in, staff):
    """视为放弃 (correction) → （六）1; unpaid fee → （六）2; withdrawal → （六）3."""
    assert case_in(Status.ABANDONED).result == Result.R6_1
    fee_case = case_in(Status.AWAITING_FEE)
    notice = fee_case.fee_notices.get()
    assert (notice.quantity, notice.amount) == (100, 700)
    assert notice.pay_by is not None
    app = s.fee_expire(by=staff["handler_a"], application=fee_case, on=d(30, 4))
    assert app.result == Result.R6_2
    assert case_in(Status.WITHDRAWN).result == Result.R6_3


def test_transfer_concludes_here_and_registers_there(case_in, tree):
    """转办: this case is （四）1; the responsible agency gets a new linked case."""
    app = case_in(Status.TRANSFERRED)
    assert app.result == Result.R4_1
    new = app.transfers.get()
    assert new.agency == tree.dept_b
    assert new.received_on == d(13)
    assert new.registration_number == "2026-0001"
    assert new.id_number == app.id_number


def test_per_application_fee_counts_the_month(tree, staff):
    """按件: the 11th application of one applicant in a month costs 100 元; the first is free."""
    applicant = person()
    apps = [
        make_application(tree.dept_a, staff["handler_a"], received_on=d(10), applicant=applicant)
        for _ in range(11)
    ]
    with pytest.raises(ValidationError):
        s.fee_notice_send(
            by=staff["handler_a"],
            application=apps[0],
            basis=FeeBasis.PER_APPLICATION,
            sent_on=d(11),
        )
    notice = s.fee_notice_send(
        by=staff["handler_a"], application=apps[10], basis=FeeBasis.PER_APPLICATION, sent_on=d(11)
    )
    assert (notice.quantity, notice.amount) == (11, 100)


def test_correcting_event_fixes_the_date_without_editing_history(tree, staff):
    """A wrong correction-received date is fixed by a CORRECTION entry; deadlines follow."""
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    s.application_request_correction(
        by=h, application=app, on=d(11), period_ends_on=d(27), content="请写明文号"
    )
    app = s.application_receive_correction(by=h, application=app, on=d(24))
    wrong = app.events.get(kind=EventKind.CORRECTION_RECEIVED)
    s.event_correct(by=h, application=app, event=wrong, changes={"on": d(25)}, reason="登记有误")
    app.refresh_from_db()
    wrong.refresh_from_db()
    assert wrong.on == d(24)  # history unchanged
    assert app.corrected_on == d(25)
    assert app.reply_due_on == _workdays_after(d(25), 20)
    with pytest.raises(EventImmutableError):
        wrong.save()
    with pytest.raises(EventImmutableError):
        ApplicationEvent.objects.filter(pk=wrong.pk).update(on=d(1))


def test_correction_notice_only_once(tree, staff):
    """第三十条: the correction notice is given once."""
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    s.application_request_correction(
        by=h, application=app, on=d(11), period_ends_on=d(27), content="一"
    )
    s.application_receive_correction(by=h, application=app, on=d(24))
    with pytest.raises(ValidationError):
        s.application_request_correction(
            by=h, application=app, on=d(25), period_ends_on=d(28), content="二"
        )


def test_extension_refused_after_the_deadline(tree, staff):
    """An extension approved after the reply limit expired is refused."""
    app = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    with pytest.raises(ValidationError):
        s.application_approve_extension(
            by=staff["head_a"], application=app, on=d(17, 3), days=5, reason="晚了"
        )


def test_applicant_validation(tree, staff):
    """A wrong ID check digit and an invalid credit code are refused; other documents pass."""
    with pytest.raises(ValidationError):
        make_application(
            tree.dept_a, staff["handler_a"], applicant=person(id_number="110105194912310021")
        )
    with pytest.raises(ValidationError):
        make_application(
            tree.dept_a,
            staff["handler_a"],
            applicant=s.ApplicantData(
                applicant_type=ApplicantType.BUSINESS,
                name="某公司",
                credit_code="91110000000000000X",
                phone=PHONE,
            ),
        )
    app = make_application(
        tree.dept_a,
        staff["handler_a"],
        applicant=person(id_document_type="PASSPORT", id_number="E12345678"),
    )
    assert app.id_number == "E12345678"


def test_recompute_after_calendar_change_audits_changed_dates(tree, staff):
    """Recomputing on a different calendar changes and audits the due date; no change, no entry."""
    from gongkai.workcalendar.calendar import WorkCalendar

    app = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    assert s.application_recompute_deadlines(application=app, reason="无变化") == {}
    weekdays_only = WorkCalendar(known_years=[], overrides=[])
    changes = s.application_recompute_deadlines(
        application=app, reason="日历调整", calendar=weekdays_only
    )
    app.refresh_from_db()
    assert "reply_due_on" in changes
    assert app.reply_due_on == weekdays_only.add_working_days(d(10), 20).date
    assert app.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).count() == 1
    assert AuditEvent.objects.filter(action="application.recompute_deadlines").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registration_numbers_gapless_under_concurrent_writers(tree, staff):
    """Eight threads registering at once get serials 1..N with no gap and no duplicate."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(6):
                make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
        except BaseException as exc:  # noqa: BLE001 - surfaced in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    serials = sorted(
        Application.objects.filter(agency=tree.dept_a).values_list("registration_serial", flat=True)
    )
    assert serials == list(range(1, 49))


def test_calendar_change_signal_recomputes_open_cases(tree, staff, monkeypatch):
    """calendar_changed makes every open case recompute; the CLI shows progress."""
    from io import StringIO

    from django.core.management import call_command

    from gongkai.applications import deadlines
    from gongkai.workcalendar.calendar import WorkCalendar
    from gongkai.workcalendar.signals import calendar_changed

    open_case = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    weekdays_only = WorkCalendar(known_years=[], overrides=[])
    monkeypatch.setattr(deadlines, "get_calendar", lambda: weekdays_only)
    calendar_changed.send(sender=None, year=2026)
    open_case.refresh_from_db()
    assert open_case.reply_due_on == weekdays_only.add_working_days(d(10), 20).date
    out = StringIO()
    call_command("applications", "recompute-deadlines", stdout=out)
    assert "1/1" in out.getvalue()
