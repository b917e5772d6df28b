"""The workflow kernel: ``may`` answers exactly what ``perform`` checks; one transaction; actors.

Run against the applications workflow (the richest table) and the catalogue's.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction

from gongkai.applications.choices import EventKind, Status
from gongkai.applications.tests.conftest import BUILDERS
from gongkai.applications.workflow import APPLICANT, TRANSITIONS, WORKFLOW
from gongkai.catalog.choices import ItemStatus
from gongkai.catalog.tests.factories import make_item
from gongkai.catalog.workflow import WORKFLOW as CATALOG
from gongkai.core.actors import SYSTEM
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import StepRefused, Transition, allowed_steps, may

pytestmark = pytest.mark.django_db
WHO = ["handler_a", "reviewer_a", "head_a", "auditor_a", "handler_b"]


class Rollback(Exception):
    """Undo a trial step."""


def _performs(obj, name, by) -> bool:
    """Take step ``name`` with an empty body, then roll it back; True if the kernel allowed it."""
    try:
        with transaction.atomic(), WORKFLOW.perform(obj, name, by=by) as step:
            if step.transition.choices:
                step.set_status(sorted(step.transition.choices)[0])
            raise Rollback
    except Rollback:
        return True
    except (PermissionDenied, StepRefused):
        return False


@pytest.mark.parametrize("status", Status.values)
def test_may_predicts_perform_for_every_actor_and_step(status, tree, staff):
    """For each status, actor and step: ``may`` is True exactly when ``perform`` passes."""
    app = BUILDERS[status](tree, staff)
    events = app.events.count()
    audits = AuditEvent.objects.count()
    actors = [staff[w] for w in WHO] + [APPLICANT, SYSTEM]
    for actor in actors:
        allowed = allowed_steps(actor, app)
        for name in TRANSITIONS:
            if name == "register":
                continue
            assert (name in allowed) == _performs(app, name, actor), (status, str(actor), name)
    assert app.events.count() == events and AuditEvent.objects.count() == audits


def test_permission_is_checked_before_the_status(tree, staff):
    """A person without the role learns nothing about the status: PermissionDenied first."""
    app = BUILDERS[Status.HANDLING](tree, staff)
    with (
        pytest.raises(PermissionDenied),
        WORKFLOW.perform(app, "approve_reply", by=staff["handler_a"]),
    ):
        pass
    with (
        pytest.raises(StepRefused) as refused,
        WORKFLOW.perform(app, "approve_reply", by=staff["head_a"]),
    ):
        pass
    assert "办理中" in refused.value.messages[0] and "批准答复" in refused.value.messages[0]


def test_a_failing_body_leaves_no_event_status_or_audit(tree, staff):
    """The step, its event and its audit entry exist together or not at all."""
    app = BUILDERS[Status.HANDLING](tree, staff)
    audits = AuditEvent.objects.count()
    with (
        pytest.raises(ValidationError),
        WORKFLOW.perform(app, "request_correction", by=staff["handler_a"]) as step,
    ):
        step.record(EventKind.CORRECTION_REQUESTED)
        raise ValidationError("输入有误")
    app.refresh_from_db()
    assert app.status == Status.HANDLING
    assert not app.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists()
    assert AuditEvent.objects.count() == audits


def test_a_step_sets_its_target_records_and_audits_once(tree, staff):
    """The target status is set, the event appended once, one audit entry with the change."""
    item = make_item(tree.dept_a, by=staff["handler_a"])
    with CATALOG.perform(item, "submit", by=staff["handler_a"]) as step:
        step.record("SUBMITTED")
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW
    assert [e.kind for e in item.events.all()].count("SUBMITTED") == 1
    entry = AuditEvent.objects.filter(action="catalog.submit").get()
    assert entry.before == {"status": "DRAFT"} and entry.after == {"status": "IN_REVIEW"}
    assert entry.role == "HANDLER" and entry.actor_id == staff["handler_a"].pk


def test_a_target_outside_the_table_is_refused(tree, staff):
    """A step may only lead where the table says."""
    item = make_item(tree.dept_a, by=staff["handler_a"])
    with pytest.raises(StepRefused), CATALOG.perform(item, "submit", by=staff["handler_a"]) as step:
        step.set_status(ItemStatus.PUBLISHED)


def test_system_actors_only_where_named(tree, staff):
    """SYSTEM may publish the catalogue but not handle a case; the applicant only its steps."""
    app = BUILDERS[Status.AWAITING_CORRECTION](tree, staff)
    assert may(APPLICANT, "receive_correction", app) and may(APPLICANT, "withdraw", app)
    assert not may(APPLICANT, "expire_correction", app)
    assert not any(may(SYSTEM, name, app) for name in TRANSITIONS)
    assert may(SYSTEM, CATALOG["submit"], make_item(tree.dept_a))


def test_authorised_by_must_be_a_step_in_progress(tree, staff):
    """A sub-step borrows the permission of a step being performed, and of nothing else."""
    app = BUILDERS[Status.HANDLING](tree, staff)
    with CATALOG.perform(make_item(tree.dept_a), "submit", by=SYSTEM) as done:
        pass
    with (
        pytest.raises(ImproperlyConfigured),
        WORKFLOW.perform(app, "assign", by=staff["handler_b"], authorised_by=done),
    ):
        pass


def test_a_transition_needs_a_permission_action():
    """Declaring a step without an action is a configuration error."""
    with pytest.raises(ImproperlyConfigured):
        Transition("x", "x", frozenset())
