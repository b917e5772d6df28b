"""Field encryption (Fernet with rotation), keyed lookup hashes, and ``gongkai keys``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from gongkai.applications.models import Application
from gongkai.applications.tests.factories import PHONE, make_application
from gongkai.core import crypto
from gongkai.core.models import AuditEvent

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
KEY_C = Fernet.generate_key().decode()


def _raw(pk: int) -> tuple[str, str]:
    """The stored (id_number, phone) of an application, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM applications_application WHERE id = %s", [pk])
        return cursor.fetchone()


def _call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the primitives ---------------------------------------------------------------------------


def test_encryption_round_trips_and_is_randomised() -> None:
    """Same plaintext, different tokens; both decrypt; neither contains the plaintext."""
    a, b = crypto.encrypt("11010119900307001X"), crypto.encrypt("11010119900307001X")
    assert a != b and "11010119900307001X" not in a
    assert crypto.decrypt(a) == crypto.decrypt(b) == "11010119900307001X"
    assert crypto.decrypt(crypto.encrypt("张三 13812345678")) == "张三 13812345678"


def test_old_keys_decrypt_and_an_unrelated_key_fails_loudly() -> None:
    """MultiFernet: [B, A] reads A's tokens; [C] alone raises DecryptionError."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        token = crypto.encrypt("13812345678")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert crypto.decrypt(token) == "13812345678"
        assert not crypto.is_current(token)
        rotated = crypto.rotate(token)
        assert crypto.is_current(rotated)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert crypto.decrypt(rotated) == "13812345678"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]),
        pytest.raises(crypto.DecryptionError),
    ):
        crypto.decrypt(rotated)


def test_keys_from_a_comma_separated_string_and_bad_keys_refused() -> None:
    """A string is split on commas; a missing or malformed key is a configuration error."""
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{KEY_B}, {KEY_A}"):
        assert crypto.encryption_keys() == (KEY_B, KEY_A)
    with override_settings(FIELD_ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=["not-a-key"]),
        pytest.raises(ImproperlyConfigured),
    ):
        crypto.encrypt("x")
    with override_settings(FIELD_HASH_KEY="short"), pytest.raises(ImproperlyConfigured):
        crypto.hash_for_lookup("x")


def test_lookup_hash_is_keyed_and_separated_by_purpose() -> None:
    """HMAC with FIELD_HASH_KEY: not the plain SHA-256, different per key and per purpose."""
    value = "11010119900307001X"
    h = crypto.hash_for_lookup(value, purpose="id_number")
    assert len(h) == 64 and h == crypto.hash_for_lookup(value, purpose="id_number")
    assert h != hashlib.sha256(value.encode()).hexdigest()
    assert h != crypto.hash_for_lookup(value, purpose="phone")
    with override_settings(FIELD_HASH_KEY="k" * 40):
        assert crypto.hash_for_lookup(value, purpose="id_number") != h


def test_deploy_check_wants_keys_from_the_environment(monkeypatch: Any) -> None:
    """Locally generated keys are a warning for production; broken keys an error."""
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("FIELD_HASH_KEY", raising=False)
    assert {m.id for m in crypto.check_field_keys()} == {"gongkai.W010", "gongkai.W011"}
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", KEY_A)
    monkeypatch.setenv("FIELD_HASH_KEY", "h" * 40)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A], FIELD_HASH_KEY="h" * 40):
        assert crypto.check_field_keys() == []
    with override_settings(FIELD_ENCRYPTION_KEYS=["bad"], FIELD_HASH_KEY=""):
        assert {m.id for m in crypto.check_field_keys()} == {"gongkai.E010", "gongkai.E011"}


def test_keys_generate_prints_a_usable_key() -> None:
    """``gongkai keys generate`` prints a Fernet key; ``--hash`` a long hash key."""
    out, _ = _call("generate")
    Fernet(out.strip().encode())  # raises if malformed
    out, _ = _call("generate", "--hash")
    assert len(out.strip()) >= crypto.MIN_HASH_KEY_LENGTH


# --- the model field --------------------------------------------------------------------------


@pytest.mark.django_db
def test_lookups_on_ciphertext_are_refused_except_empty(tree: Any, staff: Any) -> None:
    """``phone=X`` could never match randomised ciphertext: it raises instead of finding none."""
    app = make_application(tree.dept_a, staff["handler_a"])
    with pytest.raises(FieldError, match="哈希"):
        list(Application.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(Application.objects.filter(id_number__contains="1101"))
    with pytest.raises(FieldError):
        list(Application.objects.filter(id_number__in=[app.id_number]))
    assert not Application.objects.filter(pk=app.pk, phone="").exists()
    assert Application.objects.filter(pk=app.pk, email="").exists()
    assert Application.objects.filter(pk=app.pk, phone__isnull=False).exists()


@pytest.mark.django_db
def test_partial_save_of_an_encrypted_field_must_include_its_hash(tree: Any, staff: Any) -> None:
    """``save(update_fields=["phone"])`` would leave a stale hash: refused."""
    app = make_application(tree.dept_a, staff["handler_a"])
    app.phone = "13900001111"
    with pytest.raises(ValueError, match="phone_hash"):
        app.save(update_fields=["phone"])
    app.save(update_fields=["phone", "phone_hash"])
    assert Application.objects.with_phone("139 0000 1111").get() == app


# --- rotation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rotation_from_key_a_to_key_b(tree: Any, staff: Any) -> None:
    """Written under [A]; keys [B, A]; rotate; keys [B] only still reads everything."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        apps = [make_application(tree.dept_a, staff["handler_a"]) for _ in range(3)]
        plain = {a.pk: (a.id_number, a.phone) for a in apps}
        for a in apps:
            for token in _raw(a.pk):
                assert Fernet(KEY_A.encode()).decrypt(token.encode())
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        out, _ = _call("status")
        assert f"{crypto.key_id(KEY_A)}: 3" in out
        before = AuditEvent.objects.filter(action="keys.rotate").count()
        out, err = _call("rotate", "--batch-size", "2")
        assert "applications_application.id_number: 3/3" in err
        assert "重新加密 3" in out
        entry = AuditEvent.objects.filter(action="keys.rotate").latest("seq")
        assert entry.after is not None
        assert AuditEvent.objects.filter(action="keys.rotate").count() == before + 1
        assert entry.after["completed"] is True
        assert entry.after["rotated"] >= 6  # three ID numbers and three phone numbers
        assert entry.after["columns"]["applications_application.phone"]["rotated"] == 3
        assert entry.after["primary_key"] == crypto.key_id(KEY_B)
        # A second run finds nothing to do.
        out, _ = _call("rotate")
        assert "共重新加密 0" in out
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        for a in Application.objects.filter(pk__in=plain):
            assert (a.id_number, a.phone) == plain[a.pk]
        for pk in plain:
            for token in _raw(pk):
                assert Fernet(KEY_B.encode()).decrypt(token.encode())
        out, _ = _call("status")
        assert crypto.key_id(KEY_A) not in out.split("\n", 1)[1]
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        with pytest.raises(crypto.DecryptionError):
            Application.objects.get(pk=apps[0].pk)
        with pytest.raises(crypto.DecryptionError):
            list(Application.objects.filter(pk=apps[0].pk).values("id_number"))
        with pytest.raises(CommandError, match="无法"):
            _call("status")
        with pytest.raises(CommandError, match="轮换中止"):
            _call("rotate")
        failed = AuditEvent.objects.filter(action="keys.rotate").latest("seq")
        assert failed.after is not None
        assert failed.after["completed"] is False and "主键" in failed.after["error"]


