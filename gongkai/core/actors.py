"""Who acts: a staff member (a ``User``) or, explicitly, an actor without a staff account.

Every write takes ``by: Actor``. A staff member acts through the roles they hold
(``gongkai.accounts.permissions``). The platform itself — commands, imports, scheduled jobs —
acts as :data:`SYSTEM`; the applicant on the portal acts as ``applications.APPLICANT``. Such a
:class:`SystemActor` holds no role: it may take a step only where that step names it
(``Transition(actors=...)`` or ``require(..., allow=...)``). There is no ``by=None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class SystemActor:
    """An actor without a staff account; ``label`` is how records and audit entries name it."""

    key: str
    label: str

    #: Never a logged-in person (``record_audit`` and templates read these like a user's).
    is_authenticated = False
    pk = None

    def __str__(self) -> str:
        return self.label


#: The platform itself: management commands, imports, scheduled publication, recomputations.
SYSTEM = SystemActor("system", "系统")

#: Who may act: a staff member (``accounts.User``) or a :class:`SystemActor`.
#: A view passes request.user as it is; an anonymous user holds no role, so every check refuses it.
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | SystemActor"


def user_of(actor: Any) -> Any:
    """The user to store in a ``created_by``-style foreign key: None for a system actor."""
    return actor if getattr(actor, "pk", None) else None
