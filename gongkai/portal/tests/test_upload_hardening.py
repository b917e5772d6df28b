"""Finding 8 of the probe: uploads judged by content and name; NUL characters refused."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from gongkai.api.tests.conftest import PDF, payload
from gongkai.applications.models import Application
from gongkai.portal.models import ApplicantFile
from gongkai.portal.uploads import check_bytes

pytestmark = pytest.mark.django_db

HTML_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_pdf_named_html_is_refused_by_the_api(client, tree):
    copy = {"filename": "statement.html", "content_base64": base64.b64encode(HTML_PDF).decode()}
    response = _post(client, "/api/applications", payload(tree.dept_a, identity_copy=copy))
    assert response.status_code == 400
    assert "扩展名" in response.json()["errors"]["identity_copy"]
    assert not Application.objects.exists()


@pytest.mark.parametrize("name", ["statement.html", "a.svg", "x.PDF.exe", "身份证.jpg"])
def test_the_name_must_match_the_content(name):
    with pytest.raises(ValidationError) as err:
        check_bytes(PDF, name)
    assert err.value.code == "bad_extension"


@pytest.mark.parametrize(
    ("name", "stored"), [("身份证.PDF", "身份证.PDF"), ("scan", "scan.pdf"), ("", "file.pdf")]
)
def test_the_stored_name_carries_the_detected_type(name, stored):
    assert check_bytes(PDF, name).name == stored


def test_the_correction_api_refuses_nul_characters(client, tree):
    created = _post(client, "/api/applications", payload(tree.dept_a)).json()
    files_before = ApplicantFile.objects.count()
    response = _post(
        client,
        "/api/applications/correction",
        {
            "registration_number": created["registration_number"],
            "access_code": created["access_code"],
            "correction": "补正内容\x00隐藏",
        },
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert "空字符" in response.json()["message"]
    app = Application.objects.get()
    assert "\x00" not in (app.description or "") and ApplicantFile.objects.count() == files_before
