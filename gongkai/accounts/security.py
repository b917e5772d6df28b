"""Staff security rules (等保 2.0 level 3): two-factor login, password age, idle sessions.

The rules are settings, so a platform sets them without code changes:
``GONGKAI_REQUIRE_2FA`` (default: on unless DEBUG), ``PASSWORD_MAX_AGE_DAYS`` (90),
``SESSION_IDLE_TIMEOUT`` (seconds, 1800).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit

if TYPE_CHECKING:
    from gongkai.accounts.models import User

RECOVERY_CODES = 10


def two_factor_required() -> bool:
    """True when staff must pass a second factor to use the office."""
    return bool(getattr(settings, "GONGKAI_REQUIRE_2FA", True))


def has_confirmed_device(user: User) -> bool:
    """True if the user has finished setting up a second factor."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def totp_device_for_setup(user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator-app device, creating it if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator app with a first code; return fresh recovery codes.

    Returns None when the code is wrong. Earlier devices are replaced (one authenticator
    and one set of recovery codes per person).
    """
    if not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_regenerate(user=user)
        record_audit(action="auth.2fa_enabled", actor=user, target=user)
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new one-time codes; return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify_second_factor(*, user: User, token: str) -> Any:
    """Return the device that accepts ``token`` (authenticator code or a recovery code)."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def two_factor_reset(*, by: Actor, user: User) -> None:
    """Remove a person's second factors (they set them up again at next login), audited."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_audit(action="auth.2fa_reset", actor=by, target=user)


def password_reset_by_admin(*, by: Actor, user: User) -> str:
    """Give a person a new random password (returned once, for the administrator to hand over),
    marked as expired so that it must be changed at the next login (after the second factor);
    the person's sessions end. Audited without the password."""
    import secrets

    from django.contrib.auth.password_validation import validate_password
    from django.contrib.sessions.models import Session

    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
    temporary = "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(3))
    temporary += f"-{secrets.randbelow(90) + 10}"
    validate_password(temporary, user)
    with transaction.atomic():
        user.set_password(temporary)
        user.password_changed_at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # change at next login
        user.save(update_fields=["password", "password_changed_at"])
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                session.delete()
        record_audit(action="auth.password_reset", actor=by, target=user)
    return temporary


def password_expired(user: User, *, now: dt.datetime | None = None) -> bool:
    """True when the person's password is older than the platform's maximum age."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90) or 0)
    if days <= 0:
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > dt.timedelta(days=days)


def idle_timeout_seconds() -> int:
    """Seconds of inactivity after which a staff session ends."""
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT", 1800))
