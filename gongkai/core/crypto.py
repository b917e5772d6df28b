"""Encryption at rest of applicants' personal data, and keyed hashes for exact-match search.

Two separate secrets, both from settings (environment variables in production, files under
``VAR_DIR`` for local use — see ``gongkai/settings/base.py``):

``FIELD_ENCRYPTION_KEYS``
    Fernet keys, newest first. Values are encrypted with the first key; every key in the list
    can decrypt (``MultiFernet``), so a new key is added in front, ``gongkai keys rotate``
    re-encrypts every value with it, and only then is the old key removed.

``FIELD_HASH_KEY``
    The HMAC-SHA256 key of the lookup hashes (``hash_for_lookup``). A plain SHA-256 of an ID
    number can be reversed by hashing every plausible number (region, birth date and serial
    leave only a few billion); without the key the hashes in a leaked database match nothing.
    To change it, the old key moves to ``FIELD_HASH_KEYS_PREVIOUS`` (lookups accept a hash
    under any configured key meanwhile) and ``gongkai keys rehash`` recomputes every stored
    hash from the decrypted values under the new key (``keyed_columns``/``rehash_column``).

A value that no configured key can decrypt raises ``DecryptionError``: a wrong key set is a
configuration error to be noticed at once, never a page showing garbage or an empty field.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

from gongkai.core.signals import index_rows_changed

#: Shortest acceptable FIELD_HASH_KEY (characters).
MIN_HASH_KEY_LENGTH = 32


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS."""


def generate_key() -> str:
    """Return a new random Fernet key (URL-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode("ascii")


def encryption_keys() -> tuple[str, ...]:
    """The configured encryption keys, newest (the one used to encrypt) first."""
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if isinstance(keys, str):
        keys = keys.split(",")
    cleaned = tuple(k.strip() for k in keys if k and k.strip())
    if not cleaned:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS 未设置：无法加密或解密申请人信息。")
    return cleaned


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        parts = [Fernet(k.encode("ascii")) for k in keys]
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS 中有无效的密钥（应为 gongkai keys generate 生成的 Fernet 密钥）。"
        ) from exc
    return MultiFernet(parts), parts[0]


def _multi() -> MultiFernet:
    return _fernets(encryption_keys())[0]


def _primary() -> Fernet:
    return _fernets(encryption_keys())[1]


def encrypt(plaintext: str) -> str:
    """Encrypt ``plaintext`` with the newest key; returns the Fernet token as text."""
    return _multi().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token written by ``encrypt`` with any configured key."""
    try:
        return _multi().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError(
            "无法用 FIELD_ENCRYPTION_KEYS 中的任何密钥解密已存储的数据：密钥配置错误，"
            "或写入该数据的密钥已被移除。"
        ) from exc


def is_current(token: str) -> bool:
    """True if ``token`` was encrypted with the newest key (rotation has nothing to do)."""
    try:
        _primary().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key (decrypting it with whichever key fits)."""
    try:
        return _multi().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError(
            "无法用 FIELD_ENCRYPTION_KEYS 中的任何密钥解密已存储的数据，不能轮换。"
        ) from exc


def hash_key() -> bytes:
    """The HMAC key of the lookup hashes (the current one: new hashes are made with it)."""
    return hash_keys()[0]


def hash_keys() -> tuple[bytes, ...]:
    """FIELD_HASH_KEY, then the keys of FIELD_HASH_KEYS_PREVIOUS (accepted by lookups only)."""
    key = str(getattr(settings, "FIELD_HASH_KEY", "") or "")
    if len(key) < MIN_HASH_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"FIELD_HASH_KEY 未设置或过短（至少 {MIN_HASH_KEY_LENGTH} 个字符）。"
        )
    previous = getattr(settings, "FIELD_HASH_KEYS_PREVIOUS", None) or []
    if isinstance(previous, str):
        previous = previous.split(",")
    keys = [key]
    for old in (str(k).strip() for k in previous):
        if not old or old in keys:
            continue
        if len(old) < MIN_HASH_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"FIELD_HASH_KEYS_PREVIOUS 中有过短的密钥（至少 {MIN_HASH_KEY_LENGTH} 个字符）。"
            )
        keys.append(old)
    return tuple(k.encode("utf-8") for k in keys)


def hash_for_lookup(value: str, *, purpose: str = "", key: bytes | None = None) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of an already normalised ``value``.

    ``purpose`` separates the hashes of different kinds of value (``"id_number"``,
    ``"phone"``, ``"applicant"`` …). Callers normalise first (see ``LookupHashField``): the
    hash matches exactly equal strings only. ``key`` defaults to the current FIELD_HASH_KEY.
    """
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(key or hash_key(), message, hashlib.sha256).hexdigest()


def lookup_hashes(value: str, *, purpose: str = "") -> list[str]:
    """The hashes of ``value`` under every configured hash key, current first.

    What to search by (``field__in=…``): while ``gongkai keys rehash`` has not finished, a
    stored hash may still be under a previous key.
    """
    return [hash_for_lookup(value, purpose=purpose, key=k) for k in hash_keys()]


