"""Text normalisation shared by the table and prose readers.

Published reports mix full-width and ASCII digits and brackets, put stray spaces and line
breaks inside labels, and write （六）1 with either ``、`` or ``，``. Everything is compared in
a normal form: NFKC (full-width → ASCII), no whitespace, no punctuation, no leading numbering.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_PUNCT = re.compile(r"[、，,\.。．:：;；“”\"'‘’()（）《》〈〉<>【】\[\]{}\-—–_/|·•〃～~!！?？…]+")
_NUMBERING = re.compile(
    r"^(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[.、．)）]"
    r"|其中\s*[:：]?)\s*"
)
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]|增加?|减少?)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>件|条|个|次|人次|人|篇|项|万元|元|%)?$"
)
_DASHES = frozenset({"", "—", "——", "-", "--", "－", "/", "／", "无", "―", "―――", "–", "\\", "×"})
UNITS = frozenset({"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项"})


def nfkc(text: str) -> str:
    """Return ``text`` in NFKC form with NULs removed (full-width digits and brackets → ASCII)."""
    return unicodedata.normalize("NFKC", text.replace("\x00", ""))


def squash(text: str) -> str:
    """Return ``text`` in NFKC without any whitespace."""
    return _WS.sub("", nfkc(text))


def collapse(text: str) -> str:
    """Return ``text`` with runs of whitespace replaced by one space and stripped."""
    return _WS.sub(" ", text.replace("\x00", "")).strip()


def strip_numbering(text: str) -> str:
    """Remove leading item numbers such as ``（三）``, ``三、``, ``1.`` and ``其中：``."""
    previous = None
    text = squash(text)
    while previous != text:
        previous = text
        text = _NUMBERING.sub("", text, count=1)
    return text


def label_key(text: str) -> str:
    """Return the comparison form of a label: no numbering, whitespace or punctuation."""
    return _PUNCT.sub("", strip_numbering(text))


def starts_with_numbering(text: str) -> bool:
    """Return whether ``text`` starts with an item number (a new label starts here)."""
    return bool(_NUMBERING.match(squash(text))) and not squash(text).startswith("其中")


def is_blank_value(text: str) -> bool:
    """Return whether a cell's text means "nothing written" (empty, dash, slash, 无)."""
    return squash(text) in _DASHES


def parse_number(text: str) -> Decimal | None:
    """Parse a cell's number (``12``, ``１２``, ``4,068.208``, ``减4``, ``251000元``) or None."""
    s = squash(text)
    if not s or not any(ch.isdigit() for ch in s):
        return None
    m = _NUMBER.match(s)
    if not m or m.group("unit") == "%":
        return None
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only admits valid numbers
        return None
    sign = m.group("sign") or ""
    if sign in ("-", "−") or sign.startswith("减"):
        value = -value
    return value


def to_json_number(value: Decimal | None) -> int | float | None:
    """Return ``value`` as a JSON number: int when integral, else float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
