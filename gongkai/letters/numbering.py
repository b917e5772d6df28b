"""Letter numbers (发文字号) per agency and year, gapless and unique under concurrency.

Numbers come from the one counter (``gongkai.core.counters``): row-locked in the caller's
transaction, so concurrent issuers of one agency queue on it and a rolled-back letter gives its
serial back.
"""

from __future__ import annotations

from gongkai.agencies.models import Agency
from gongkai.core.counters import next_value
from gongkai.letters.models import LetterSettings

#: The counter scope of letter numbers (文书编号).
LETTER_NUMBERS = "letters.letter"


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
    return next_value(LETTER_NUMBERS, agency=agency, year=year)