def key_id(key: str) -> str:
    """A short fingerprint naming a key in reports and audit entries (not the key itself)."""
    return hashlib.sha256(key.strip().encode("ascii", "replace")).hexdigest()[:8]


# --- rotation -------------------------------------------------------------------------------------


@dataclass
class ColumnReport:
    """What rotation or a status scan found in one encrypted column."""

    label: str
    values: int = 0
    rotated: int = 0
    current: int = 0
    changed_meanwhile: int = 0
    #: Values per key fingerprint (status scans only; "?" = no configured key fits).
    by_key: dict[str, int] = field(default_factory=dict)


def encrypted_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted column of the installed models: (model, field)."""
    from django.apps import apps

    # Cycle: core.fields builds its encrypted and hashed fields on this module.
    from gongkai.core.fields import EncryptedTextField

    found: list[tuple[type[models.Model], models.Field]] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        for f in meta.local_concrete_fields:
            if isinstance(f, EncryptedTextField):
                found.append((model, f))
    return found


def _column(f: Any) -> str:
    """The database column of a concrete field (the stubs allow None, for non-concrete ones)."""
    if not f.column:
        raise ValueError(f"{f!r} has no database column")
    return str(f.column)


def _batches(
    model: type[models.Model], f: models.Field, batch_size: int
) -> Iterator[list[tuple[Any, str]]]:
    """Raw (pk, token) pairs of the non-empty values of a column, in pk order, batch by batch."""
    q = connection.ops.quote_name
    table, column, pk = q(model._meta.db_table), q(_column(f)), q(_column(model._meta.pk))
    last: Any = None
    while True:
        where = f"{column} IS NOT NULL AND {column} <> ''"
        params: list[Any] = []
        if last is not None:
            where += f" AND {pk} > %s"
            params.append(last)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                [*params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _count(model: type[models.Model], f: models.Field) -> int:
    q = connection.ops.quote_name
    column = q(_column(f))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {q(model._meta.db_table)} "  # noqa: S608
            f"WHERE {column} IS NOT NULL AND {column} <> ''"
        )
        return int(cursor.fetchone()[0])


Progress = Callable[[str, int, int], None]


def rotate_column(
    model: type[models.Model],
    f: models.Field,
    *,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> ColumnReport:
    """Re-encrypt every value of one column that is not under the newest key yet.

    Works on the raw tokens (no model code runs, ``updated_at`` is untouched), one transaction
    per batch. Each write is conditional on the token read (``WHERE col = old``): a value saved
    meanwhile by the application — already under the newest key — is left alone. Raises
    ``DecryptionError`` (naming table, column and primary key) on a value no key can read.
    """
    label = f"{model._meta.db_table}.{f.column}"
    report = ColumnReport(label=label)
    total = _count(model, f)
    q = connection.ops.quote_name
    update = (
        f"UPDATE {q(model._meta.db_table)} SET {q(_column(f))} = %s "  # noqa: S608
        f"WHERE {q(_column(model._meta.pk))} = %s AND {q(_column(f))} = %s"
    )
    for rows in _batches(model, f, batch_size):
        changes = []
        for pk, token in rows:
            report.values += 1
            if is_current(token):
                report.current += 1
                continue
            try:
                changes.append((rotate(token), pk, token))
            except DecryptionError as exc:
                raise DecryptionError(f"{label}（主键 {pk}）：{exc}") from exc
        if changes:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(update, changes)
                written = cursor.rowcount if cursor.rowcount >= 0 else len(changes)
            report.rotated += written
            report.changed_meanwhile += len(changes) - written
        if progress is not None:
            progress(label, report.values, total)
    return report


def column_status(
    model: type[models.Model], f: models.Field, *, batch_size: int = 1000
) -> ColumnReport:
    """Count one column's values by the key that decrypts them ("?" for none)."""
    keys = encryption_keys()
    fernets = [(key_id(k), Fernet(k.encode("ascii"))) for k in keys]
    report = ColumnReport(label=f"{model._meta.db_table}.{f.column}")
    for rows in _batches(model, f, batch_size):
        for _pk, token in rows:
            report.values += 1
            owner = "?"
            for name, fernet in fernets:
                try:
                    fernet.decrypt(token.encode("ascii"))
                except (InvalidToken, UnicodeEncodeError):
                    continue
                owner = name
                break
            report.by_key[owner] = report.by_key.get(owner, 0) + 1
            if owner == fernets[0][0]:
                report.current += 1
    return report


# --- hash-key rotation (rehash) ------------------------------------------------------------------


