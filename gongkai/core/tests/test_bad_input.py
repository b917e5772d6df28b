"""Finding 5 of the probe: anonymous input never causes a 500; API errors are always JSON."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from gongkai.core import params
from gongkai.core.params import ParamError

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


PAGES = [
    f"/search/?agency={HUGE}",
    f"/search/facets/?agency={HUGE}",
    "/disclosure/documents/?year=99999",
    "/disclosure/documents/?year=0",
    f"/disclosure/documents/?agency={HUGE}",
    f"/disclosure/documents/?category={HUGE}&item={HUGE}",
    "/search/?q=%00",
    "/disclosure/documents/?q=a%00b",
]
APIS = [
    f"/api/search?agency={HUGE}",
    "/api/catalog/items/?year=99999",
    f"/api/catalog/items/?agency={HUGE}",
    "/api/catalog/table-two/2/?year=0",
    "/api/catalog/table-two/2/?year=99999",
    f"/api/catalog/table-two/{HUGE}/?year=2024",
    "/api/apply/agencies?q=%00",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_400_in_chinese(client, tree, url):
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert "text/html" in response["Content-Type"]
    assert "参数" in response.content.decode()


@pytest.mark.parametrize("url", APIS)
def test_api_answers_json_400(client, tree, url):
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] and body["message"]


LONE = '{"text": "\\ud800"}'


@pytest.mark.parametrize(
    "url",
    [
        "/api/report-check",
        "/api/applications",
        "/api/applications/lookup",
        "/api/applications/withdraw",
        "/api/applications/correction",
    ],
)
@pytest.mark.parametrize(
    "body",
    [
        LONE,
        '{"registration_number": "\\ud800", "access_code": "x", "id_number": "\\udfff"}',
        '{"registration_number": "2026-0001", "access_code": "a\\u0000b"}',
        '{"\\ud800": 1}',
        '{"agency_id": ' + "9" * 5000 + "}",
        '{"agency_id": ' + HUGE + "}",
    ],
)
def test_invalid_unicode_nul_and_huge_numbers_in_json_are_400(client, tree, url, body):
    response = client.post(url, body.encode(), content_type="application/json")
    assert response.status_code in (400, 404, 409, 422), (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_api_errors_are_json_even_from_django(client):
    for response in (
        client.get("/api/no-such-endpoint"),
        client.put("/api/catalog/items/"),
        client.get("/api/catalog/items/99999999/"),
    ):
        assert response.status_code in (404, 405), response.status_code
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"]


def test_an_unexpected_exception_under_api_is_a_json_500(rf):
    from django.core.handlers.exception import convert_exception_to_response

    from gongkai.core.middleware import BadInputMiddleware

    def boom(request):
        raise RuntimeError("bug")

    middleware = BadInputMiddleware(convert_exception_to_response(boom))
    response = middleware(rf.get("/api/x"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    page = middleware(rf.get("/office/x"))
    assert page.status_code == 500 and "text/html" in page["Content-Type"]


# --- the parser itself --------------------------------------------------------------------------


def test_int_param():
    assert params.int_param({"a": " 12 "}, "a") == 12
    assert params.int_param({}, "a", default=3) == 3
    assert params.int_param({"a": "x"}, "a", lenient=True) is None
    for bad in ("x", HUGE, "0", "-1", "１２", "1e3", "9" * 5000):
        with pytest.raises(ParamError) as err:
            params.int_param({"a": bad}, "a")
        assert "a" in err.value.message
    assert params.year_param({"year": "2024"}) == 2024
    for bad in ("0", "99999", "1899"):
        with pytest.raises(ParamError):
            params.year_param({"year": bad})


def test_text_and_json():
    assert params.text_param({"q": " 公开 "}, "q") == "公开"
    with pytest.raises(ParamError):
        params.text_param({"q": "a\x00"}, "q")
    with pytest.raises(ParamError):
        params.clean_text("\ud800")
    assert params.parse_json_body('{"a": ["中文", 1]}'.encode()) == {"a": ["中文", 1]}
    for raw in (b'{"a": "\\ud800"}', b'{"a": "\\u0000"}', b"\xff", b"[", b"1" * 5000):
        with pytest.raises(ParamError):
            params.parse_json_body(raw)


# --- finding 11: headers ---------------------------------------------------------------------


def test_html_pages_carry_a_content_security_policy_without_inline_script(client, tree):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors" in policy and "object-src 'none'" in policy
    assert "Content-Security-Policy" not in client.get("/api/apply/agencies")


def test_no_template_has_inline_script_or_handlers():
    """The policy allows no inline script: every template keeps its scripts in static files."""
    import re
    from pathlib import Path

    import gongkai as package

    root = Path(package.__file__).parent
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        if "/pdf/" in str(path):
            continue  # rendered to PDF, never served as a page
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", text
        ):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(root)}: inline event handler")
    assert offenders == []


def test_case_pages_are_never_stored(client, tree, staff):
    from django.test import Client

    office = Client()
    office.force_login(staff["handler_a"])
    for response in (office.get("/office/applications/"), client.get("/apply/cases/x/")):
        assert "no-store" in response["Cache-Control"], response.status_code
