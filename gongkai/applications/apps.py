from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from gongkai.core.crypto import KeyedColumn


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        """Connect to the work calendar's change signal (deadline recomputation); register
        ``applicant_key`` as a keyed hash for ``gongkai keys rehash``."""
        # ready(): app modules with models import only once the app registry is ready.
        from gongkai.applications import signals  # noqa: F401
        from gongkai.core import crypto

        crypto.register_keyed_column(_applicant_key_column)


def _applicant_key_column() -> KeyedColumn:
    # Called from ready() on: models import only once the app registry is ready.
    from gongkai.applications.models import Application
    from gongkai.applications.services import applicant_key
    from gongkai.core import crypto

    return crypto.KeyedColumn(
        model=Application,
        column="applicant_key",
        sources=("applicant_type", "applicant_name", "id_number", "credit_code"),
        compute=lambda app: applicant_key(
            applicant_type=app.applicant_type,
            id_number=app.id_number,
            credit_code=app.credit_code,
            name=app.applicant_name,
        ),
        search_index="applications",
    )
