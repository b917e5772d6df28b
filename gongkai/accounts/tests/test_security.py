"""Staff security: second factor with recovery codes, lock-out, idle timeout, password age."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.password_validation import CharacterClassesValidator
from gongkai.accounts.tests.factories import PASSWORD
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_second_factor_is_set_up_then_required(tree, staff, settings):
    """With 2FA on, the office asks for set-up first, then for a code at every login."""
    settings.GONGKAI_REQUIRE_2FA = True
    client = _password_login("handler_a")
    response = client.get(reverse("accounts:home"))
    assert (
        response.status_code == 302 and reverse("accounts:two_factor_setup") in response["Location"]
    )
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff["handler_a"])
    wrong = client.post(
        reverse("accounts:two_factor_setup"),
        {"token": "000000" if _code(device) != "000000" else "111111"},
    )
    assert "验证码不正确" in wrong.content.decode()
    time.sleep(1.1)  # django-otp throttles a device for a second after a failure
    done = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert "恢复码" in done.content.decode(), done.content.decode()[-1500:]
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("accounts:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_enabled", actor=staff["handler_a"]).exists()

    # Next login: the password alone is not enough; a recovery code works exactly once.
    second = _password_login("handler_a")
    assert reverse("accounts:two_factor_verify") in second.get(reverse("accounts:home"))["Location"]
    ok = second.post(reverse("accounts:two_factor_verify"), {"token": codes[0], "next": "/office/"})
    assert ok.status_code == 302
    assert second.get(reverse("accounts:home")).status_code == 200
    third = _password_login("handler_a")
    reused = third.post(reverse("accounts:two_factor_verify"), {"token": codes[0]})
    assert "验证码不正确或已使用" in reused.content.decode()
    assert AuditEvent.objects.filter(action="auth.2fa_failed").count() == 1


def test_lock_out_is_audited(tree, staff):
    """Repeated failures lock the account and leave an audit entry."""
    client = Client()
    for _ in range(6):
        client.post(reverse("accounts:login"), {"username": "handler_a", "password": "nope"})
    assert AuditEvent.objects.filter(action="auth.locked_out", target_repr="handler_a").exists()


def test_idle_session_ends(tree, staff, settings):
    """After the idle timeout the next office request logs the person out."""
    settings.SESSION_IDLE_TIMEOUT = 60
    client = _password_login("handler_a")
    assert client.get(reverse("accounts:home")).status_code == 200
    session = client.session
    session["last_activity"] = time.time() - 61
    session.save()
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("accounts:home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.idle_logout", actor=staff["handler_a"]).exists()


def test_expired_password_must_be_changed(tree, staff, settings):
    """A password older than the platform's maximum age must be changed before working."""
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = staff["handler_a"]
    user.password_changed_at = timezone.now() - dt.timedelta(days=91)
    user.save(update_fields=["password_changed_at"])
    client = _password_login("handler_a")
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == reverse("accounts:password_change")
    new = "Neues-Passwort-2026!"
    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=user).exists()


def test_password_needs_three_character_classes():
    """Simple passwords are refused with a Chinese message."""
    validator = CharacterClassesValidator()
    with pytest.raises(Exception, match="至少3类"):
        validator.validate("alllowercaseletters")
    validator.validate("Mixed-case-2026")
