"""Fuzzing the API and the web forms with malformed input (hypothesis).

Each test sends many generated requests — broken JSON, wrong types, missing and oversized
fields, broken ID numbers, bad Base64, disguised files, unknown agencies, forged tokens — and
checks after every one: no server error (5xx), and no partial application stored (every case
has its receipt event, its items, its access record and its submission token, and cases appear
only when the answer says one was created). The number of requests is asserted (≥ 2,000 in
total across the two tests).
"""

from __future__ import annotations

import base64
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.api.tests.conftest import PDF, payload
from gongkai.applications.models import Application
from gongkai.portal.models import CaseAccess, SubmissionToken

pytestmark = pytest.mark.django_db

API_EXAMPLES = 1500
FORM_EXAMPLES = 500
UNLIMITED = dict.fromkeys(("submit_ip", "submit_identity", "lookup_ip", "lookup_number", "action_ip", "login_ip", "login_identity", "signup_ip"), (10 ** 9, 60))  # fmt: skip
FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
id_numbers = st.one_of(
    st.text(alphabet="0123456789Xx", min_size=0, max_size=20),
    st.text(max_size=40),
    st.just("１１０１０１１９９００３０７００７Ｘ"),
)
files = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries(
        {"filename": st.text(max_size=30), "content_base64": st.text(max_size=60)}
    ),
    st.builds(
        lambda data, name: {"filename": name, "content_base64": base64.b64encode(data).decode()},
        st.one_of(st.binary(max_size=64), st.just(PDF), st.just(b"MZ" + b"\x00" * 20)),
        st.sampled_from(["id.pdf", "id.jpg", "../../etc/passwd", "", "身份证.png"]),
    ),
)
FIELDS = [
    "agency_id", "applicant_type", "applicant_name", "id_document_type", "id_number",
    "credit_code", "phone", "email", "address", "postcode", "description", "doc_title",
    "doc_number", "doc_date", "requested_form", "requested_delivery", "identity_copy",
]  # fmt: skip


def _mutations() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(
            json_values,
            id_numbers,
            files,
            st.sampled_from(["", " ", "PERSON", "BUSINESS", "ID_CARD", "<script>", "x" * 6000]),
            st.integers(min_value=-(2**70), max_value=2**70),
        ),
        max_size=5,
    )


def _consistent() -> None:
    """No partial application: each case is complete."""
    apps = Application.objects.count()
    assert CaseAccess.objects.count() == apps
    assert SubmissionToken.objects.filter(application__isnull=False).count() == apps
    assert SubmissionToken.objects.filter(application__isnull=True).count() == 0
    incomplete = (
        Application.objects.filter(events__isnull=True).count()
        + Application.objects.filter(items__isnull=True).count()
    )
    assert incomplete == 0


@pytest.fixture
def unlimited(settings: Any) -> None:
    settings.PORTAL_RATE_LIMITS = UNLIMITED


def test_api_survives_malformed_requests(tree, unlimited):
    """≥1,500 generated requests to the API: no 5xx, JSON errors with code and message."""
    client = Client()
    sent = {"n": 0}
    agency = tree.dept_a

    @settings(max_examples=API_EXAMPLES, **FUZZ)
    @given(
        kind=st.sampled_from(["mutated", "mutated", "raw", "json", "credentials"]),
        mutations=_mutations(),
        drop=st.lists(st.sampled_from(FIELDS), max_size=3),
        raw=st.binary(max_size=80),
        value=json_values,
        path=st.sampled_from(
            [
                "/api/applications",
                "/api/applications/lookup",
                "/api/applications/correction",
                "/api/applications/withdraw",
            ]
        ),
        key=st.one_of(st.none(), st.text(alphabet="abc-_0123456789", min_size=0, max_size=12)),
    )
    def run(kind, mutations, drop, raw, value, path, key):
        before = Application.objects.count()
        if kind == "mutated":
            body: Any = payload(agency, **mutations)
            for name in drop:
                body.pop(name, None)
            data = json.dumps(body, ensure_ascii=False)
            path = "/api/applications"
        elif kind == "raw":
            data = raw
        elif kind == "credentials":
            data = json.dumps(
                {
                    "registration_number": value,
                    "access_code": value,
                    "correction": value,
                    "files": value,
                }
            )
        else:
            data = json.dumps(value)
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
        response = client.post(path, data=data, content_type="application/json", **headers)
        sent["n"] += 1
        assert response.status_code < 500, response.content[:500]
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        if response.status_code >= 400:
            assert body["code"] and re.search(r"[\u4e00-\u9fff]", body["message"])
        created = Application.objects.count() - before
        assert created == (1 if response.status_code == 201 else 0)
        if sent["n"] % 50 == 0:
            _consistent()

    run()
    _consistent()
    assert sent["n"] >= API_EXAMPLES * 0.9


def test_web_forms_survive_malformed_posts(tree, unlimited):
    """≥500 generated POSTs to the apply and follow forms: no 5xx, no partial application."""
    client = Client()
    url = f"/apply/new/{tree.dept_a.pk}/"
    html = client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    sent = {"n": 0}
    base = {
        "agency": str(tree.dept_a.pk), "applicant_kind": "PERSON", "applicant_name": "钱七",
        "id_document_type": "ID_CARD", "id_number": payload(tree.dept_a)["id_number"],
        "phone": "13800000000", "description": "某文件", "requested_form": "PAPER",
        "requested_delivery": "POST",
    }  # fmt: skip
    form_fields = [*base, "org_type", "credit_code", "email", "postcode", "form_token", "doc_title"]

    @settings(max_examples=FORM_EXAMPLES, **FUZZ)
    @given(
        target=st.sampled_from(["apply", "apply", "apply", "follow"]),
        changes=st.dictionaries(
            st.sampled_from(form_fields),
            st.one_of(
                st.text(max_size=50),
                id_numbers,
                st.sampled_from(["", "x" * 6000, "ORGANISATION", "999999", "-1", "０"]),
            ),
            max_size=6,
        ),
        use_token=st.booleans(),
        upload=st.one_of(
            st.none(), st.binary(max_size=64), st.just(PDF), st.just(b"GIF89a" + b"\x00" * 10)
        ),
        name=st.sampled_from(["a.pdf", "a.exe", "..\\..\\x.pdf", "证件.jpg"]),
    )
    def run(target, changes, use_token, upload, name):
        before = Application.objects.count()
        if target == "follow":
            response = client.post("/apply/follow/", dict(changes.items()))
        else:
            data: dict[str, Any] = {**base, **changes}
            data["form_token"] = token if use_token else changes.get("form_token", "")
            if upload is not None:
                f = io.BytesIO(upload)
                f.name = name
                data["identity_copy"] = f
            response = client.post(url, data)
        sent["n"] += 1
        assert response.status_code < 500
        created = Application.objects.count() - before
        assert created <= 1 and (created == 0 or response.status_code == 302)
        if sent["n"] % 50 == 0:
            _consistent()

    run()
    _consistent()
    assert sent["n"] >= FORM_EXAMPLES * 0.9
    # the one valid token can only ever have created a single case
    assert Application.objects.count() <= 1
