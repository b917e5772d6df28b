"""Finding 3 of the probe: wrong codes from anyone never lock the holder of the right code out."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.api.tests.conftest import payload
from gongkai.core.models import AuditEvent
from gongkai.portal import lockout

pytestmark = pytest.mark.django_db

LOOKUP = "/api/applications/lookup"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _submit(tree) -> tuple[str, str]:
    body = payload(tree.dept_a, email="owner@example.cn")
    answer = Client().post("/api/applications", json.dumps(body), content_type="application/json")
    assert answer.status_code == 201
    return answer.json()["registration_number"], answer.json()["access_code"]


def _lookup(ip: str, number: str, code: str):
    return Client(REMOTE_ADDR=ip).post(
        LOOKUP,
        json.dumps({"registration_number": number, "access_code": code}),
        content_type="application/json",
    )


def test_the_probe_twenty_wrong_codes_then_the_owner_gets_in(tree):
    number, code = _submit(tree)
    answers = [_lookup("203.0.113.9", number, "AAAA-AAAA-AAAA").status_code for _ in range(20)]
    # The free failures and the one that starts the delay are checked; then the source waits.
    checked = lockout.FREE_FAILURES + 1
    assert answers[:checked] == [404] * checked and set(answers[checked:]) == {429}
    # The owner, from their own address: at once, through the API and the web page.
    assert _lookup("198.51.100.7", number, code).status_code == 200
    page = Client(REMOTE_ADDR="198.51.100.8").post(
        reverse("apply:follow"), {"registration_number": number, "access_code": code}
    )
    assert page.status_code == 302 and "/apply/cases/" in page["Location"]


def test_a_waiting_source_is_not_checked_and_its_delay_grows(tree, monkeypatch):
    number, code = _submit(tree)
    now = [1_000_000.0]
    monkeypatch.setattr(lockout.time, "time", lambda: now[0])
    for _ in range(lockout.FREE_FAILURES + 1):
        _lookup("203.0.113.10", number, "BBBB-BBBB-BBBB")
    # While waiting, even the right code from that source is not checked (no oracle).
    waiting = _lookup("203.0.113.10", number, code)
    assert waiting.status_code == 429 and int(waiting["Retry-After"]) == lockout.BASE_DELAY
    assert "操作过于频繁" in waiting.json()["message"]
    now[0] += lockout.BASE_DELAY + 1
    assert _lookup("203.0.113.10", number, "BBBB-BBBB-BBBB").status_code == 404
    now[0] += 1
    assert int(_lookup("203.0.113.10", number, code)["Retry-After"]) == 2 * lockout.BASE_DELAY - 1
    now[0] += 2 * lockout.BASE_DELAY + 1
    assert _lookup("203.0.113.10", number, code).status_code == 200
    assert [lockout.delay_for(n) for n in (5, 6, 7, 8, 30)] == [0, 30, 60, 120, 3600]


def test_many_sources_guessing_one_number_tell_the_applicant_once(tree):
    number, code = _submit(tree)
    mail.outbox.clear()
    for i in range(lockout.NOTIFY_AFTER + 5):
        _lookup(f"192.0.2.{i + 1}", number, "CCCC-CCCC-CCCC")
    assert AuditEvent.objects.filter(action="portal.lookup_guessing").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@example.cn"]
    assert number in mail.outbox[0].body and code not in mail.outbox[0].body
    assert _lookup("192.0.2.200", number, code).status_code == 200


def test_applicant_login_guesses_never_lock_the_owner_out(tree):
    from gongkai.portal import services

    services.account_create(email="owner@example.cn", phone="", password="Owner-pass-2026")
    url = reverse("apply:login")
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        owner.post(url, {"login": "owner@example.cn", "password": "Owner-pass-2026"}).status_code
        == 302
    )
    owner.post(reverse("apply:logout"))
    answers = [
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        .post(url, {"login": "owner@example.cn", "password": "guess"})
        .status_code
        for n in range(lockout.LOGIN_ACCOUNT.free + 4)
    ]
    checked = lockout.LOGIN_ACCOUNT.free + 1
    assert answers[:checked] == [200] * checked and set(answers[checked:]) == {429}
    # The owner's browser has logged in before: it is not held by the account's delay.
    again = owner.post(url, {"login": "owner@example.cn", "password": "Owner-pass-2026"})
    assert again.status_code == 302
    # A guesser's own address is slowed too (per source, across accounts).
    source = Client(REMOTE_ADDR="192.0.2.50")
    codes = [
        source.post(url, {"login": f"u{n}@example.cn", "password": "guess"}).status_code
        for n in range(lockout.LOGIN_SOURCE.free + 2)
    ]
    assert codes[-1] == 429
