"""统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714) check characters.

The credit code's check character comes from python-stdnum (``stdnum.cn.uscc``); the messages
saying what is wrong are ours. python-stdnum has no 组织机构代码, so GB 11714 stays here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

#: The 31 characters allowed in a unified social credit code (no I, O, S, V, Z).
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def credit_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a credit code."""
    return str(uscc.calc_check_digit(first17))


def org_check_char(first8: str) -> str:
    """Return the check character of a 组织机构代码 from its first 8 characters (GB 11714)."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise_credit_code(value: str) -> str:
    """Upper-case and strip a credit code as typed (full-width characters folded)."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in (value or "").strip()
    )
    return folded.replace(" ", "").upper()


def credit_code_error(value: str) -> str | None:
    """Return a Chinese message saying what is wrong with ``value``, or None if it is valid."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        return _("统一社会信用代码应为18位，现为{n}位。").format(n=len(code))
    bad = [c for c in code if c not in _CREDIT_VALUE]
    if bad:
        return _("统一社会信用代码含有不允许的字符“{c}”（不使用I、O、S、V、Z）。").format(c=bad[0])
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return _("统一社会信用代码校验位错误：第18位应为“{expected}”，实为“{actual}”。").format(
            expected=expected, actual=code[17]
        )
    return None


def validate_credit_code(value: str) -> None:
    """Django validator: reject an invalid 统一社会信用代码 with a clear message."""
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="invalid_credit_code")


def organisation_code(credit_code: str) -> str:
    """Return the 9-character 组织机构代码 embedded in a credit code (characters 9–17)."""
    return normalise_credit_code(credit_code)[8:17]


def make_credit_code(division: str, serial: int, *, registry: str = "11") -> str:
    """Build a valid credit code for a government body (demo and test data).

    ``registry`` "11" = 机构编制 / 机关; ``division`` is a 6-digit administrative-division code;
    the organisation code is derived from ``serial`` with its GB 11714 check character.
    """
    org8 = f"{serial:08d}"
    first17 = f"{registry}{division}{org8}{org_check_char(org8)}"
    return first17 + credit_check_char(first17)
