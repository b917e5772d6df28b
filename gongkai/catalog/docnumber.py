"""文号 (document numbers): parse and normalise them as real catalogues write them.

The standard form is ``<机关代字>〔<year>〕<serial>号`` (GB/T 9704: the year in hexagonal
brackets 〔〕). Real data brings square, round and full-width brackets, stray spaces and
zero-width characters, a leading label (“发文字号：”) and other forms that must be kept as
they are (“重庆市人民政府令第359号”, “国家税务总局公告2015年第41号”). ``normalise`` is
idempotent: normalising a normalised 文号 changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Invisible characters that real pages leave in 文号.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LABEL = re.compile(r"^(?:发文字号|发布文号|文号|文件编号|字号)\s*[:：]\s*")
_OPEN = "[(（［【〔〖{｛"
_CLOSE = "])）］】〕〗}｝"
_YEAR_BRACKETED = re.compile(rf"[{re.escape(_OPEN)}]\s*((?:19|20)\d{{2}})\s*[{re.escape(_CLOSE)}]")
_BARE_YEAR = re.compile(r"(?<=[\u4e00-\u9fff])\s*((?:19|20)\d{2})\s+(\d{1,5})\s*号$")
_EMPTY_BRACKETS = re.compile(r"〔\s*〕")
_SPACES = re.compile(r"\s+")

_STANDARD = re.compile(r"^(?P<prefix>.+?)〔(?P<year>(?:19|20)\d{2})〕第?(?P<serial>\d+)号$")
_ORDER = re.compile(r"^(?P<prefix>.*?令)第(?P<serial>\d+)号$")
_YEARLY = re.compile(r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d{2})年第(?P<serial>\d+)号$")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 文号: the issuer's code (机关代字), year (if any), serial and the form it has."""

    text: str
    prefix: str
    year: int | None
    serial: int | None
    form: str  # "standard" 〔year〕 · "order" 令第N号 · "yearly" YYYY年第N号 · "other"


def _fold_width(value: str) -> str:
    """Fold full-width ASCII digits and letters to half-width (brackets are kept)."""
    out = []
    for ch in value:
        if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalise(raw: str | None) -> str:
    """Return the 文号 in the standard written form (empty string for none)."""
    if not raw:
        return ""
    value = _fold_width(str(raw).translate(_INVISIBLE)).strip()
    value = _LABEL.sub("", value)
    if value in {"无", "—", "-", "/", "暂无"}:
        return ""
    value = _YEAR_BRACKETED.sub(lambda m: f"〔{m.group(1)}〕", value)
    value = _BARE_YEAR.sub(lambda m: f"〔{m.group(1)}〕{m.group(2)}号", value)
    # A stray empty pair left behind by page templates (“…48号〔〕”).
    value = _EMPTY_BRACKETS.sub("", value)
    value = _SPACES.sub("", value)
    return value


def parse(raw: str | None) -> DocNumber | None:
    """Parse a 文号 (after normalising); None when there is none. Never raises."""
    text = normalise(raw)
    if not text:
        return None
    m = _STANDARD.match(text)
    if m:
        return DocNumber(
            text, m.group("prefix"), int(m.group("year")), int(m.group("serial")), "standard"
        )
    m = _YEARLY.match(text)
    if m:
        return DocNumber(
            text, m.group("prefix"), int(m.group("year")), int(m.group("serial")), "yearly"
        )
    m = _ORDER.match(text)
    if m:
        return DocNumber(text, m.group("prefix"), None, int(m.group("serial")), "order")
    return DocNumber(text, text, None, None, "other")
