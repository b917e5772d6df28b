"""第三十三条第二款: the extension as the handler's request, the head's decision, the notice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.choices import EventKind
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import make_application
from gongkai.applications.workflow import may

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _case(tree, staff, today):
    app = make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    today["d"] = d(2, 3)
    return app


def test_handler_requests_head_approves_with_the_requested_days(tree, staff, today):
    h, head = staff["handler_a"], staff["head_a"]
    app = _case(tree, staff, today)
    due = app.reply_due_on
    assert not may(h, "approve_extension", app)  # the handler cannot extend by himself
    with pytest.raises(ValidationError):
        s.extension_request(by=h, application=app, days=10, reason=" ")
    app = s.extension_request(by=h, application=app, days=10, reason="涉及档案调取", on=d(2, 3))
    assert s.pending_extension_request(app).payload == {"days": 10, "reason": "涉及档案调取"}
    assert app.reply_due_on == due  # a request changes nothing yet
    with pytest.raises(ValidationError):  # one pending request at a time
        s.extension_request(by=h, application=app, days=5, reason="再申请")
    with pytest.raises(ValidationError) as info:  # the decision cannot precede the request
        s.application_approve_extension(
            by=head, application=app, on=d(27), days=10, reason="涉及档案调取"
        )
    assert "早于经办人提出延期申请" in str(info.value)
    app = s.application_approve_extension(
        by=head, application=app, on=d(2, 3), days=10, reason="涉及档案调取"
    )
    assert app.extension_days == 10 and app.reply_due_on > due
    assert s.pending_extension_request(app) is None


def test_head_refuses_and_the_limit_stays(tree, staff, today):
    h, head = staff["handler_a"], staff["head_a"]
    app = _case(tree, staff, today)
    due = app.reply_due_on
    assert not may(head, "refuse_extension", app)  # nothing to refuse
    app = s.extension_request(by=h, application=app, days=20, reason="材料多")
    app = s.extension_refuse(by=head, application=app, opinion="可在期限内办结")
    assert app.extension_days == 0 and app.reply_due_on == due
    assert s.pending_extension_request(app) is None
    assert app.events.filter(kind=EventKind.EXTENSION_REFUSED).count() == 1


def test_head_approval_cannot_lie_in_the_future(tree, staff, today):
    app = _case(tree, staff, today)
    with pytest.raises(ValidationError) as info:
        s.application_approve_extension(
            by=staff["head_a"], application=app, on=d(3, 3), days=5, reason="材料多"
        )
    assert "晚于今天" in str(info.value)
    app.refresh_from_db()
    assert app.extension_days == 0


def test_office_pages_request_then_approve(tree, staff, today):
    h, head = staff["handler_a"], staff["head_a"]
    app = _case(tree, staff, today)
    response = _client(h).post(
        reverse("applications:step", args=[app.pk, "request_extension"]),
        {"days": "10", "reason": "涉及档案调取"},
    )
    assert response.status_code == 302
    page = _client(head).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "申请延期答复10个工作日" in page
    url = reverse("applications:step", args=[app.pk, "approve_extension"])
    form = _client(head).get(url).content.decode()
    assert 'value="10"' in form and "涉及档案调取" in form
    response = _client(head).post(url, {"on": "2026-03-03", "days": "10", "reason": "涉及档案调取"})
    assert response.status_code == 200 and "晚于今天" in response.content.decode()
    app.refresh_from_db()
    assert app.extension_days == 0
    response = _client(head).post(url, {"on": "2026-03-02", "days": "10", "reason": "涉及档案调取"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.extension_days == 10


def test_extension_notice_must_precede_the_original_limit(tree, staff, today):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue

    h, head = staff["handler_a"], staff["head_a"]
    app = _case(tree, staff, today)
    original = app.reply_due_on
    app = s.application_approve_extension(
        by=head, application=app, on=d(2, 3), days=10, reason="材料多"
    )
    notice = s.extension_notice(app)
    assert (notice.state, notice.original_due) == ("pending", original)
    page = _client(h).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "尚未发出延期答复告知书" in page
    today["d"] = d(17, 3)  # the day after the original limit (2026-03-16)
    notice = s.extension_notice(app)
    assert notice.state == "missing" and notice.is_problem
    today["d"] = d(3, 3)
    letter_issue(application=app, kind=LetterKind.EXTENSION, by=h, issued_on=d(3, 3))
    notice = s.extension_notice(app, today=d(20, 3))
    assert (notice.state, notice.sent_on) == ("sent", d(3, 3))
    page = _client(h).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "延期答复告知书已于2026年03月03日发出" in page


def test_extension_notice_after_the_original_limit_is_shown_late(tree, staff, today):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue

    h = staff["handler_a"]
    app = _case(tree, staff, today)
    app = s.application_approve_extension(
        by=staff["head_a"], application=app, on=d(2, 3), days=10, reason="材料多"
    )
    today["d"] = d(18, 3)
    letter_issue(application=app, kind=LetterKind.EXTENSION, by=h, issued_on=d(18, 3))
    notice = s.extension_notice(app)
    assert notice.state == "late" and "晚于原答复期限" in notice.message
