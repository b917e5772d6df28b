"""Model fields for personal data: transparently encrypted text and its keyed lookup hash.

``EncryptedTextField`` holds plaintext on the model and a Fernet token in the database: the
value is encrypted in ``get_db_prep_value`` (so ``save()``, ``bulk_create()``, ``update()`` and
``bulk_update()`` all write ciphertext) and decrypted in ``from_db_value`` (so instances,
``values()`` and ``values_list()`` all read plaintext). The empty string stays empty, so
"no phone number" remains an ordinary ``phone=""`` test.

Ciphertext is randomised, so the database cannot compare encrypted values: every lookup on
an encrypted field except ``=""`` and ``IS NULL`` raises ``FieldError``. Search goes through a
``LookupHashField`` next to it, which the model fills from the encrypted field on every save
and bulk insert::

    phone = EncryptedTextField("联系电话", max_length=40, blank=True)
    phone_hash = LookupHashField(source="phone", normaliser=normalise_phone)

    Model.objects.filter(phone_hash__in=Model._meta.get_field("phone_hash").hashes_for(raw_input))

``bulk_update()`` and ``save(update_fields=[...])`` do not run ``pre_save``: a
``save(update_fields=...)`` naming the encrypted field without its hash is refused, and
``bulk_update()`` callers must list and set the hash field themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import signals
from django.db.models.lookups import Exact, IsNull

from gongkai.core import crypto

#: Length of a hex HMAC-SHA256.
HASH_LENGTH = 64


class _EmptyOnlyExact(Exact):
    """``field=""`` only: any other value could never match a randomised ciphertext."""

    def get_prep_lookup(self) -> Any:
        if not (isinstance(self.rhs, str) and self.rhs == ""):
            raise FieldError(
                f"加密字段 {self.lhs.output_field.name} 只能与空字符串比较；"
                "请按其哈希字段精确查找（LookupHashField.hash_for）。"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with ``gongkai.core.crypto`` (Fernet, key rotation).

    ``max_length`` limits the *plaintext* (model validation and form fields); the column is
    ``text``, since a Fernet token is about 1.4 × (plaintext rounded up to 16 bytes) + 80.
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        """Encrypt a non-empty value with the newest key."""
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        """Decrypt with any configured key; raises ``crypto.DecryptionError`` if none fits."""
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        """Only ``exact`` (with "") and ``isnull``: anything else raises FieldError."""
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        """No transforms (``lower``, ``contains`` …) on ciphertext."""
        return None


class LookupHashField(models.CharField):
    """The keyed hash of another field's normalised value, for exact-match search.

    Filled in ``pre_save`` (every ``save()`` and every ``bulk_create()``) from ``source``;
    an empty value hashes to "". ``hash_for(raw)`` gives what to filter by.
    """

    description = "Keyed hash of another field, for exact-match lookups"

    def __init__(
        self,
        *args: Any,
        source: str,
        normaliser: Callable[[str], str] | None = None,
        purpose: str = "",
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normaliser = normaliser
        self.purpose = purpose or source
        kwargs.setdefault("max_length", HASH_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normaliser is not None:
            kwargs["normaliser"] = self.normaliser
        if self.purpose != self.source:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def hash_for(self, raw: Any) -> str:
        """The hash stored for ``raw`` (normalised first), or "" for an empty value."""
        value = "" if raw is None else str(raw)
        if self.normaliser is not None:
            value = self.normaliser(value)
        value = value.strip()
        return crypto.hash_for_lookup(value, purpose=self.purpose) if value else ""

    def hashes_for(self, raw: Any) -> list[str]:
        """What to filter by (``field__in=…``): the hash of ``raw`` under every configured hash
        key, current first — while ``gongkai keys rehash`` runs, a row may hold an older one.
        Empty for an empty value."""
        value = "" if raw is None else str(raw)
        if self.normaliser is not None:
            value = self.normaliser(value)
        value = value.strip()
        return crypto.lookup_hashes(value, purpose=self.purpose) if value else []

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract and cls.__module__ != "__fake__":  # not migration states
            signals.pre_save.connect(self._refuse_partial_update, sender=cls)

    def _refuse_partial_update(self, sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
        """``save(update_fields=[source])`` without the hash would leave a stale hash."""
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(
                f"save(update_fields=...) 含 {self.source} 时必须同时包含 {self.name}。"
            )
