"""Staff login: Argon2 hashes, throttled failures, every login audited, home page."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from gongkai.accounts.tests.factories import PASSWORD
from gongkai.core.models import AuditEvent
from gongkai.settings import base

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings):
    """Production settings hash with Argon2 first."""
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    encoded = make_password("s3cret-pass")
    assert encoded.startswith("argon2$") and check_password("s3cret-pass", encoded)


def test_login_is_audited_and_lands_on_home(tree, staff):
    """A successful login goes to the work page and leaves an audit entry."""
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "handler_a", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "测试市甲局" in response.content.decode()
    assert "经办人" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login", actor=staff["handler_a"]).exists()


def test_failed_logins_are_throttled_and_audited(tree, staff):
    """After repeated failures even the right password is refused for a while."""
    client = Client()
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "handler_a", "password": "wrong"})
    response = client.post(url, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert not AuditEvent.objects.filter(action="auth.login", actor=staff["handler_a"]).exists()


def test_person_without_role_cannot_use_the_office(tree):
    """A login without any role sees no office page."""
    from gongkai.accounts.tests.factories import UserFactory

    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:home")).status_code == 404
