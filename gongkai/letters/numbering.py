"""Letter numbers (发文字号) per agency and year, gapless and unique under concurrency.

The counter row is locked with SELECT … FOR UPDATE in the caller's transaction, so concurrent
issuers of one agency queue on it and a rolled-back letter gives its serial back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency
from gongkai.letters.models import LetterCounter, LetterSettings


def format_letter_number(prefix: str, year: int, serial: int) -> str:
    """``临府办依告〔2026〕12号`` (GB/T 9704: year in 〔〕, serial without leading zeros)."""
    return f"{prefix}〔{year}〕{serial}号"


def default_prefix(agency: Agency) -> str:
    """The prefix used until the agency admin sets one: the short name and "依告"."""
    return f"{agency.short_name or agency.name}依告"


def number_prefix(agency: Agency) -> str:
    """The agency's configured prefix, or the default one."""
    settings_row = LetterSettings.objects.filter(agency=agency).first()
    return settings_row.number_prefix if settings_row else default_prefix(agency)


def allocate_serial(agency: Agency, year: int) -> int:
    """Take the next serial of ``agency`` in ``year``; call inside ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_serial must run inside a transaction")
    counter = LetterCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                LetterCounter.objects.create(agency=agency, year=year, last_serial=0)
        except IntegrityError:
            pass  # created meanwhile by a concurrent issuer
        counter = LetterCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial
