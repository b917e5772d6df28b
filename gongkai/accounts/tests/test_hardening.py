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


def test_security_admin_resets_a_staff_password_with_audit(tree, staff):
    from gongkai.accounts.choices import Role
    from gongkai.accounts.tests.factories import make_staff
    from gongkai.core.models import AuditEvent

    admin = make_staff(tree.city, Role.SECURITY_ADMIN, sub=True, username="sec")
    user = staff["handler_a"]
    victim_session = _password_login("handler_a")
    assert victim_session.get(reverse("accounts:home")).status_code == 200
    client = Client()
    client.force_login(admin)
    page = client.post(reverse("accounts:account_action", args=[user.pk, "reset-password"]))
    assert (
        page.status_code == 200 and "Cache-Control" in page and "no-store" in page["Cache-Control"]
    )
    temporary = page.context["temporary"]
    assert temporary in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(temporary) and not user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="auth.password_reset")
    assert event.target_repr and temporary not in str(event.after) + str(event.before)
    # The person's open session has ended; the new password must be changed at once.
    assert victim_session.get(reverse("accounts:home")).status_code == 302
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": "handler_a", "password": temporary})
    assert fresh.get(reverse("accounts:home"))["Location"] == reverse("accounts:password_change")
    # Not for anyone else: a handler may not reset a colleague's password.
    other = Client()
    other.force_login(staff["reviewer_a"])
    refused = other.post(reverse("accounts:account_action", args=[user.pk, "reset-password"]))
    assert refused.status_code in (403, 404)


def test_staff_guesses_from_many_addresses_are_throttled_but_not_the_owners_device(tree, staff):
    from django.core.cache import cache

    from gongkai.accounts.views import STAFF_ACCOUNT_FAILURES

    cache.clear()
    owner = _password_login("handler_a", ip="198.51.100.1")  # a known device from now on
    answers = []
    for n in range(STAFF_ACCOUNT_FAILURES.free + 3):  # one guess per address: axes never locks
        guess = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        answers.append(
            guess.post(
                reverse("accounts:login"), {"username": "handler_a", "password": "Wrong-2026!"}
            ).status_code
        )
    checked = STAFF_ACCOUNT_FAILURES.free + 1
    assert answers[:checked] == [200] * checked and set(answers[checked:]) == {429}
    owner.post(reverse("accounts:logout"))
    again = owner.post(reverse("accounts:login"), {"username": "handler_a", "password": PASSWORD})
    assert again.status_code == 302
    cache.clear()
