"""Findings 6, 7 and 11 of the probe: second factor for the password, throttles, admin reset."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Neues-Passwort-2026!"


def _password_login(username: str, ip: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_password_change_needs_the_second_factor(tree, staff, settings):
    """The probe: password-only session, device enrolled, not verified → the change is refused."""
    settings.GONGKAI_REQUIRE_2FA = True
    user = staff["handler_a"]
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = _password_login("handler_a")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert reverse("accounts:two_factor_verify") in response["Location"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(NEW)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 302 and reverse("accounts:two_factor_verify") in page["Location"]
