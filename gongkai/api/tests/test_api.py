"""The JSON API: submit, follow, correct, withdraw; errors with a code and a Chinese message."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.api.tests.conftest import payload
from gongkai.applications import services as office
from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db


def post(path: str, body, **headers):
    """POST a JSON body."""
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return Client().post(path, data=data, content_type="application/json", **headers)


def test_submit_then_follow(tree):
    """201 with the number and the code; lookup shows the deadline in plain Chinese and ISO."""
    response = post("/api/applications", payload(tree.dept_a))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["registration_number"] and len(body["access_code"]) == 14
    app = Application.objects.get()
    assert app.channel == "ONLINE" and app.applicant_files.count() == 1
    found = post(
        "/api/applications/lookup",
        {"registration_number": body["registration_number"], "access_code": body["access_code"]},
    )
    assert found.status_code == 200
    case = found.json()
    assert case["received_on"] == app.received_on.isoformat()
    reply = case["deadlines"][0]
    assert reply["label"] == "法定答复期限" and "个工作日" in reply["text"]
    assert reply["due"] == app.reply_due_on.isoformat()


def test_field_errors_are_keyed_by_field_in_chinese(tree):
    """Every problem is reported at once, by field, with code "invalid"."""
    bad = payload(
        tree.dept_a,
        agency_id=999999,
        id_number="123",
        description="",
        applicant_name=5,
        identity_copy={"filename": "x.pdf", "content_base64": base64.b64encode(b"MZ...").decode()},
    )
    response = post("/api/applications", bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "请" in body["message"]
    errors = body["errors"]
    assert {"agency_id", "applicant_name", "identity_copy"} <= set(errors)
    assert "按文件内容识别" in errors["identity_copy"]
    assert Application.objects.count() == 0


def test_person_errors_are_named(tree):
    """A broken ID number and a missing description are named after their fields."""
    response = post(
        "/api/applications", payload(tree.dept_a, id_number="110101199003070010x", description="")
    )
    errors = response.json()["errors"]
    assert "id_number" in errors and "description" in errors


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json", "invalid_json"),
        (b"[1,2]", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"{}", "invalid"),
    ],
)
def test_malformed_bodies(tree, raw, code):
    """Malformed bodies get a JSON error, never a server error."""
    response = post("/api/applications", raw)
    assert response.status_code == 400 and response.json()["code"] == code


def test_idempotency_key_creates_one_application(tree):
    """The same Idempotency-Key twice: one case, the same number (and code) in both answers."""
    headers = {"HTTP_IDEMPOTENCY_KEY": "order-000123-abc"}
    first = post("/api/applications", payload(tree.dept_a), **headers)
    second = post("/api/applications", payload(tree.dept_a), **headers)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["registration_number"] == second.json()["registration_number"]
    assert Application.objects.count() == 1
    bad = post("/api/applications", payload(tree.dept_a), HTTP_IDEMPOTENCY_KEY="no spaces!")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_idempotency_key"


def test_wrong_code_and_unknown_number_answer_alike(tree):
    """404 not_found with the same body for both."""
    number = post("/api/applications", payload(tree.dept_a)).json()["registration_number"]
    a = post(
        "/api/applications/lookup", {"registration_number": number, "access_code": "AAAA-AAAA-AAAA"}
    )
    b = post(
        "/api/applications/lookup",
        {"registration_number": "1999-0001", "access_code": "AAAA-AAAA-AAAA"},
    )
    assert a.status_code == b.status_code == 404 and a.content == b.content


def test_correction_and_withdrawal_through_the_api(tree, staff):
    """补正 restarts the clock; then the applicant withdraws; a second withdrawal is a 409."""
    body = post("/api/applications", payload(tree.dept_a)).json()
    creds = {"registration_number": body["registration_number"], "access_code": body["access_code"]}
    app = Application.objects.get()
    today = timezone.localdate()
    office.application_request_correction(
        by=staff["handler_a"], application=app, on=today, period_ends_on=today, content="请补充文号"
    )
    assert post("/api/applications/lookup", creds).json()["actions"]["correct"] is True
    response = post("/api/applications/correction", {**creds, "correction": "文号见附件"})
    assert response.status_code == 200 and response.json()["status"] == "HANDLING"
    assert post("/api/applications/correction", {**creds, "correction": "x"}).status_code == 409
    assert post("/api/applications/withdraw", creds).json()["status"] == "WITHDRAWN"
    second = post("/api/applications/withdraw", creds)
    assert second.status_code == 409 and second.json()["code"] == "not_allowed"


def test_rate_limit_answers_429_json(tree, settings):
    """Too many submissions from one IP: 429 with Retry-After and a Chinese message."""
    settings.PORTAL_RATE_LIMITS = {"submit_ip": (1, 3600)}
    post("/api/applications", payload(tree.dept_a))
    response = post("/api/applications", payload(tree.dept_a))
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert "频繁" in response.json()["message"] and response["Retry-After"]


def test_wrong_method_is_json(tree):
    """GET on a POST endpoint: 405 JSON."""
    response = Client().get("/api/applications")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_openapi_merges_the_other_apps(tree):
    """/api/openapi.json is OpenAPI 3 with this app's paths and the catalogue/search fragments."""
    doc = Client().get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/applications" in doc["paths"] and "/api/applications/lookup" in doc["paths"]
    from gongkai.api.openapi import fragments

    merged = fragments()
    assert merged, "no other app exposes an OpenAPI fragment"
    for _name, fragment in merged:
        assert set(fragment["paths"]) <= set(doc["paths"])
    assert "Error" in doc["components"]["schemas"]
    agencies = Client().get("/api/apply/agencies", {"q": "甲局"}).json()["results"]
    assert [a["name"] for a in agencies] == ["测试市甲局"]
