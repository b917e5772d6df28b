"""The case page and the JSON API refuse the same steps alike: one service (``portal.casework``).

Each case is sent once through each channel; the API's code is compared with the service's own
refusal, and the page shows the same message (or, for input errors, the same field).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.api.tests.test_api import post
from gongkai.applications import services as office
from gongkai.applications.choices import Status
from gongkai.applications.models import Application
from gongkai.portal import casework
from gongkai.portal.models import CaseAccess
from gongkai.portal.submission import Refused
from gongkai.portal.tests.test_access import apply

pytestmark = pytest.mark.django_db

WRONG = "AAAA-BBBB-CCCC"


def _refusal(step, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        step(source="192.0.2.9", **kwargs)
    return caught.value


def test_a_wrong_code_is_not_found_on_both_channels(tree):
    """A wrong code: ``not_found`` from the service, the API (404) and on the follow page."""
    _client, number, _code, _uid = apply(tree.dept_a)
    refused = _refusal(casework.open_case, number=number, code=WRONG)
    api = post("/api/applications/lookup", {"registration_number": number, "access_code": WRONG})
    page = Client().post(
        reverse("apply:follow"), {"registration_number": number, "access_code": WRONG}
    )
    assert refused.code == api.json()["code"] == "not_found" and api.status_code == 404
    assert api.json()["message"] == refused.message
    assert page.status_code == 400 and refused.message in page.content.decode()


def test_a_blank_code_is_invalid_on_both_channels(tree):
    """A blank code: ``invalid`` with the field named, by the service, the API and the page."""
    _client, number, _code, _uid = apply(tree.dept_a)
    refused = _refusal(casework.open_case, number=number, code=" ")
    api = post("/api/applications/lookup", {"registration_number": number, "access_code": " "})
    page = Client().post(
        reverse("apply:follow"), {"registration_number": number, "access_code": ""}
    )
    assert refused.code == api.json()["code"] == "invalid" and list(refused.errors) == [
        "access_code"
    ]
    assert api.status_code == 400 and list(api.json()["errors"]) == ["access_code"]
    assert page.status_code == 400 and 'id="id_access_code_error"' in page.content.decode()


def test_a_step_the_status_forbids_is_not_allowed_on_both_channels(tree):
    """补正 while none is due, and a second withdrawal: ``not_allowed``, the same message."""
    client, number, code, uid = apply(tree.dept_a)
    creds = {"registration_number": number, "access_code": code}
    access = CaseAccess.objects.get(uid=uid)
    refused = _refusal(casework.correct, access=access, text="文号见附件", files=[])
    api = post("/api/applications/correction", {**creds, "correction": "文号见附件"})
    page = client.post(reverse("apply:correct", args=[uid]), {"correction": "文号见附件"})
    assert refused.code == api.json()["code"] == "not_allowed" and api.status_code == 409
    assert api.json()["message"] == refused.message
    assert page.status_code == 400 and refused.message in page.content.decode()

    done = post("/api/applications/withdraw", creds)
    assert done.json()["status"] == Status.WITHDRAWN
    refused = _refusal(casework.withdraw, access=access, reason="")
    api = post("/api/applications/withdraw", creds)
    page = client.post(reverse("apply:withdraw", args=[uid]), {"confirm": "on"})
    assert refused.code == api.json()["code"] == "not_allowed" and api.status_code == 409
    assert api.json()["message"] == refused.message
    assert page.status_code == 400 and refused.message in page.content.decode()


def test_a_blank_correction_is_invalid_on_both_channels(tree, staff):
    """A 补正 is due but the text is blank: ``invalid`` on the correction field everywhere."""
    client, number, code, uid = apply(tree.dept_a)
    today = timezone.localdate()
    office.application_request_correction(
        by=staff["handler_a"],
        application=Application.objects.get(),
        on=today,
        period_ends_on=today + dt.timedelta(days=15),
        content="请补充文号",
    )
    creds = {"registration_number": number, "access_code": code}
    refused = _refusal(casework.correct, access=CaseAccess.objects.get(uid=uid), text="", files=[])
    api = post("/api/applications/correction", {**creds, "correction": ""})
    page = client.post(reverse("apply:correct", args=[uid]), {"correction": ""})
    assert refused.code == api.json()["code"] == "invalid" and "correction" in refused.errors
    assert (
        api.status_code == 400
        and api.json()["errors"]["correction"] == refused.errors["correction"]
    )
    assert page.status_code == 400 and 'id="id_correction_error"' in page.content.decode()
    assert Application.objects.get().status == Status.AWAITING_CORRECTION


def test_one_action_limit_for_both_channels(tree, settings):
    """Steps from one address count against one ``action_ip`` limit, whichever channel sends
    them; over it both answer ``rate_limited`` (429, Retry-After) and nothing changes."""
    settings.PORTAL_RATE_LIMITS = {"action_ip": (2, 600)}
    client, number, code, uid = apply(tree.dept_a)
    creds = {"registration_number": number, "access_code": code}
    assert client.post(reverse("apply:withdraw", args=[uid]), {}).status_code == 400
    assert post("/api/applications/withdraw", {**creds, "reason": 1}).status_code == 400
    page = client.post(reverse("apply:withdraw", args=[uid]), {"confirm": "on"})
    api = post("/api/applications/withdraw", creds)
    assert api.status_code == page.status_code == 429 and api.json()["code"] == "rate_limited"
    assert int(page["Retry-After"]) > 0 and int(api["Retry-After"]) > 0
    assert api.json()["message"][:8] in page.content.decode()  # "操作过于频繁，请…"
    assert Application.objects.get().status == Status.HANDLING
