"""Every transition is allowed exactly from the statuses the table lists, and only for its roles."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import services as s
from gongkai.applications.choices import (
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    FeeBasis,
    Result,
    Status,
)
from gongkai.applications.models import Application, Consultation
from gongkai.applications.tests.conftest import d
from gongkai.applications.workflow import TRANSITIONS

Action = Callable[[Application, Any, dict[str, Any]], Any]

#: What ``application_record_letter`` reads from an issued letter.
LETTER = SimpleNamespace(
    pk=1,
    number="测试依告〔2026〕1号",
    kind="REPLY",
    template_code="reply_r1_open",
    title="政府信息公开申请答复书",
    issued_on=d(12),
)


def _consultation(app: Application) -> Consultation:
    existing = app.consultations.filter(answered_on__isnull=True).first()
    if existing:
        return existing
    # A record to aim at; the service refuses on the case's status before looking at it.
    return Consultation.objects.create(
        application=app, party=ConsultationParty.AGENCY, party_name="乙局", sent_on=d(12)
    )


def _objection(app: Application) -> Consultation:
    """A third party that objected to disclosure (第三十二条), to aim the notice at."""
    return Consultation.objects.create(
        application=app,
        party=ConsultationParty.THIRD_PARTY,
        party_name="某公司",
        sent_on=d(11),
        answered_on=d(12),
        outcome=ConsultationOutcome.OBJECTED,
    )


def _request_extension(app: Application, staff: dict[str, Any]) -> Application:
    if s.pending_extension_request(app) is not None:
        return app
    return s.extension_request(
        by=staff["handler_a"], application=app, days=10, reason="材料多", on=d(12)
    )


ACTIONS: dict[str, tuple[str, Action]] = {
    "request_extension": (
        "handler_a",
        lambda a, t, st: s.extension_request(
            by=st["handler_a"], application=a, days=10, reason="材料多", on=d(12)
        ),
    ),
    "refuse_extension": (
        "head_a",
        lambda a, t, st: s.extension_refuse(
            by=st["head_a"], application=_request_extension(a, st), opinion="理由不足", on=d(12)
        ),
    ),
    "notify_third_party": (
        "handler_a",
        lambda a, t, st: s.third_party_notify(
            by=st["handler_a"],
            application=a,
            consultation=_objection(a),
            on=d(12),
            reasons="公共利益",
            content="合同",
        ),
    ),
    "assign": (
        "head_a",
        lambda a, t, st: s.application_assign(
            by=st["head_a"], application=a, handler=st["handler_a"]
        ),
    ),
    "request_correction": (
        "handler_a",
        lambda a, t, st: s.application_request_correction(
            by=st["handler_a"], application=a, on=d(11), period_ends_on=d(25), content="补正事项"
        ),
    ),
    "receive_correction": (
        "handler_a",
        lambda a, t, st: s.application_receive_correction(
            by=st["handler_a"], application=a, on=d(24)
        ),
    ),
    "expire_correction": (
        "handler_a",
        lambda a, t, st: s.application_expire_correction(
            by=st["handler_a"], application=a, on=d(30, 4)
        ),
    ),
    "send_consultation": (
        "handler_a",
        lambda a, t, st: s.consultation_send(
            by=st["handler_a"],
            application=a,
            party=ConsultationParty.AGENCY,
            party_name="乙局",
            sent_on=d(12),
        ),
    ),
    "answer_consultation": (
        "handler_a",
        lambda a, t, st: s.consultation_answer(
            by=st["handler_a"],
            consultation=_consultation(a),
            answered_on=d(20),
            outcome=ConsultationOutcome.AGREED,
        ),
    ),
    "approve_extension": (
        "head_a",
        lambda a, t, st: s.application_approve_extension(
            by=st["head_a"], application=a, on=d(12), days=10, reason="信息量大"
        ),
    ),
    "set_longer_deadline": (
        "head_a",
        lambda a, t, st: s.application_set_longer_deadline(
            by=st["head_a"],
            application=a,
            on=d(12),
            due_on=d(30, 4),
            reason="申请数量明显超过合理范围",
        ),
    ),
    "send_fee_notice": (
        "handler_a",
        lambda a, t, st: s.fee_notice_send(
            by=st["handler_a"], application=a, basis=FeeBasis.PER_PAGE, sent_on=d(12), pages=50
        ),
    ),
    "pay_fee": (
        "handler_a",
        lambda a, t, st: s.fee_pay(by=st["handler_a"], application=a, paid_on=d(20)),
    ),
    "expire_fee": (
        "handler_a",
        lambda a, t, st: s.fee_expire(by=st["handler_a"], application=a, on=d(30, 4)),
    ),
    "draft_reply": (
        "handler_a",
        lambda a, t, st: s.application_draft_reply(
            by=st["handler_a"],
            application=a,
            decisions=[s.ItemDecision(description="甲", decision=Result.R3_1)],
        ),
    ),
    "submit_for_review": (
        "handler_a",
        lambda a, t, st: s.application_submit_for_review(by=st["handler_a"], application=a),
    ),
    "approve_review": (
        "reviewer_a",
        lambda a, t, st: s.application_review(
            by=st["reviewer_a"],
            application=a,
            approve=True,
            confidentiality_checked=True,
            legal_checked=True,
        ),
    ),
    "return_review": (
        "reviewer_a",
        lambda a, t, st: s.application_review(
            by=st["reviewer_a"],
            application=a,
            approve=False,
            confidentiality_checked=False,
            legal_checked=False,
            opinion="理由不充分",
        ),
    ),
    "approve_reply": (
        "head_a",
        lambda a, t, st: s.application_approve(by=st["head_a"], application=a, approve=True),
    ),
    "return_approval": (
        "head_a",
        lambda a, t, st: s.application_approve(
            by=st["head_a"], application=a, approve=False, opinion="重新核实"
        ),
    ),
    "record_delivery": (
        "handler_a",
        lambda a, t, st: s.application_record_delivery(
            by=st["handler_a"], application=a, method=DeliveryMethod.EMAIL, delivered_on=d(10, 3)
        ),
    ),
    "transfer": (
        "handler_a",
        lambda a, t, st: s.application_transfer(
            by=st["handler_a"], application=a, to_agency=t.dept_b, on=d(13), reason="乙局制作"
        ),
    ),
    "withdraw": (
        "handler_a",
        lambda a, t, st: s.application_withdraw(by=st["handler_a"], application=a, on=d(20)),
    ),
    "close": (
        "handler_a",
        lambda a, t, st: s.application_close(by=st["handler_a"], application=a),
    ),
    "correct_event": (
        "handler_a",
        lambda a, t, st: s.event_correct(
            by=st["handler_a"],
            application=a,
            event=a.events.get(seq=1),
            changes={"arrived_on": a.arrived_on},
            reason="核对",
        ),
    ),
    "record_appeal": (
        "handler_a",
        lambda a, t, st: s.review_save(
            by=st["handler_a"], application=a, body="测试市人民政府", applied_on=d(1, 4)
        ),
    ),
    "record_letter": (
        "handler_a",
        lambda a, t, st: s.application_record_letter(
            by=st["handler_a"], application=a, letter=LETTER
        ),
    ),
}


def test_every_transition_has_an_action_under_test():
    """The matrix below covers the whole table (register is tested on its own)."""
    assert set(ACTIONS) == set(TRANSITIONS) - {"register"}


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_transition_allowed_exactly_from_listed_statuses(name, status, case_in, tree, staff):
    """A step succeeds from the statuses the table lists and is refused from every other."""
    app = case_in(status)
    _, action = ACTIONS[name]
    transition = TRANSITIONS[name]
    if status in transition.sources:
        action(app, tree, staff)
        app.refresh_from_db()
        if transition.targets:
            assert app.status in transition.targets
        else:
            assert app.status == status
    else:
        before = app.events.count()
        with pytest.raises(ValidationError):
            action(app, tree, staff)
        assert app.events.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_other_roles_are_refused(name, case_in, tree, staff):
    """A step by a role that the action table does not list raises PermissionDenied."""
    transition = TRANSITIONS[name]
    status = sorted(transition.sources)[0]
    app = case_in(status)
    who, action = ACTIONS[name]
    for other in ("auditor_a", "admin_a", "handler_b", "reviewer_a", "head_a", "handler_a"):
        shared = {"assign", "correct_event", "record_appeal", "record_letter"}  # handler, head
        if other == who or (name in shared and other in {"head_a", "handler_a"}):
            continue
        swapped = {**staff, who: staff[other]}
        with pytest.raises(PermissionDenied):
            action(app, tree, swapped)
