"""Fixtures: cases brought into every status through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.applications import services as s
from gongkai.applications.choices import (
    ConsultationParty,
    DeliveryMethod,
    FeeBasis,
    Result,
    Status,
)
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_application

RECEIVED = dt.date(2026, 2, 10)


def d(day: int, month: int = 2) -> dt.date:
    """A date in 2026."""
    return dt.date(2026, month, day)


def _registered(tree: Any, staff: dict[str, Any]) -> Application:
    return make_application(tree.dept_a, staff["handler_a"], received_on=RECEIVED)


def _drafted(tree: Any, staff: dict[str, Any]) -> Application:
    app = _registered(tree, staff)
    return s.application_draft_reply(
        by=staff["handler_a"],
        application=app,
        decisions=[s.ItemDecision(description="处罚决定书", decision=Result.R1_OPEN)],
    )


def _in_review(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_submit_for_review(by=staff["handler_a"], application=_drafted(tree, staff))


def _in_approval(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_review(
        by=staff["reviewer_a"],
        application=_in_review(tree, staff),
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
        on=d(12),
    )


def _approved(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_approve(
        by=staff["head_a"], application=_in_approval(tree, staff), approve=True, on=d(12)
    )


def _replied(tree: Any, staff: dict[str, Any]) -> Application:
    app = _approved(tree, staff)
    s.application_record_delivery(
        by=staff["handler_a"], application=app, method=DeliveryMethod.POST, delivered_on=d(10, 3)
    )
    return Application.objects.get(pk=app.pk)


def _awaiting_correction(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_request_correction(
        by=staff["handler_a"],
        application=_drafted(tree, staff),
        on=d(11),
        period_ends_on=d(25),
        content="请明确所需信息的文号",
    )


def _consulting(tree: Any, staff: dict[str, Any]) -> Application:
    app = _drafted(tree, staff)
    s.consultation_send(
        by=staff["handler_a"],
        application=app,
        party=ConsultationParty.THIRD_PARTY,
        party_name="某有限公司",
        sent_on=d(12),
    )
    return Application.objects.get(pk=app.pk)


def _awaiting_fee(tree: Any, staff: dict[str, Any]) -> Application:
    app = _drafted(tree, staff)
    s.fee_notice_send(
        by=staff["handler_a"], application=app, basis=FeeBasis.PER_PAGE, sent_on=d(12), pages=100
    )
    return Application.objects.get(pk=app.pk)


def _abandoned(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_expire_correction(
        by=staff["handler_a"], application=_awaiting_correction(tree, staff), on=d(26)
    )


def _withdrawn(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_withdraw(
        by=staff["handler_a"], application=_drafted(tree, staff), on=d(20)
    )


def _transferred(tree: Any, staff: dict[str, Any]) -> Application:
    app = _drafted(tree, staff)
    s.application_transfer(
        by=staff["handler_a"], application=app, to_agency=tree.dept_b, on=d(13), reason="乙局制作"
    )
    return Application.objects.get(pk=app.pk)


def _closed(tree: Any, staff: dict[str, Any]) -> Application:
    return s.application_close(
        by=staff["handler_a"], application=_replied(tree, staff), on=d(11, 3)
    )


BUILDERS: dict[str, Callable[[Any, dict[str, Any]], Application]] = {
    Status.HANDLING: _drafted,
    Status.AWAITING_CORRECTION: _awaiting_correction,
    Status.CONSULTING: _consulting,
    Status.AWAITING_FEE: _awaiting_fee,
    Status.IN_REVIEW: _in_review,
    Status.IN_APPROVAL: _in_approval,
    Status.APPROVED: _approved,
    Status.REPLIED: _replied,
    Status.ABANDONED: _abandoned,
    Status.WITHDRAWN: _withdrawn,
    Status.TRANSFERRED: _transferred,
    Status.CLOSED: _closed,
}


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.date]:
    """Pin "today" (``timezone.localdate``); change ``today["d"]`` to move the clock on."""
    from django.utils import timezone

    box = {"d": RECEIVED}
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: box["d"])
    return box


@pytest.fixture
def case_in(tree: Any, staff: dict[str, Any]) -> Callable[[str], Application]:
    """Return a function that builds a case of department A in the given status."""

    def build(status: str) -> Application:
        app = BUILDERS[status](tree, staff)
        assert app.status == status
        return app

    return build