@dataclass(frozen=True)
class KeyedColumn:
    """A stored keyed hash and how to recompute it from its row under the current hash key.

    ``sources`` are the fields ``compute`` reads (decrypted by the ORM); ``search_index`` names
    the search index holding the column (its documents are queued for re-indexing on change).
    """

    model: type[models.Model]
    column: str
    sources: tuple[str, ...]
    compute: Callable[[Any], str]
    search_index: str = ""

    @property
    def label(self) -> str:
        """``table.column``, for reports and audit entries."""
        return f"{self.model._meta.db_table}.{_column(self.model._meta.get_field(self.column))}"


_registered_keyed: list[Callable[[], KeyedColumn]] = []


def register_keyed_column(factory: Callable[[], KeyedColumn]) -> None:
    """Register a keyed-hash column that is not a ``LookupHashField`` (from an app's ``ready``)."""
    _registered_keyed.append(factory)


def keyed_columns() -> list[KeyedColumn]:
    """Every stored keyed hash: each ``LookupHashField`` of the installed models, then the
    columns registered with ``register_keyed_column`` (e.g. ``Application.applicant_key``)."""
    from django.apps import apps

    # Cycle: core.fields builds its encrypted and hashed fields on this module.
    from gongkai.core.fields import LookupHashField

    found: list[KeyedColumn] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        for f in meta.local_concrete_fields:
            if isinstance(f, LookupHashField):
                found.append(
                    KeyedColumn(
                        model=model,
                        column=f.attname,
                        sources=(f.source,),
                        compute=partial(_hash_source, f),
                    )
                )
    found.extend(factory() for factory in _registered_keyed)
    return found


def _hash_source(f: Any, obj: Any) -> str:
    """The keyed hash of a ``LookupHashField``'s source value on ``obj``."""
    return str(f.hash_for(getattr(obj, f.source)))


def _rows(col: KeyedColumn, batch_size: int) -> Iterator[list[Any]]:
    manager = col.model._base_manager
    last: Any = None
    while True:
        qs = manager.order_by("pk").only("pk", col.column, *col.sources)
        if last is not None:
            qs = qs.filter(pk__gt=last)
        rows = list(qs[:batch_size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def rehash_column(
    col: KeyedColumn, *, batch_size: int = 1000, progress: Progress | None = None
) -> ColumnReport:
    """Recompute every stored hash of one column under the current FIELD_HASH_KEY.

    Reads the source values through the ORM (decrypting them), writes only the hashes that
    differ, one transaction per batch, each write conditional on the hash read (a row saved
    meanwhile already has the current hash). Changed rows are queued for the search index.
    """
    report = ColumnReport(label=col.label)
    total = col.model._base_manager.count()
    q = connection.ops.quote_name
    meta = col.model._meta
    update = (
        f"UPDATE {q(meta.db_table)} SET {q(_column(meta.get_field(col.column)))} = %s "  # noqa: S608
        f"WHERE {q(_column(meta.pk))} = %s AND {q(_column(meta.get_field(col.column)))} = %s"
    )
    for rows in _rows(col, batch_size):
        changes = []
        for obj in rows:
            report.values += 1
            stored = getattr(obj, col.column) or ""
            try:
                fresh = col.compute(obj)
            except DecryptionError as exc:
                raise DecryptionError(f"{col.label}（主键 {obj.pk}）：{exc}") from exc
            if fresh == stored:
                report.current += 1
            else:
                changes.append((fresh, obj.pk, stored))
        if changes:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.executemany(update, changes)
                    written = cursor.rowcount if cursor.rowcount >= 0 else len(changes)
                if col.search_index:
                    index_rows_changed.send(
                        sender=KeyedColumn,
                        index_name=col.search_index,
                        pks=[pk for _h, pk, _o in changes],
                    )
            report.rotated += written
            report.changed_meanwhile += len(changes) - written
        if progress is not None:
            progress(col.label, report.values, total)
    return report


def hash_status(col: KeyedColumn, *, batch_size: int = 1000) -> ColumnReport:
    """Count one column's hashes by whether they are under the current key (``current``)."""
    report = ColumnReport(label=col.label)
    for rows in _rows(col, batch_size):
        for obj in rows:
            report.values += 1
            if col.compute(obj) == (getattr(obj, col.column) or ""):
                report.current += 1
    report.by_key = {"current": report.current, "stale": report.values - report.current}
    return report


# --- deployment checks --------------------------------------------------------------------------


@register(Tags.security, deploy=True)
def check_field_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Encryption and hash keys come from the environment and are well formed."""
    problems: list[CheckMessage] = []
    for name in ("FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"):
        if not os.environ.get(name):
            problems.append(
                Warning(
                    f"{name} 未通过环境变量设置（var/ 下自动生成的密钥仅供本地使用）。",
                    hint="用 gongkai keys generate 生成，保存在备份之外（见 docs/security.md）。",
                    id="gongkai.W010" if name == "FIELD_ENCRYPTION_KEYS" else "gongkai.W011",
                )
            )
    try:
        _fernets(encryption_keys())
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="gongkai.E010"))
    try:
        hash_key()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="gongkai.E011"))
    return problems
