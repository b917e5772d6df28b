"""受理编号: the registration number of a case, per agency and year (``2026-0012``)."""

from __future__ import annotations

from typing import Any

from gongkai.core.counters import next_value

#: The counter scope of registration numbers (shared by registration and the ledger import).
REGISTRATION = "applications.registration"


def format_registration_number(year: int, serial: int) -> str:
    """Return the 受理编号 shown to people: ``2026-0012``."""
    return f"{year}-{serial:04d}"


def allocate_registration_number(agency: Any, year: int) -> tuple[int, str]:
    """Take the next serial of ``agency`` in ``year`` (gapless; inside the caller's transaction)."""
    serial = next_value(REGISTRATION, agency=agency, year=year)
    return serial, format_registration_number(year, serial)
