"""Finding 2 of the probe: an Idempotency-Key leaked nothing of another client's submission."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.api.tests.conftest import payload
from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db

KEY = {"HTTP_IDEMPOTENCY_KEY": "shared-key-0001"}


def post(body, **headers):
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client().post("/api/applications", raw, content_type="application/json", **headers)


def test_another_clients_key_reveals_no_code_and_no_case(tree):
    first = post(payload(tree.dept_a), **KEY)
    assert first.status_code == 201
    code = first.json()["access_code"]
    number = first.json()["registration_number"]
    assert code

    # The probe: the same key with a body of "x" → a JSON error, nothing of the first answer.
    junk = post("x", **KEY)
    assert junk.status_code == 400 and junk.json()["code"] == "invalid_json"
    assert code not in junk.content.decode() and number not in junk.content.decode()

    # A valid body for another agency with the same key → 409, no case JSON, no code.
    other = payload(tree.dept_b, applicant_name="钱七")
    for _ in range(2):
        taken = post(other, **KEY)
        assert taken.status_code == 409 and taken.json()["code"] == "idempotency_key_reused"
        assert code not in taken.content.decode() and number not in taken.content.decode()
        cache.clear()  # the database token alone keeps the binding after the replay cache expires
    # Another credential with the first client's very body and key: refused as well.
    forged = post(payload(tree.dept_a), HTTP_AUTHORIZATION="Bearer someone-else", **KEY)
    assert forged.status_code == 409 and code not in forged.content.decode()
    assert Application.objects.count() == 1


def test_the_same_client_retrying_gets_its_answer(tree):
    body = payload(tree.dept_a)
    first = post(body, **KEY)
    # Key order does not change the body's hash.
    retry = post(dict(reversed(list(body.items()))), **KEY)
    assert retry.status_code == 200 and retry.json() == first.json()
    cache.clear()
    late = post(body, **KEY)  # replay cache expired: the case, without the code (not stored)
    assert late.status_code == 200
    assert late.json()["registration_number"] == first.json()["registration_number"]
    assert Application.objects.count() == 1


def test_invalid_bodies_are_rate_limited(tree, settings):
    settings.PORTAL_RATE_LIMITS = {"submit_ip": (5, 3600)}
    answers = [post({"agency_id": "x"}, **KEY).status_code for _ in range(7)]
    assert answers[:5] == [400] * 5 and answers[5:] == [429, 429]
    bad_json = post("{", **KEY)
    assert bad_json.status_code == 429
