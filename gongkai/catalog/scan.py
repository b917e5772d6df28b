"""错敏检测: find personal data and listed expressions in text, with their location.

Pure functions (no database): ``scan_lines`` takes located lines and the expression list and
returns ``Hit``s. Numbers are only reported when they are what they look like:

* 居民身份证号码: 18 characters, a real birth date and the GB 11643-1999 check character;
* 手机号码: 11 digits starting 13–19 (optionally +86, spaces or hyphens in the 3-4-4 groups);
* 银行卡号: 16–19 digits (optionally in groups of four) passing the Luhn check; an 18-digit
  number shaped like an ID number (a birth date in digits 7–14) is never taken for a card;
* 电子邮箱: the usual local@domain.tld form.

Values are masked before they are stored or shown (the scan must not spread what it finds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum.cn import ric

from gongkai.catalog.choices import FindingKind

ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})(?![0-9A-Za-z])"
)
CARD_RE = re.compile(
    r"(?<![0-9A-Za-z])(\d{4}(?:[\s-]?\d{4}){2,3}(?:[\s-]?\d{1,3})?)(?![0-9A-Za-z])"
)
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})"
)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number (python-stdnum)."""
    # stdnum takes the whole number and ignores its last character (the check character).
    return str(ric.calc_check_digit(first17 + "0"))


def is_valid_id_number(value: str) -> bool:
    """True for an 18-character resident ID number with a real birth date and check character."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > dt.date.today():  # noqa: DTZ011 - a date, not a moment
        return False
    return id_check_char(value[:17]) == value[17]


def _id_shaped(value: str) -> bool:
    """True when an 18-digit number carries a plausible birth date where an ID number does."""
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_bank_card(value: str) -> bool:
    """True for 16–19 digits passing Luhn that are not a resident ID number."""
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit() or not 16 <= len(digits) <= 19:
        return False
    if len(digits) == 18 and _id_shaped(digits):
        return False  # an ID number (valid or mistyped), never a card
    return luhn_ok(digits)


def mask(kind: str, value: str) -> str:
    """Hide the middle of a found value, keeping enough to locate it."""
    compact = re.sub(r"[\s-]", "", value)
    if kind == FindingKind.EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    if kind in (FindingKind.ID_NUMBER, FindingKind.BANK_CARD):
        return f"{compact[:4]}{'*' * (len(compact) - 8)}{compact[-4:]}"
    if kind == FindingKind.MOBILE:
        return f"{compact[:3]}****{compact[-4:]}"
    return value


@dataclass(frozen=True)
class Term:
    """An expression to look for, with its kind (SENSITIVE/MISTAKEN) and suggested wording."""

    text: str
    kind: str
    suggestion: str = ""


@dataclass(frozen=True)
class Hit:
    """One finding in one line."""

    kind: str
    page: str
    line: int
    value: str  # the matched text (not stored: see ``masked``)
    suggestion: str = ""

    @property
    def masked(self) -> str:
        """The value as shown to people."""
        return mask(self.kind, self.value)

    def fingerprint(self, source: str) -> str:
        """A stable identity for this finding in this source (kind, value, place)."""
        compact = re.sub(r"[\s-]", "", self.value).upper()
        raw = f"{self.kind}|{compact}|{source}|{self.page}|{self.line}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Found:
    """One personal-data finding in a text: its kind, span and value."""

    kind: str
    start: int
    end: int
    value: str


def personal_data_matches(text: str) -> list[Found]:
    """Return the ID numbers, bank cards, mobile numbers and e-mail addresses in ``text``.

    Kinds are found in that order; a span taken by one kind is not reported again as another
    (an ID number is never also a card or a phone number).
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for m in ID_RE.finditer(text):
        if is_valid_id_number(m.group(1)):
            found.append(Found(FindingKind.ID_NUMBER, *m.span(1), m.group(1)))
            taken.append(m.span(1))
    for m in CARD_RE.finditer(text):
        if free(m.span(1)) and is_bank_card(m.group(1)):
            found.append(Found(FindingKind.BANK_CARD, *m.span(1), m.group(1)))
            taken.append(m.span(1))
    for m in MOBILE_RE.finditer(text):
        if free(m.span(1)):
            found.append(Found(FindingKind.MOBILE, *m.span(1), m.group(1)))
            taken.append(m.span(1))
    for m in EMAIL_RE.finditer(text):
        found.append(Found(FindingKind.EMAIL, *m.span(1), m.group(1)))
    return found


def scan_text(text: str, *, page: str = "", line: int = 0, terms: Iterable[Term] = ()) -> list[Hit]:
    """Return the findings in one line of text."""
    hits = [Hit(f.kind, page, line, f.value) for f in personal_data_matches(text)]
    for term in terms:
        if term.text and term.text in text:
            hits.append(Hit(term.kind, page, line, term.text, term.suggestion))
    return hits


def scan_lines(units: Iterable[tuple[str, int, str]], terms: Iterable[Term] = ()) -> list[Hit]:
    """Scan located lines ``(page, line, text)``; return every finding in order."""
    term_list = list(terms)
    hits: list[Hit] = []
    for page, line, text in units:
        if text:
            hits.extend(scan_text(text, page=page, line=line, terms=term_list))
    return hits
