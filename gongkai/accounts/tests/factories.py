"""Factories for staff users and their roles."""

from __future__ import annotations

import itertools
from typing import Any, cast

import factory

from gongkai.accounts.models import StaffMembership, User

PASSWORD = "correct-horse-battery"  # noqa: S105 - test credential

_n = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user with a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


def make_staff(agency: Any, role: str, *, sub: bool = False, username: str | None = None) -> User:
    """Create a user holding ``role`` in ``agency``."""
    user = cast(User, UserFactory(username=username or f"staff{next(_n)}"))
    StaffMembership.objects.create(user=user, agency=agency, role=role, includes_subagencies=sub)
    return user
