"""Applicants' ID and phone numbers are encrypted at rest and found only by exact match."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.applications.choices import ApplicantType, Channel, IdDocumentType, Status
from gongkai.applications.models import Application
from gongkai.applications.services import applicant_key
from gongkai.applications.tests.factories import PHONE, make_application, make_id_number, person
from gongkai.core import crypto
from gongkai.portal import services as portal_services
from gongkai.portal.models import ApplicantAccount


def _raw(table: str, pk: int, *columns: str) -> tuple[Any, ...]:
    """Stored values read with a raw cursor, past every model field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.mark.django_db
def test_database_holds_ciphertext_and_the_model_reads_plaintext(tree: Any, staff: Any) -> None:
    """The columns hold Fernet tokens; instances and values() give the numbers back."""
    number = make_id_number(31)
    app = make_application(tree.dept_a, staff["handler_a"], applicant=person(id_number=number))
    stored_id, stored_phone, id_hash, phone_hash = _raw(
        "applications_application", app.pk, "id_number", "phone", "id_number_hash", "phone_hash"
    )
    for stored in (stored_id, stored_phone):
        assert number not in stored and PHONE not in stored and number[-4:] not in stored
        assert stored.startswith("gAAAAA")  # a Fernet token
    assert crypto.decrypt(stored_id) == number and crypto.decrypt(stored_phone) == PHONE
    assert len(id_hash) == 64 and number not in id_hash and len(phone_hash) == 64
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.id_number, fresh.phone) == (number, PHONE)
    assert fresh.masked_id_number == "1101**********" + number[-4:]
    assert Application.objects.filter(pk=app.pk).values("id_number", "phone")[0] == {
        "id_number": number,
        "phone": PHONE,
    }
    assert list(Application.objects.filter(pk=app.pk).values_list("id_number", flat=True)) == [
        number
    ]


@pytest.mark.django_db
def test_bulk_create_encrypts_and_fills_the_hashes(tree: Any) -> None:
    """The ledger import's bulk_create path: ciphertext and hashes without save()."""
    numbers = [make_id_number(n) for n in (51, 52, 53)]
    rows = [
        Application(
            agency=tree.dept_a,
            registration_year=2024,
            registration_number=f"历史-{i}",
            channel=Channel.LETTER,
            arrived_on=dt.date(2024, 3, 1),
            received_on=dt.date(2024, 3, 1),
            applicant_type=ApplicantType.PERSON,
            applicant_name="王五",
            id_document_type=IdDocumentType.ID_CARD,
            id_number=number,
            phone=f"1390000000{i}",
            applicant_key=applicant_key(
                applicant_type=ApplicantType.PERSON, id_number=number, credit_code="", name=""
            ),
            description="历史台账",
            status=Status.CLOSED,
        )
        for i, number in enumerate(numbers)
    ]
    created = Application.objects.bulk_create(rows, batch_size=2)
    for app, number in zip(created, numbers, strict=True):
        stored_id, stored_phone, id_hash = _raw(
            "applications_application", app.pk, "id_number", "phone", "id_number_hash"
        )
        assert number not in stored_id and crypto.decrypt(stored_id) == number
        assert app.phone not in stored_phone
        assert id_hash == Application._meta.get_field("id_number_hash").hash_for(number)
    assert Application.objects.with_id_number(numbers[1]).get().registration_number == "历史-1"
    assert Application.objects.with_phone("139-0000-0002").get().id_number == numbers[2]


@pytest.mark.django_db
def test_exact_match_lookup_normalises_the_input(tree: Any, staff: Any) -> None:
    """Lower-case x, spaces and full-width digits find the case; a prefix finds nothing."""
    number = "11010519491231002X"
    app = make_application(tree.dept_a, staff["handler_a"], applicant=person(id_number=number))
    other = make_application(tree.dept_a, staff["handler_a"])
    for typed in (number, number.lower(), " 110105 19491231 002x ", "１１０１０５19491231002X"):
        assert list(Application.objects.with_id_number(typed)) == [app]
    assert not Application.objects.with_id_number(number[:-1]).exists()
    assert not Application.objects.with_id_number("").exists()
    phones = {a.pk for a in Application.objects.with_phone("+86 138 1234 5678")}
    assert phones == {app.pk, other.pk}
    assert not Application.objects.with_phone("1381234567").exists()


@pytest.mark.django_db
def test_applicant_key_is_a_keyed_hash(tree: Any, staff: Any, settings: Any) -> None:
    """Not the plain SHA-256 of the number (a leaked table cannot be matched against a list)."""
    number = make_id_number(61)
    app = make_application(tree.dept_a, staff["handler_a"], applicant=person(id_number=number))
    again = make_application(
        tree.dept_b, staff["handler_b"], applicant=person(id_number=number.lower())
    )
    assert app.applicant_key == again.applicant_key
    assert app.applicant_key != hashlib.sha256(f"id:{number}".encode()).hexdigest()
    settings.FIELD_HASH_KEY = "another-hash-key-of-at-least-32-characters"
    assert app.applicant_key != applicant_key(
        applicant_type=ApplicantType.PERSON, id_number=number, credit_code="", name=""
    )


@pytest.mark.django_db
def test_applicant_account_phone_is_encrypted_and_found_by_hash(db: Any) -> None:
    """Accounts: ciphertext in the table; login and uniqueness by the normalised number."""
    account = portal_services.account_create(
        email="", phone="138 1234 5678", password="a-long-password"
    )
    (stored,) = _raw("portal_applicantaccount", account.pk, "phone")
    assert "5678" not in stored and crypto.decrypt(stored) == "138 1234 5678"
    found = portal_services.account_authenticate(login="+8613812345678", password="a-long-password")
    assert found == account
    assert portal_services.account_authenticate(login="", password="a-long-password") is None
    with pytest.raises(Exception, match="已注册"):
        portal_services.account_create(email="", phone="13812345678", password="a-long-password")
    assert ApplicantAccount.objects.count() == 1


# serialized_rollback: the flush afterwards must not recreate content types under new ids, or
# the next serialized-rollback test cannot reload its snapshot.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_encrypts_existing_rows_and_reverses(tree: Any, staff: Any) -> None:
    """0002 encrypts plaintext rows, fills hashes, keys applicant_key; backwards undoes it."""
    number = make_id_number(71)
    app = make_application(tree.dept_a, staff["handler_a"], applicant=person(id_number=number))
    account = portal_services.account_create(email="", phone=PHONE, password="a-long-password")
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = [("applications", "0001_initial"), ("portal", "0001_initial")]
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        stored_id, stored_phone, key = _raw(
            "applications_application", app.pk, "id_number", "phone", "applicant_key"
        )
        assert (stored_id, stored_phone) == (number, PHONE)
        assert key == hashlib.sha256(f"id:{number}".encode()).hexdigest()
        assert _raw("portal_applicantaccount", account.pk, "phone") == (PHONE,)

        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
    finally:
        MigrationExecutor(connection).migrate(leaf)
    stored_id, stored_phone, key = _raw(
        "applications_application", app.pk, "id_number", "phone", "applicant_key"
    )
    assert number not in stored_id and PHONE not in stored_phone
    assert key == app.applicant_key  # the keyed hash the service computes today
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.id_number, fresh.phone) == (number, PHONE)
    assert Application.objects.with_id_number(number).get() == app
    assert Application.objects.with_phone(PHONE).get() == app
    (stored,) = _raw("portal_applicantaccount", account.pk, "phone")
    assert PHONE not in stored
    assert portal_services.account_authenticate(login=PHONE, password="a-long-password") == account
