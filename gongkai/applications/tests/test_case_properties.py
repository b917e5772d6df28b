"""Property tests: random sequences of events with random dates (decisions 1601–1603).

1. Through the services (database): every step either is refused with nothing saved, or leaves
   a case whose dates satisfy the invariants, whose reply limit is never earlier than the law's
   (20 working days after receipt), and whose table 三 row is backed by its events.
2. On the log alone (no database, many more sequences): whenever the invariants hold, the clock
   sees the events in a lawful order (no "before receipt" or "receipt before arrival" warning)
   and its reply limit is never earlier than the law's.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications import services as s
from gongkai.applications.choices import (
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    EventKind,
    FeeBasis,
    Result,
)
from gongkai.applications.dates import violations
from gongkai.applications.deadlines import clock_events
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.results import EVIDENCED, result_evidence_error
from gongkai.applications.tests.factories import make_application
from gongkai.workcalendar.clock import WarningCode, compute_deadlines
from gongkai.workcalendar.selectors import get_calendar

START = dt.date(2026, 3, 2)
STEPS = [
    "request_correction",
    "receive_correction",
    "consultation",
    "answer",
    "extension",
    "fee",
    "pay",
    "draft",
    "reply",
    "deliver",
    "withdraw",
]
ORDER_WARNINGS = {WarningCode.EVENT_BEFORE_RECEIPT, WarningCode.RECEIPT_BEFORE_ARRIVAL}


def _step(name: str, app: Application, staff: dict[str, Any], on: dt.date, n: int) -> None:
    h, head = staff["handler_a"], staff["head_a"]
    if name == "request_correction":
        s.application_request_correction(
            by=h,
            application=app,
            on=on,
            period_ends_on=on + dt.timedelta(days=10),
            content="请写明文号",
            late=n % 2 == 0,
        )
    elif name == "receive_correction":
        s.application_receive_correction(by=h, application=app, on=on)
    elif name == "consultation":
        s.consultation_send(
            by=h,
            application=app,
            party=ConsultationParty.THIRD_PARTY,
            party_name="某公司",
            sent_on=on,
            delivered_on=on + dt.timedelta(days=n % 3 - 1),
        )
    elif name == "answer":
        open_ = app.consultations.filter(answered_on__isnull=True).first()
        if open_ is not None:
            s.consultation_answer(
                by=h, consultation=open_, answered_on=on, outcome=ConsultationOutcome.AGREED
            )
    elif name == "extension":
        s.application_approve_extension(
            by=head, application=app, on=on, days=1 + n % 20, reason="材料多"
        )
    elif name == "fee":
        s.fee_notice_send(
            by=h,
            application=app,
            basis=FeeBasis.PER_PAGE,
            pages=100,
            sent_on=on,
            received_on=on + dt.timedelta(days=n % 3 - 1),
            late=n % 2 == 0,
        )
    elif name == "pay":
        s.fee_pay(by=h, application=app, paid_on=on)
    elif name == "draft":
        result = [Result.R1_OPEN, Result.R6_1, Result.R6_2, Result.R4_3, Result.R3_4][n % 5]
        s.application_draft_reply(
            by=h, application=app, decisions=[s.ItemDecision("某文件", result)]
        )
    elif name == "reply":
        s.application_submit_for_review(by=h, application=app)
        s.application_review(
            by=staff["reviewer_a"],
            application=app,
            approve=True,
            confidentiality_checked=True,
            legal_checked=True,
            on=on,
        )
        s.application_approve(by=head, application=app, approve=True, on=on)
    elif name == "deliver":
        s.application_record_delivery(
            by=h, application=app, method=DeliveryMethod.POST, delivered_on=on
        )
    elif name == "withdraw":
        s.application_withdraw(by=h, application=app, on=on)


def _state(app: Application) -> tuple[Any, ...]:
    app = Application.objects.get(pk=app.pk)
    return (app.status, app.result, app.events.count(), app.fee_notices.count())


events = st.lists(
    st.tuples(st.sampled_from(STEPS), st.integers(-5, 75), st.integers(0, 9)),
    min_size=1,
    max_size=7,
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(arrival=st.integers(0, 20), steps=events)
def test_service_sequences_are_refused_whole_or_keep_the_invariants(
    tree, staff, today, arrival, steps
):
    today["d"] = START + dt.timedelta(days=60)
    app = make_application(
        tree.dept_a, staff["handler_a"], received_on=START + dt.timedelta(days=arrival)
    )
    law = get_calendar().add_working_days(app.received_on, 20).date
    for name, offset, n in steps:
        before = _state(app)
        try:
            _step(name, app, staff, app.received_on + dt.timedelta(days=offset), n)
        except ValidationError:
            if name != "reply":  # "reply" is three steps; each one is checked on its own
                assert _state(app) == before, name
        app = Application.objects.get(pk=app.pk)
        assert violations(app) == [], name
        if app.reply_due_on is not None and not app.replied_on_the_spot:
            assert app.reply_due_on >= law
        if app.result in EVIDENCED:
            assert result_evidence_error(app, app.result, on=app.closed_on) is None


# -- the log alone -------------------------------------------------------------------------

_pk = itertools.count(1)
PURE_KINDS = [
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_SENT,
    EventKind.CONSULTATION_ANSWERED,
    EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.FEE_PAID,
    EventKind.APPROVAL_APPROVED,
    EventKind.DELIVERED,
]


def _event(seq: int, kind: str, on: dt.date, payload: dict[str, Any]) -> ApplicationEvent:
    return ApplicationEvent(pk=next(_pk), seq=seq, kind=kind, on=on, payload=payload)


def _payload(kind: str, on: dt.date, n: int) -> dict[str, Any]:
    if kind == EventKind.CORRECTION_REQUESTED:
        return {"period_ends_on": (on + dt.timedelta(days=10)).isoformat(), "late": n % 4 == 0}
    if kind in (EventKind.CONSULTATION_SENT, EventKind.CONSULTATION_ANSWERED):
        out: dict[str, Any] = {"consultation": 1, "party": ConsultationParty.THIRD_PARTY}
        if kind == EventKind.CONSULTATION_SENT:
            out["delivered_on"] = (on + dt.timedelta(days=n % 3 - 1)).isoformat()
        return out
    if kind == EventKind.EXTENSION_APPROVED:
        return {"days": 1 + n % 20}
    if kind == EventKind.FEE_NOTICE_SENT:
        return {"received_on": (on + dt.timedelta(days=n % 3 - 1)).isoformat()}
    return {}


@pytest.mark.django_db
@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    arrival=st.integers(0, 300),
    confirm=st.integers(-3, 3),
    steps=st.lists(
        st.tuples(st.sampled_from(PURE_KINDS), st.integers(-10, 80), st.integers(0, 9)),
        max_size=8,
    ),
)
def test_lawful_logs_give_the_clock_a_lawful_order(arrival, confirm, steps):
    calendar = get_calendar()
    arrived = dt.date(2025, 1, 1) + dt.timedelta(days=arrival)
    confirmed = arrived + dt.timedelta(days=confirm)
    today = dt.date(2026, 6, 30)
    rows = [
        _event(
            1,
            EventKind.REGISTERED,
            arrived,
            {
                "channel": Channel.EMAIL,
                "arrived_on": arrived.isoformat(),
                "confirmed_on": confirmed.isoformat(),
            },
        )
    ]
    for seq, (kind, offset, n) in enumerate(steps, 2):
        on = confirmed + dt.timedelta(days=offset)
        rows.append(_event(seq, kind, on, _payload(kind, on, n)))
    app = Application(received_on=confirmed)
    found = violations(app, rows, today=today)
    result = compute_deadlines(clock_events(rows), calendar, today=today, explain=False)
    if confirmed < arrived:
        assert found  # 第三十一条: no confirmation before the arrival
    if found:
        return
    assert not {w.code for w in result.warnings} & ORDER_WARNINGS
    law = calendar.add_working_days(confirmed, 20).date
    if result.reply is not None and result.reply.due is not None:
        assert result.reply.due >= law
