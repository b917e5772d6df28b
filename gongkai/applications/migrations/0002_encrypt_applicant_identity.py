"""Encrypt applicants' ID and phone numbers at rest; key their lookup hashes and applicant_key.

Forward: add ``id_number_hash`` and ``phone_hash``; turn ``id_number`` and ``phone`` into
encrypted text columns (``varchar(40)`` → ``text``: a Fernet token of 40 characters is 140);
then, in batches, encrypt every stored value with the newest FIELD_ENCRYPTION_KEYS key, fill the
two hashes and recompute ``applicant_key`` as an HMAC with FIELD_HASH_KEY (it was a plain
SHA-256). Backward: decrypt, restore the plain SHA-256 keys, drop the hashes.

Upgrade notes (docs/security.md): the keys must be configured before migrating; the data step
rewrites every application row in the migration's transaction (PostgreSQL holds the table's
lock until commit; encryption and hashing cost about 0.2 ms per row, plus the updates). Stop
the app servers meanwhile: old code cannot read ciphertext. Afterwards run
``gongkai search rebuild applications`` (the index holds applicant keys as a facet).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import migrations, models

import gongkai.applications.identity
import gongkai.core.fields
from gongkai.agencies.credit_code import normalise_credit_code
from gongkai.applications.identity import normalise_id_number
from gongkai.core import crypto

BATCH = 2000
TABLE = "applications_application"
PERSON = "PERSON"


def _basis(applicant_type: str, id_number: str, credit_code: str, name: str) -> str:
    """What applicant_key hashes (as ``services.applicant_key`` at the time of this migration)."""
    if applicant_type == PERSON and id_number:
        return f"id:{normalise_id_number(id_number)}"
    if credit_code:
        return f"org:{normalise_credit_code(credit_code)}"
    return f"name:{applicant_type}:{(name or '').strip()}"


def _rows(cursor: Any, q: Callable[[str], str]) -> Any:
    """Yield batches of (id, id_number, phone, applicant_type, credit_code, name), by id."""
    last = 0
    while True:
        cursor.execute(
            f"SELECT {q('id')}, {q('id_number')}, {q('phone')}, {q('applicant_type')}, "  # noqa: S608
            f"{q('credit_code')}, {q('applicant_name')} FROM {q(TABLE)} "
            f"WHERE {q('id')} > %s ORDER BY {q('id')} LIMIT %s",
            [last, BATCH],
        )
        batch = cursor.fetchall()
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def encrypt_rows(apps: Any, schema_editor: Any) -> None:
    """Encrypt plaintext ID and phone numbers; fill hashes; key applicant_key."""
    model = apps.get_model("applications", "Application")
    id_hash = model._meta.get_field("id_number_hash").hash_for
    phone_hash = model._meta.get_field("phone_hash").hash_for
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as read, connection.cursor() as write:
        for batch in _rows(read, q):
            updates = []
            for pk, id_number, phone, applicant_type, credit_code, name in batch:
                id_number, phone = id_number or "", phone or ""
                updates.append(
                    (
                        crypto.encrypt(id_number) if id_number else "",
                        id_hash(id_number),
                        crypto.encrypt(phone) if phone else "",
                        phone_hash(phone),
                        crypto.hash_for_lookup(
                            _basis(applicant_type, id_number, credit_code or "", name),
                            purpose="applicant",
                        ),
                        pk,
                    )
                )
            write.executemany(
                f"UPDATE {q(TABLE)} SET {q('id_number')} = %s, {q('id_number_hash')} = %s, "  # noqa: S608
                f"{q('phone')} = %s, {q('phone_hash')} = %s, {q('applicant_key')} = %s "
                f"WHERE {q('id')} = %s",
                updates,
            )


def decrypt_rows(apps: Any, schema_editor: Any) -> None:
    """Back to plaintext numbers and plain SHA-256 applicant keys."""
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as read, connection.cursor() as write:
        for batch in _rows(read, q):
            updates = []
            for pk, id_token, phone_token, applicant_type, credit_code, name in batch:
                id_number = crypto.decrypt(id_token) if id_token else ""
                phone = crypto.decrypt(phone_token) if phone_token else ""
                basis = _basis(applicant_type, id_number, credit_code or "", name)
                updates.append(
                    (id_number, phone, hashlib.sha256(basis.encode("utf-8")).hexdigest(), pk)
                )
            write.executemany(
                f"UPDATE {q(TABLE)} SET {q('id_number')} = %s, {q('phone')} = %s, "  # noqa: S608
                f"{q('applicant_key')} = %s WHERE {q('id')} = %s",
                updates,
            )


class Migration(migrations.Migration):
    """Encrypted ID and phone numbers with keyed lookup hashes."""

    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="id_number_hash",
            field=gongkai.core.fields.LookupHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                normaliser=gongkai.applications.identity.normalise_id_number,
                source="id_number",
                verbose_name="证件号码检索哈希",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="phone_hash",
            field=gongkai.core.fields.LookupHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                normaliser=gongkai.applications.identity.normalise_phone,
                source="phone",
                verbose_name="联系电话检索哈希",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="applicant_key",
            field=models.CharField(
                db_index=True,
                editable=False,
                help_text="证件号码或统一社会信用代码的带密钥哈希，用于按申请人统计（按件收费、重复申请）。",
                max_length=64,
                verbose_name="申请人标识",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="id_number",
            field=gongkai.core.fields.EncryptedTextField(
                blank=True, max_length=40, verbose_name="证件号码"
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="phone",
            field=gongkai.core.fields.EncryptedTextField(
                blank=True, max_length=40, verbose_name="联系电话"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
