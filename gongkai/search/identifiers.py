"""Exact identifiers: 文号 in any common spelling, 索引号 and registration numbers.

Documents carry their identifiers as *keys*; a query is scanned for anything that looks like an
identifier and turned into the same keys, so ``茂府办函〔2016〕65号``, ``茂府办函[2016]65号``,
``茂府办函(2016)65号`` and ``茂府办函 2016 65`` all find the same item.
"""

from __future__ import annotations

import re
import unicodedata

_OPEN = r"[\[(（［【〔〖{｛]"
_CLOSE = r"[\])）］】〕〗}｝]"
#: <机关代字> <year> <serial>, brackets and 号 optional, spaces allowed in between.
_DOC_NUMBER = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,20}}?)\s*{_OPEN}?\s*(?P<year>(?:19|20)\d{{2}})\s*{_CLOSE}?"
    rf"\s*(?:年\s*)?第?\s*(?P<serial>\d{{1,6}})\s*号?"
)
_ORDER = re.compile(r"(?P<prefix>[\u4e00-\u9fff]{1,30}?令)\s*第?\s*(?P<serial>\d{1,6})\s*号?")
#: 索引号: <organisation code>/<year>-<serial> (also with a 6-digit year-month part).
_INDEX_NUMBER = re.compile(r"[0-9a-z]{6,20}\s*/\s*\d{4,6}\s*[-‐－—]\s*\d{2,8}", re.IGNORECASE)
#: Registration numbers: several groups of letters and digits joined by hyphens, or a long code.
_REGISTRATION = re.compile(r"\b[0-9a-z]{1,12}(?:[-‐－—][0-9a-z]{1,12}){1,5}\b", re.IGNORECASE)
#: Words that may stand before a 文号 in a query but are not part of its issuer code.
_LEADING = re.compile(r"^(?:文号|发文字号|查询|查找|搜索|关于)+")


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def doc_number_key(prefix: str, year: int | str | None, serial: int | str) -> str:
    """The key of a 文号: ``wh:<代字>|<year>|<serial>`` (year empty for 令)."""
    return f"wh:{prefix}|{int(year) if year else ''}|{int(serial)}"


def document_keys(
    *, doc_number: str = "", index_number: str = "", registration_number: str = ""
) -> list[str]:
    """Identifier keys a document carries (for the index)."""
    keys: list[str] = []
    if doc_number:
        keys.extend(_doc_number_keys(doc_number, whole=True))
    if index_number:
        keys.append("sy:" + re.sub(r"\s+", "", _fold(index_number)).replace("－", "-"))
    if registration_number:
        keys.append("dj:" + re.sub(r"\s+", "", _fold(registration_number)).replace("－", "-"))
    return list(dict.fromkeys(keys))


def _doc_number_keys(text: str, *, whole: bool) -> list[str]:
    folded = unicodedata.normalize("NFKC", text or "")
    folded = folded.replace("〔", "[").replace("〕", "]")
    keys: list[str] = []
    for m in _DOC_NUMBER.finditer(folded):
        prefix = _LEADING.sub("", m.group("prefix"))
        if prefix:
            keys.append(doc_number_key(prefix, m.group("year"), m.group("serial")))
    for m in _ORDER.finditer(folded):
        keys.append(doc_number_key(m.group("prefix"), None, m.group("serial")))
    if whole and not keys and folded.strip():
        keys.append("wh:" + re.sub(r"\s+", "", folded))
    return keys


def query_keys(query: str) -> list[str]:
    """Identifier keys found in a query (empty for an ordinary query)."""
    text = _fold(query)
    keys: list[str] = []
    for m in _INDEX_NUMBER.finditer(text):
        keys.append("sy:" + re.sub(r"\s+", "", m.group(0)).replace("－", "-"))
    for m in _REGISTRATION.finditer(text):
        keys.append("dj:" + m.group(0).replace("－", "-"))
    keys.extend(_doc_number_keys(query, whole=False))
    # A query that *is* one identifier also matches identifiers of any other form exactly.
    bare = re.sub(r"\s+", "", text)
    if bare and len(bare) <= 64 and re.search(r"\d", bare):
        keys.extend(["sy:" + bare, "dj:" + bare])
    return list(dict.fromkeys(keys))
