"""Identity numbers and masking of personal data (pure Python, no Django).

居民身份证号码 (GB 11643-1999): 17 digits and a check character computed with ISO 7064
MOD 11-2 — by python-stdnum's ``stdnum.cn.ric``; the messages saying what is wrong are ours.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.cn import ric

_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 digits of an ID card number."""
    # stdnum takes the whole number and ignores its last character (the check character).
    return str(ric.calc_check_digit(first17 + "0"))


def normalise_id_number(value: str) -> str:
    """Strip spaces, fold full-width characters and upper-case a trailing x."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in (value or "").strip()
    )
    return folded.replace(" ", "").upper()


def normalise_phone(value: str) -> str:
    """Fold full-width characters, drop spaces, hyphens, dots and brackets, and a +86 / 0086
    country prefix: ``+86 138-1234-5678`` → ``13812345678``, ``(0799) 1111111`` →
    ``07991111111``, ``+86 10 12345678`` → ``01012345678``. The form phone numbers are
    compared in (exact-match lookup hashes)."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in (value or "").strip()
    )
    digits = re.sub(r"[\s\u3000\-.()]", "", folded)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) > len(prefix) + 6:
            national = digits[len(prefix) :]
            # A mobile number is 11 digits from 1; a landline regains its trunk 0 (010-…).
            is_mobile = len(national) == 11 and national.startswith("1")
            return national if is_mobile or national.startswith("0") else "0" + national
    return digits


def id_number_error(value: str) -> str | None:
    """Return a Chinese message saying what is wrong with a 居民身份证 number, or None."""
    number = normalise_id_number(value)
    if len(number) != 18:
        return f"居民身份证号码应为18位，现为{len(number)}位。"
    if not _ID_RE.match(number):
        return "居民身份证号码前17位应为数字，第18位为数字或X。"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return "居民身份证号码校验位错误，请核对。"
    return None


def mask_id_number(value: str) -> str:
    """Keep the first 4 and last 4 characters: ``1101**********1234``."""
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number: ``138****5678``."""
    value = value or ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    """Keep the first character of the local part and the domain: ``z***@example.cn``."""
    value = value or ""
    local, sep, domain = value.partition("@")
    if not sep:
        return "*" * len(value)
    return (local[:1] + "***") + "@" + domain


def mask_name(value: str) -> str:
    """Keep a person's surname (first character): ``张**``."""
    value = value or ""
    return value[:1] + "*" * (len(value) - 1) if value else ""