@pytest.mark.django_db
def test_rotation_leaves_a_value_saved_meanwhile_alone(
    tree: Any, staff: Any, monkeypatch: Any
) -> None:
    """The write is conditional on the token read: a concurrent save is not overwritten."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        app = make_application(tree.dept_a, staff["handler_a"])
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        real_rotate = crypto.rotate

        def rotate_while_someone_saves(token: str) -> str:
            fresh = Application.objects.get(pk=app.pk)
            fresh.phone = "13700000000"
            fresh.save()
            return real_rotate(token)

        monkeypatch.setattr(crypto, "rotate", rotate_while_someone_saves)
        model, field = next(
            (m, f)
            for m, f in crypto.encrypted_columns()
            if f.column == "phone" and m is Application
        )
        report = crypto.rotate_column(model, field)
        assert report.changed_meanwhile == 1 and report.rotated == 0
        assert Application.objects.get(pk=app.pk).phone == "13700000000"


# --- hash-key rotation (rehash) ---------------------------------------------------------------

HASH_OLD = "o" * 40
HASH_NEW = "n" * 40


@pytest.mark.django_db
def test_hash_key_change_with_previous_keys_then_rehash(tree: Any, staff: Any) -> None:
    """Old key → new key with the old one kept for lookups → rehash → old key removed.

    Exact-match search by ID number and phone, repeat detection (applicant_key) and applicant
    accounts work at every step, and after the rehash no stored hash is under the old key.
    """
    from gongkai.applications import similarity
    from gongkai.applications.services import applicant_keys_of
    from gongkai.applications.tests.factories import make_id_number, person
    from gongkai.portal import services as portal_services
    from gongkai.portal.models import ApplicantAccount

    id_number = make_id_number(42)
    with override_settings(FIELD_HASH_KEY=HASH_OLD):
        app = make_application(
            tree.dept_a, staff["handler_a"], applicant=person(id_number=id_number)
        )
        other = make_application(tree.dept_a, staff["handler_a"])
        account = portal_services.account_create(email="", phone="13911112222", password="x" * 12)
        old_keys = (app.id_number_hash, app.phone_hash, app.applicant_key, account.phone_hash)

    def everything_is_found() -> None:
        assert list(Application.objects.with_id_number(id_number)) == [app]
        # Every application here was made with PHONE (app, other, and a third one saved later).
        assert set(Application.objects.with_phone(PHONE)) == set(Application.objects.all())
        assert {app, other} <= set(Application.objects.with_phone(PHONE))
        keys = similarity.lookup_keys(applicant_type="person", id_number=id_number)
        assert [a.pk for a in similarity.earlier_applications(staff["handler_a"], keys)] == [app.pk]
        assert (
            ApplicantAccount.objects.filter(
                phone_hash__in=ApplicantAccount._meta.get_field("phone_hash").hashes_for(
                    "13911112222"
                )
            ).get()
            == account
        )

    # The new key alone: nothing stored matches any more (why the old key must be kept).
    with override_settings(FIELD_HASH_KEY=HASH_NEW):
        assert not Application.objects.with_id_number(id_number).exists()

    with override_settings(FIELD_HASH_KEY=HASH_NEW, FIELD_HASH_KEYS_PREVIOUS=[HASH_OLD]):
        everything_is_found()  # lookups accept the previous key meanwhile
        out, _ = _call("status")
        assert "待重算" in out and "keys rehash" in out
        # A row saved meanwhile gets the new key's hashes at once.
        third = make_application(tree.dept_a, staff["handler_a"])
        assert third.applicant_key == applicant_keys_of(third)[0]
        before = AuditEvent.objects.filter(action="keys.rehash").count()
        out, err = _call("rehash", "--batch-size", "1")
        assert "applications_application.applicant_key" in out
        entry = AuditEvent.objects.filter(action="keys.rehash").latest("seq")
        assert entry.after is not None
        assert AuditEvent.objects.filter(action="keys.rehash").count() == before + 1
        assert entry.after["completed"] is True
        # ID-number, phone and applicant hashes of app and other (3 × 2), and the account's phone.
        assert entry.after["rehashed"] == 7
        assert entry.after["hash_key"] == crypto.key_id(HASH_NEW)
        out, _ = _call("rehash")
        assert "共重算 0" in out
        out, _ = _call("status")
        assert "keys rehash" not in out

    with override_settings(FIELD_HASH_KEY=HASH_NEW):
        everything_is_found()  # the old key is no longer needed
        app.refresh_from_db()
        account.refresh_from_db()
        new_keys = (app.id_number_hash, app.phone_hash, app.applicant_key, account.phone_hash)
        assert all(n and n != o for n, o in zip(new_keys, old_keys, strict=True))
        assert app.applicant_key == applicant_keys_of(app)[0]


@pytest.mark.django_db
def test_fee_rank_counts_the_same_applicant_across_hash_keys(tree: Any, staff: Any) -> None:
    """按件 fee ranking finds the applicant's earlier application still under the old key."""
    from gongkai.applications.choices import FeeBasis
    from gongkai.applications.services import fee_amount
    from gongkai.applications.tests.factories import make_id_number, person

    applicant = person(id_number=make_id_number(7))
    with override_settings(FIELD_HASH_KEY=HASH_OLD):
        make_application(tree.dept_a, staff["handler_a"], applicant=applicant)
    with override_settings(FIELD_HASH_KEY=HASH_NEW, FIELD_HASH_KEYS_PREVIOUS=[HASH_OLD]):
        second = make_application(
            tree.dept_a, staff["handler_a"], applicant=applicant, received_on=dt.date(2026, 2, 11)
        )
        quantity, _amount = fee_amount(application=second, basis=FeeBasis.PER_APPLICATION)
        assert quantity == 2


def test_previous_hash_keys_are_validated() -> None:
    with override_settings(FIELD_HASH_KEY=HASH_NEW, FIELD_HASH_KEYS_PREVIOUS=["short"]):
        with pytest.raises(ImproperlyConfigured, match="FIELD_HASH_KEYS_PREVIOUS"):
            crypto.hash_keys()
    with override_settings(FIELD_HASH_KEY=HASH_NEW, FIELD_HASH_KEYS_PREVIOUS=f" {HASH_OLD} ,"):
        assert crypto.hash_keys() == (HASH_NEW.encode(), HASH_OLD.encode())
        assert crypto.lookup_hashes("x", purpose="p") == [
            crypto.hash_for_lookup("x", purpose="p"),
            crypto.hash_for_lookup("x", purpose="p", key=HASH_OLD.encode()),
        ]
