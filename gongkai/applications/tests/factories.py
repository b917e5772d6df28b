"""Factories for applications: cases are always created through the registration service."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gongkai.applications.choices import ApplicantType, Channel, IdDocumentType
from gongkai.applications.identity import id_check_char
from gongkai.applications.models import Application
from gongkai.applications.services import ApplicantData, application_register

_n = itertools.count(1)

PHONE = "13812345678"


def make_id_number(serial: int = 1, birth: str = "19900307") -> str:
    """Return a valid 居民身份证 number (region 110101) for ``serial``."""
    first17 = f"110101{birth}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def person(**overrides: Any) -> ApplicantData:
    """Return a natural-person applicant with a valid ID card number."""
    n = next(_n)
    values: dict[str, Any] = {
        "applicant_type": ApplicantType.PERSON,
        "name": f"张{n}",
        "id_document_type": IdDocumentType.ID_CARD,
        "id_number": make_id_number(n),
        "phone": PHONE,
        "address": "测试市人民路1号",
    }
    values.update(overrides)
    return ApplicantData(**values)


def make_application(
    agency: Any,
    by: Any,
    *,
    received_on: dt.date = dt.date(2026, 2, 10),
    channel: str = Channel.IN_PERSON,
    applicant: ApplicantData | None = None,
    **extra: Any,
) -> Application:
    """Register an in-person application received on ``received_on``."""
    return application_register(
        by=by,
        agency=agency,
        channel=channel,
        arrived_on=received_on,
        applicant=applicant or person(),
        description=extra.pop("description", "2025年本机关行政处罚决定书"),
        **extra,
    )
