"""The permission matrix: every office URL, as anonymous, other-agency officer and auditor.

Every app lists its office URLs in ``<app>/tests/office_urls.py`` (``CASES``: URL name → a
function building kwargs for a record of another agency, or None for URLs without a record).
A new office URL that is not listed fails ``test_every_office_url_is_in_the_matrix``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import gongkai
from gongkai.core.models import AuditEvent

EXEMPT_FROM_LOGIN = {"accounts:login", "accounts:logout"}
#: Pages where every person manages their own account (their own second factor, password).
SELF_SERVICE = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:password_change",
}


def _office_cases() -> dict[str, Any]:
    cases: dict[str, Any] = {}
    for mod in pkgutil.iter_modules(gongkai.__path__):
        if not mod.ispkg:
            continue
        try:
            module = importlib.import_module(f"gongkai.{mod.name}.tests.office_urls")
        except ModuleNotFoundError:
            continue
        cases.update(module.CASES)
    return cases


def _office_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                new_ns = f"{ns}{p.namespace}:" if p.namespace else ns
                walk(p.url_patterns, prefix + str(p.pattern), new_ns)
            elif isinstance(p, URLPattern) and prefix.startswith("office/") and p.name:
                names.add(f"{ns}{p.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


CASES = _office_cases()


def test_every_office_url_is_in_the_matrix():
    """No office URL escapes the permission matrix."""
    missing = _office_url_names() - set(CASES)
    assert not missing, f"add these URLs to <app>/tests/office_urls.py: {sorted(missing)}"


def _without_csrf(body: bytes) -> bytes:
    """Drop the per-response CSRF token and the echo of the requested path (language switch)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return re.sub(rb'name="next" type="hidden" value="[^"]+"', b"", body)


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, f in CASES.items() if f is not None))
@pytest.mark.parametrize("who", ["handler_a", "admin_a", "auditor_a"])
def test_other_agency_record_is_indistinguishable_from_missing(name, who, tree, staff):
    """An officer of agency A gets the same 404 for agency B's record as for a missing one."""
    client = _login(staff[who])
    for method in ("get", "post"):
        other = getattr(client, method)(reverse(name, kwargs=CASES[name](tree, staff, False)))
        missing = getattr(client, method)(reverse(name, kwargs=CASES[name](tree, staff, True)))
        # POST-only URLs answer GET with 405 before looking anything up: equally silent.
        expected = {404, 405} if method == "get" else {404}
        assert other.status_code in expected, (name, method, other.status_code)
        assert missing.status_code == other.status_code, (name, method, missing.status_code)
        assert _without_csrf(other.content) == _without_csrf(missing.content)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_is_sent_to_login(name, tree, staff):
    """Anonymous visitors never see office pages."""
    if name in EXEMPT_FROM_LOGIN:
        return
    factory = CASES[name]
    url = reverse(name, kwargs=factory(tree, staff, False) if factory else None)
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _snapshot() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: cast(Any, m).objects.count() for m in apps.get_models()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_auditor_cannot_change_anything(name, tree, staff):
    """The platform auditor reads; a POST to any office URL changes no record."""
    if name in EXEMPT_FROM_LOGIN | SELF_SERVICE:
        return
    client = _login(staff["auditor"])
    factory = CASES[name]
    # the auditor's scope covers the whole tree, so use a record inside it (dept_b's)
    url = reverse(name, kwargs=factory(tree, staff, False) if factory else None)
    before = _snapshot()
    last_audit = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.post(url, data={"name": "改名", "username": "handler_a", "role": "HEAD"})
    assert response.status_code in (403, 404, 405, 200), response.status_code
    after = _snapshot()
    # sessions may be touched by login; nothing else may change
    before.pop("sessions.Session", None)
    after.pop("sessions.Session", None)
    assert before == after
    assert AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() == last_audit
