"""The applicant's buttons agree with the transition table: shown exactly when the step succeeds.

The withdraw button used to be offered from a list of its own that omitted 待送达 (APPROVED),
although the table allows withdrawal from every open status; both now come from the workflow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications import services
from gongkai.applications.choices import Status
from gongkai.applications.tests.conftest import BUILDERS
from gongkai.applications.workflow import TRANSITIONS
from gongkai.portal.access import make_code_hash, new_code
from gongkai.portal.models import CaseAccess
from gongkai.portal.selectors import case_json, case_view

pytestmark = pytest.mark.django_db


def _view(app):
    salt, digest = make_code_hash(new_code())
    access = CaseAccess.objects.create(application=app, code_salt=salt, code_hash=digest)
    return case_view(access, today=dt.date(2026, 3, 20))


@pytest.mark.parametrize("status", Status.values)
def test_withdraw_is_offered_exactly_where_it_succeeds(status, tree, staff):
    """Offered from every open status (待送达 included) and nowhere else; the step agrees."""
    app = BUILDERS[status](tree, staff)
    offered = _view(app).can_withdraw
    assert offered == (status in TRANSITIONS["withdraw"].sources)
    if offered:
        done = services.applicant_withdraw(application=app, reason="不再需要")
        assert done.status == Status.WITHDRAWN
    else:
        with pytest.raises(ValidationError):
            services.applicant_withdraw(application=app, reason="不再需要")


def test_withdraw_is_offered_while_the_reply_awaits_delivery(tree, staff):
    """The drift that was fixed: a case whose reply is approved but not delivered (APPROVED)."""
    view = _view(BUILDERS[Status.APPROVED](tree, staff))
    assert view.can_withdraw
    assert case_json(view)["actions"]["withdraw"] is True  # the JSON API says the same


@pytest.mark.parametrize("status", Status.values)
def test_correction_and_payment_buttons_follow_the_table(status, tree, staff):
    """补正 is offered only while awaiting a correction, the payment proof while awaiting a fee."""
    view = _view(BUILDERS[status](tree, staff))
    assert view.can_correct == (status in TRANSITIONS["receive_correction"].sources)
    assert view.can_pay == (status in TRANSITIONS["pay_fee"].sources)
