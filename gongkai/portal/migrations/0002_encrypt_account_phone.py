"""Encrypt applicant accounts' mobile numbers at rest; unique and found by a keyed hash.

Forward: add ``phone_hash``; turn ``phone`` into an encrypted text column; encrypt every stored
number and fill its hash; the uniqueness of a number moves from ``phone`` (ciphertext is
randomised) to ``phone_hash`` — now of the normalised number, so ``138 1234 5678`` and
``13812345678`` are one account. Backward: decrypt and restore the plaintext constraint.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import migrations, models

import gongkai.applications.identity
import gongkai.core.fields
from gongkai.core import crypto

TABLE = "portal_applicantaccount"


def _all(cursor: Any, q: Any) -> list[tuple[int, str]]:
    cursor.execute(
        f"SELECT {q('id')}, {q('phone')} FROM {q(TABLE)} "  # noqa: S608
        f"WHERE {q('phone')} <> '' ORDER BY {q('id')}"
    )
    return list(cursor.fetchall())


def encrypt_phones(apps: Any, schema_editor: Any) -> None:
    """Encrypt each account's number and fill its hash; refuse numbers that now collide."""
    hash_for = apps.get_model("portal", "ApplicantAccount")._meta.get_field("phone_hash").hash_for
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        rows = [(pk, phone, hash_for(phone)) for pk, phone in _all(cursor, q)]
        dupes = [h for h, n in Counter(h for _, _, h in rows).items() if h and n > 1]
        if dupes:
            ids = sorted(pk for pk, _, h in rows if h in dupes)
            raise RuntimeError(
                f"申请人账户 {ids} 的手机号码规范化后相同：请先合并或修改这些账户，再迁移。"
            )
        cursor.executemany(
            f"UPDATE {q(TABLE)} SET {q('phone')} = %s, {q('phone_hash')} = %s "  # noqa: S608
            f"WHERE {q('id')} = %s",
            [(crypto.encrypt(phone), h, pk) for pk, phone, h in rows],
        )


def decrypt_phones(apps: Any, schema_editor: Any) -> None:
    """Back to plaintext numbers."""
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        rows = _all(cursor, q)
        cursor.executemany(
            f"UPDATE {q(TABLE)} SET {q('phone')} = %s WHERE {q('id')} = %s",  # noqa: S608
            [(crypto.decrypt(token), pk) for pk, token in rows],
        )


class Migration(migrations.Migration):
    """Encrypted account phone numbers with a unique keyed hash."""

    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="applicantaccount",
            name="portal_account_phone",
        ),
        migrations.AddField(
            model_name="applicantaccount",
            name="phone_hash",
            field=gongkai.core.fields.LookupHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                normaliser=gongkai.applications.identity.normalise_phone,
                source="phone",
                verbose_name="手机号码检索哈希",
            ),
        ),
        migrations.AlterField(
            model_name="applicantaccount",
            name="phone",
            field=gongkai.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="手机号码"
            ),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones, elidable=False),
        migrations.AddConstraint(
            model_name="applicantaccount",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone_hash", ""), _negated=True),
                fields=("phone_hash",),
                name="portal_account_phone_hash",
            ),
        ),
    ]
