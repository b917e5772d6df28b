"""The ledger (台账) columns and the parsers of their cell values (pure Python, no database).

Headers are matched exactly after trimming spaces and a trailing required-marker (``*``). Cell
parsers return a value or raise ``CellError`` with a Chinese message that never repeats
personal data (ID numbers, phone numbers).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from gongkai.applications.choices import (
    RESULT_GROUPS,
    ApplicantType,
    Channel,
    Result,
    result_full_label,
    result_short_label,
)

RECEIVED_ON = "收到日期"
CHANNEL = "申请方式"
APPLICANT_TYPE = "申请人类型"
APPLICANT = "申请人"
DESCRIPTION = "申请内容"
RESULT = "办理结果"
REPLIED_ON = "答复日期"
NUMBER = "受理编号"
ID_NUMBER = "证件号码"
PHONE = "联系电话"
EXTENDED = "是否延期"
CORRECTED_ON = "补正日期"

#: Required columns, in the order of the template and of exports.
REQUIRED: tuple[str, ...] = (
    RECEIVED_ON,
    CHANNEL,
    APPLICANT_TYPE,
    APPLICANT,
    DESCRIPTION,
    RESULT,
    REPLIED_ON,
)
#: Optional columns, after the required ones.
OPTIONAL: tuple[str, ...] = (NUMBER, ID_NUMBER, PHONE, EXTENDED, CORRECTED_ON)
ALL: tuple[str, ...] = (NUMBER, *REQUIRED, *OPTIONAL[1:])
#: Columns that hold dates (written as real date cells).
DATE_COLUMNS = frozenset({RECEIVED_ON, REPLIED_ON, CORRECTED_ON})

#: The regulation (2008 text) took effect on 2008-05-01: no ledger row can be older.
EARLIEST = dt.date(2008, 5, 1)
#: Excel's day 0 for serial dates (a plain number left in a date column).
_EXCEL_EPOCH = dt.date(1899, 12, 30)

#: Words that legacy ledgers use for the channels, besides the official labels.
CHANNEL_SYNONYMS: dict[str, str] = {
    "当面提交": Channel.IN_PERSON,
    "现场": Channel.IN_PERSON,
    "现场申请": Channel.IN_PERSON,
    "邮寄": Channel.LETTER,
    "信件": Channel.LETTER,
    "来信": Channel.LETTER,
    "网上": Channel.ONLINE,
    "在线": Channel.ONLINE,
    "互联网": Channel.ONLINE,
    "网上申请": Channel.ONLINE,
    "邮件": Channel.EMAIL,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
}
PERSON_WORDS = frozenset({"自然人", "个人", "公民"})
YES_WORDS = frozenset({"是", "延期", "已延期", "y", "yes", "1", "√", "true"})
NO_WORDS = frozenset({"否", "未延期", "不延期", "n", "no", "0", "×", "false"})
_ID_CARD_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^[0-9+\-()（） ]{5,40}$")
_PLATFORM_NUMBER_RE = re.compile(r"^(\d{4})-(\d{4,})$")


class CellError(ValueError):
    """A cell value that cannot be used; the message is shown to people (Chinese)."""


def fold(text: str) -> str:
    """Fold full-width characters (NFKC) and trim."""
    return unicodedata.normalize("NFKC", text or "").strip()


def clean_text(value: str) -> str:
    """Return a text cell trimmed, without the apostrophe that guards spreadsheet formulas."""
    value = (value or "").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


# --- dates -----------------------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: str, *, today: dt.date) -> dt.date | None:
    """Return the date of a cell (None when empty) in any common ledger spelling.

    Accepts ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日``, ``20240305`` and Excel
    serial numbers. Raises CellError for other text, for impossible dates, for dates before the
    regulation took effect and for dates after ``today``.
    """
    text = fold(value)
    if not text:
        return None
    day: dt.date | None = None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                day = dt.date(*(int(g) for g in match.groups()))
            except ValueError as exc:
                raise CellError(f"“{text}”不是有效日期") from exc
            break
    if day is None and text.isdigit() and 20_000 <= int(text) <= 80_000:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(text))
    if day is None:
        raise CellError(f"“{text[:20]}”不是日期（请写作 2024-03-05）")
    if day < EARLIEST:
        raise CellError(f"{day.isoformat()} 早于《政府信息公开条例》施行日期（2008-05-01）")
    if day > today:
        raise CellError(f"{day.isoformat()} 晚于今天")
    return day


# --- enumerations ----------------------------------------------------------------------------
def parse_channel(value: str) -> str:
    """Return the Channel of a 申请方式 cell."""
    text = fold(value)
    for choice in Channel:
        if text in (choice.label, choice.value):
            return str(choice.value)
    found = CHANNEL_SYNONYMS.get(text.lower())
    if found is None:
        allowed = "、".join(str(c.label) for c in Channel)
        raise CellError(f"“{text[:20]}”不是申请方式（应为{allowed}之一）")
    return str(found)


def parse_applicant_type(value: str) -> str:
    """Return the ApplicantType of a 申请人类型 cell.

    ``自然人``, or one of the five kinds of 法人或其他组织, with or without that prefix
    (``法人或其他组织-商业企业``, ``法人或其他组织（科研机构）``).
    """
    text = fold(value)
    if text in PERSON_WORDS or text == ApplicantType.PERSON.value:
        return str(ApplicantType.PERSON)
    rest = re.sub(r"^(法人或其他组织|法人或者其他组织)", "", text)
    rest = re.sub(r"[\s\-—–/／:：()（）、,，]", "", rest)
    for choice in ApplicantType:
        if choice is ApplicantType.PERSON:
            continue
        if rest in (choice.label, choice.value):
            return str(choice.value)
    if rest in {"其他组织", "其它"}:
        return str(ApplicantType.OTHER_ORG)
    kinds = "、".join(str(c.label) for c in ApplicantType if c is not ApplicantType.PERSON)
    if not rest:
        raise CellError(f"请写明法人或其他组织的类别（{kinds}）")
    raise CellError(f"“{text[:20]}”不是申请人类型（应为自然人或{kinds}之一）")


def parse_yes_no(value: str) -> bool:
    """Return the boolean of a 是/否 cell (empty means no)."""
    text = fold(value).lower()
    if not text or text in NO_WORDS:
        return False
    if text in YES_WORDS:
        return True
    raise CellError(f"“{text[:10]}”应为“是”或“否”")


# --- results ---------------------------------------------------------------------------------
_LEVEL2_PREFIX = re.compile(r"^(?:\(([一二三四五六七])\)|([一二三四五六七])[、.])")
_GROUP_NAMES = tuple(g.label[3:].split("(")[0].split("（")[0] for g in RESULT_GROUPS.values())
_NUMBERING = re.compile(r"^(?:\(?\d{1,2}\)|\d{1,2}[.、,，]?)")
_NOT_WORD = re.compile(r"[^\w]")


def _squash(text: str) -> str:
    """Strip numbering and group headings and every punctuation mark from a result label."""
    text = fold(text).replace(" ", "")
    text = _LEVEL2_PREFIX.sub("", text)
    for name in _GROUP_NAMES:
        if text.startswith(name) and len(text) > len(name) and name not in {"予以公开", "部分公开"}:
            text = text[len(name) :]
            break
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\(区分处理的.*$", "", text)
    return _NOT_WORD.sub("", text).replace("_", "")


def _result_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for value in Result.values:
        for text in (Result(value).label, result_full_label(value), result_short_label(value)):
            index[_squash(text)] = value
        index[value] = value
    return index


_RESULT_INDEX = _result_index()
#: Level-2 headings that have sub-rows: on their own they do not name one row.
_AMBIGUOUS = {_squash(g.label) for k, g in RESULT_GROUPS.items() if k not in {"r1", "r2"}}


def parse_result(value: str) -> str | None:
    """Return the table 三 row key of a 办理结果 cell (None when empty).

    Accepts the level-3 labels (``属于国家秘密``), the row labels with their numbers
    (``1.属于国家秘密``, ``1、属于国家秘密``), the full labels (``（三）不予公开 1.属于国家秘密``,
    ``（三）1.属于国家秘密``), the （一）/（二） row labels with or without numbering, in
    full-width or half-width punctuation, with ``、`` or ``，`` inside the （六） labels.
    """
    text = fold(value)
    if not text:
        return None
    key = _RESULT_INDEX.get(text) or _RESULT_INDEX.get(_squash(text))
    if key is not None:
        return key
    if _squash(text) in _AMBIGUOUS:
        raise CellError(f"“{text[:30]}”是分类标题，请填写具体的办理结果（如“属于国家秘密”）")
    raise CellError(f"“{text[:30]}”不是年度报告表三中的办理结果")


def result_ledger_label(result: str) -> str:
    """Return the label a ledger writes for a result: the level-3 label (``属于国家秘密``)."""
    return result_short_label(result)


# --- identity and contact --------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """What a 证件号码 cell holds for the applicant's type."""

    id_document_type: str = ""
    id_number: str = ""
    credit_code: str = ""
    masked: bool = False


def is_masked(value: str) -> bool:
    """True for a masked value from an export (``1101**********1234``)."""
    return "*" in (value or "")


def parse_phone(value: str) -> tuple[str, bool]:
    """Return (phone, masked) for a 联系电话 cell; a masked phone is dropped."""
    text = fold(value)
    if not text:
        return "", False
    if is_masked(text):
        return "", True
    if not _PHONE_RE.match(text) or sum(c.isdigit() for c in text) < 5:
        raise CellError("联系电话格式不正确（只能包含数字、空格、+、-和括号）")
    return text, False


def platform_serial(number: str, year: int) -> int | None:
    """Return the serial of a 受理编号 in the platform's own format for ``year`` (else None)."""
    match = _PLATFORM_NUMBER_RE.match(number)
    if match and int(match.group(1)) == year:
        return int(match.group(2))
    return None


def looks_like_id_card(value: str) -> bool:
    """True when ``value`` has the shape of an 18-character 居民身份证 number."""
    return bool(_ID_CARD_RE.match(value))
