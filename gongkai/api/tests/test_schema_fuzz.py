"""Schema-driven fuzz of the whole API: every operation of /api/openapi.json, hostile values.

Requests are generated from the published OpenAPI schema — path and query parameters and JSON
bodies from their declared types, mixed with what the probe used (huge integers, years out of
range, lone surrogates, NUL characters, wrong types, broken JSON, random files) — and sent to
the real application. After every request: no 5xx, and a JSON body (the API never answers
with an HTML page). At least 2,000 requests per run (asserted).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.portal import lockout

pytestmark = pytest.mark.django_db

EXAMPLES = 2100
UNLIMITED = dict.fromkeys(("submit_ip", "submit_identity", "lookup_ip", "action_ip", "report_check_ip"), (10**9, 60))  # fmt: skip
HOSTILE_TEXT = [
    "",
    "\ud800",
    "a\x00b",
    "\udfff\ud800",
    "９９",
    "' OR 1=1 --",
    "<script>",
    "中" * 300,
]
HOSTILE_NUMBERS = ["99999999999999999999", "-1", "0", "99999", "1e9", "0x10", "NaN", "9" * 5000]
SENT: list[int] = []


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def from_schema(schema: dict[str, Any], root: dict[str, Any], depth: int = 0) -> st.SearchStrategy:
    """Values of a JSON schema (type, enum, properties, items; loosely), plus hostile ones."""
    schema = _resolve(schema, root)
    hostile: st.SearchStrategy[Any] = st.sampled_from(
        [*HOSTILE_TEXT, None, -1, 2**70, True, [], {}]
    )
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), hostile)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            return st.one_of([from_schema(s, root, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return st.just({})
        props = schema.get("properties", {})
        return st.fixed_dictionaries(
            {},
            optional={name: from_schema(sub, root, depth + 1) for name, sub in props.items()},
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), root, depth + 1), max_size=3)
    if kind == "integer":
        return st.one_of(st.integers(-(2**70), 2**70), st.integers(0, 3000), hostile)
    if kind == "number":
        return st.one_of(st.floats(allow_nan=False), hostile)
    if kind == "boolean":
        return st.one_of(st.booleans(), hostile)
    return st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS))


def param_value(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy:
    schema = _resolve(schema, root)
    if schema.get("type") == "integer":
        base = st.integers(-5, 10**6).map(str)
    elif "enum" in schema:
        base = st.sampled_from([str(v) for v in schema["enum"]])
    else:
        base = st.text(max_size=30)
    return st.one_of(base, st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS))


@pytest.fixture(scope="module")
def api_schema(django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                ops.append((path, method, op))
    return ops


@st.composite
def requests(draw: Any, schema: dict[str, Any]) -> dict[str, Any]:
    path, method, op = draw(st.sampled_from(_operations(schema)))
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for param in op.get("parameters", []):
        param = _resolve(param, schema)
        value = draw(param_value(param.get("schema", {}), schema))
        if param["in"] == "path":
            path = path.replace(
                "{" + param["name"] + "}", quote(value, safe="", errors="surrogatepass") or "0"
            )
        elif param["in"] == "query" and draw(st.booleans()):
            query[param["name"]] = value
        elif param["in"] == "header" and draw(st.booleans()):
            headers[f"HTTP_{param['name'].upper().replace('-', '_')}"] = value.encode(
                "ascii", "replace"
            ).decode()
    path = re.sub(r"\{[^}]+\}", "1", path)
    body: Any = None
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body_schema = content["application/json"].get("schema", {})
        body = draw(
            st.one_of(
                from_schema(body_schema, schema).map(json.dumps),
                st.sampled_from(["", "x", "{", "[]", '{"text": "\\ud800"}', "null", "1" * 5000]),
                st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
            )
        )
    if draw(st.integers(0, 20)) == 0:  # sometimes the wrong method
        method = "put" if method == "get" else "get"
    return {"method": method, "path": path, "query": query, "headers": headers, "body": body}


def _check(client: Client, req: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = dict(req["headers"])
    url = req["path"]
    if req["query"]:  # as a client would send them: UTF-8, percent-encoded (surrogates too)
        url += "?" + urlencode(req["query"], encoding="utf-8", errors="surrogatepass")
    if req["method"] == "get":
        response = client.get(url, **kwargs)
    else:
        data = (req["body"] or "").encode("utf-8", "surrogatepass")
        response = getattr(client, req["method"])(
            url, data, content_type="application/json", **kwargs
        )
    SENT.append(response.status_code)
    assert response.status_code < 500, (req, response.status_code)
    assert response["Content-Type"].startswith("application/json"), (req, response["Content-Type"])
    json.loads(response.content)


def test_the_whole_api_survives_schema_driven_fuzzing(api_schema, tree, settings_, monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(lockout, "delay_for", lambda failures: 0)
    SENT.clear()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(req=requests(api_schema))
    def run(req: dict[str, Any]) -> None:
        _check(client, req)

    run()
    assert len(SENT) >= 2000, len(SENT)
    # The fuzz reached more than error paths: some requests succeeded.
    assert any(200 <= s < 300 for s in SENT) and any(400 <= s < 500 for s in SENT)


@pytest.fixture
def settings_(settings, tmp_path):
    settings.PORTAL_RATE_LIMITS = UNLIMITED
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings
