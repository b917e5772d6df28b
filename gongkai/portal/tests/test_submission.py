"""One submission path: the form and the API share limits, idempotency and error codes."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.api.tests.conftest import payload
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number, person
from gongkai.portal import submission
from gongkai.portal.choices import FileKind
from gongkai.portal.tests.conftest import PDF, apply_data, upload
from gongkai.portal.uploads import check_bytes

pytestmark = pytest.mark.django_db

ID_NUMBER = make_id_number(42)


def form_post(agency, ip: str = "10.0.0.1", **overrides):
    """Submit the web form from a fresh browser at ``ip``; return the response."""
    client = Client(REMOTE_ADDR=ip)
    html = client.get(reverse("apply:form_for", args=[agency.pk])).content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None
    token = found.group(1)
    data = {**apply_data(agency, **overrides), "form_token": token}
    return client.post(
        reverse("apply:form_for", args=[agency.pk]),
        {**data, "identity_copy": upload("id.pdf", PDF)},
    )


def api_post(body, ip: str = "10.0.0.2", **headers):
    client = Client(REMOTE_ADDR=ip)
    raw = json.dumps(body, ensure_ascii=False)
    return client.post("/api/applications", raw, content_type="application/json", **headers)


def test_one_person_has_one_limit_across_the_form_and_the_api(tree, settings):
    """Two submissions on the form use up the person's limit for the API too, and back."""
    settings.PORTAL_RATE_LIMITS = {"submit_identity": (2, 3600)}
    # The form folds a lower-case x and spaces; the API gets the number as the card shows it.
    assert form_post(tree.dept_a, id_number=f" {ID_NUMBER.lower()} ").status_code == 302
    assert form_post(tree.dept_a, ip="10.0.0.3", id_number=ID_NUMBER).status_code == 302
    refused = api_post(payload(tree.dept_a, id_number=ID_NUMBER), ip="10.9.9.9")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    # Another person from the same address is not affected.
    other = api_post(payload(tree.dept_a, id_number=make_id_number(43)), ip="10.9.9.9")
    assert other.status_code == 201
    assert Application.objects.count() == 3

    other_id = make_id_number(44)
    for _ in range(2):
        assert api_post(payload(tree.dept_a, id_number=other_id)).status_code == 201
    page = form_post(tree.dept_a, ip="10.7.7.7", id_number=other_id)
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    # The same Chinese message on the page as in the JSON error (the minutes may have moved on).
    message = re.escape(refused.json()["message"])
    assert re.search(re.sub(r"\d+", r"\\d+", message), page.content.decode())
    assert Application.objects.count() == 5


def test_the_same_key_replays_the_first_submission(tree):
    """The service submits once per token: the second call returns the first case, no code."""
    checked = check_bytes(PDF, "id.pdf")
    args = {
        "agency": tree.dept_a,
        "applicant": person(),
        "description": "2025年预算执行情况",
        "requested_form": "",
        "requested_delivery": "",
        "files": [(FileKind.IDENTITY, checked)],
    }
    first = submission.submit(token="form:" + "a" * 32, **args)
    again = submission.submit(token="form:" + "a" * 32, **args)
    assert first.created and first.code and not again.created and again.code == ""
    assert again.access.pk == first.access.pk
    assert submission.earlier("form:" + "a" * 32).access.pk == first.access.pk
    assert Application.objects.count() == 1

    token = submission.bind_api_key("key-0001", {"a": 1, "b": 2}, "")
    assert token == submission.bind_api_key("key-0001", {"b": 2, "a": 1}, "")
    submission.submit(token=token, **args)
    other = submission.bind_api_key("key-0001", {"a": 1, "b": 3}, "")
    with pytest.raises(submission.Refused) as refused:
        submission.earlier(other)
    assert refused.value.code == "idempotency_key_reused" and refused.value.status == 409


def test_a_refusal_maps_to_the_form_and_to_json_with_the_same_code(tree):
    """A bad ID number: the same Chinese field message on the page and in the JSON error."""
    bad = make_id_number(45)[:-1] + ("0" if make_id_number(45)[-1] != "0" else "1")
    page = form_post(tree.dept_a, id_number=bad)
    answer = api_post(payload(tree.dept_a, id_number=bad))
    assert page.status_code == answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid" and body["message"] == "提交的内容有误，请按各字段的提示修改。"
    assert "校验位" in body["errors"]["id_number"]
    assert body["errors"]["id_number"] in page.content.decode()

    # A refusal of the service itself (the agency closed after the form was checked).
    tree.dept_b.is_active = False
    tree.dept_b.save()
    with pytest.raises(submission.Refused) as refused:
        submission.submit(
            token="",
            agency=tree.dept_b,
            applicant=person(),
            description="x",
            requested_form="",
            requested_delivery="",
            files=[(FileKind.IDENTITY, check_bytes(PDF, "id.pdf"))],
        )
    assert refused.value.code == "invalid" and refused.value.status == 400
    assert "agency" in refused.value.errors and "机关" in refused.value.errors["agency"]
    assert Application.objects.count() == 0


def test_identity_key_is_the_same_for_both_channels():
    """The form's POST and the API's JSON body name the person the same way."""
    number = make_id_number(46)
    form = {"id_number": f" {number.lower()}", "credit_code": ""}
    api = {"id_number": number, "credit_code": None}
    assert submission.identity_key(form) == submission.identity_key(api) == f"id:{number}"
    assert submission.identity_key({"credit_code": " 91110000600037341l"}) == (
        "org:91110000600037341L"
    )
    assert submission.identity_key({"id_number": 5, "credit_code": ["x"]}) == ""
