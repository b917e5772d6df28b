"""Find the reporting agency and the report year in the text of a report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .normalize import nfkc
from .sources import Line

_NAME = r"[\u4e00-\u9fa5（）()·]{2,40}?"
_YEAR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "title",
        re.compile(
            r"((?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开)(?:工作)?\s*(?:年度)?\s*报告"
        ),
    ),
    (
        "title",
        re.compile(
            r"(?:政府信息公开|政务公开)(?:工作)?年度报告\s*[(（]\s*((?:19|20)\d{2})\s*年?度?\s*[)）]"
        ),
    ),
    ("table", re.compile(r"统计表\s*[(（]\s*((?:19|20)\d{2})\s*年\s*度?\s*[)）]")),
    (
        "period",
        re.compile(
            r"(?:统计|数据)[^。]{0,12}?(?:自|从|为)\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
        ),
    ),
)
_AGENCY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "announcement",
        re.compile(
            rf"现(?:予)?公布\s*(?P<name>{_NAME})\s*(?:[(（]以下简称[^)）]{{0,12}}[)）])?\s*"
            r"(?:19|20)\d{2}\s*年\s*度?\s*(?:的)?政府信息公开"
        ),
    ),
    (
        "title",
        re.compile(
            rf"(?:^|[\s:：|])\s*(?P<name>{_NAME})\s*(?:19|20)\d{{2}}\s*年\s*度?\s*(?:的)?\s*政府信息公开(?:工作)?\s*(?:年度)?\s*报告"
        ),
    ),
)
_AGENCY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|局|委员会|委|厅|署|院|中心|管委会|办事处|街道办事处|公司|馆|所|站|队)$"
)
#: A place named as the reporting body in a title (a government's report: 平潭综合实验区2022年度…).
_PLACE_BODY = re.compile(r"(?:省|市|县|区|州|旗|盟|镇|乡|街道|实验区|新区|开发区)$")
_STANDALONE = re.compile(r"^[\u4e00-\u9fa5（）()]{3,30}$")
_PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|来源|信息来源)\s*[:：]\s*(?P<name>[\u4e00-\u9fa5（）()]{3,30})"
)
_PLACE = re.compile(r"([\u4e00-\u9fa5]{2,4}(?:自治区|自治州|自治县|省|市|县|区|州|盟|旗))人民政府")
_NOT_PLACE = re.compile(r"^(?:关于|请与|由|对|向|经|在|根据|做好|我|本|全|各|与|及|和|是)+")


@dataclass
class Found:
    """A value found in the text, with how and where."""

    value: Any
    method: str
    source: dict[str, Any]
    text: str


def with_wrapped_title(lines: Sequence[Line], limit: int, head: int = 8) -> list[Line]:
    """Return the first ``limit`` lines, then the first ``head`` lines joined in pairs.

    A long title wraps (the platform's own PDF export breaks it inside the agency name), so
    the title patterns are also tried on each line joined with the next.
    """
    joined = [
        Line(a.text.strip() + b.text.strip(), a.source)
        for a, b in zip(lines[:head], lines[1 : head + 1], strict=False)
    ]
    return [*lines[:limit], *joined]


def find_year(lines: Sequence[Line]) -> Found | None:
    """Return the report year, trying the title forms before the statistics period."""
    for method, pattern in _YEAR_PATTERNS:
        for line in with_wrapped_title(lines, 400):
            m = pattern.search(nfkc(line.text))
            if m:
                return Found(int(m.group(1)), method, line.source, line.text[:120])
    return None


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:关于|根据|现将|我|本)", "", name)
    return name.strip("（）() ")


def find_agency(lines: Sequence[Line]) -> tuple[Found | None, list[str]]:
    """Return the reporting agency, or None and the most frequent place names as candidates."""
    for method, pattern in _AGENCY_PATTERNS:
        for line in with_wrapped_title(lines, 200):
            m = pattern.search(nfkc(line.text))
            if m:
                name = _clean_name(m.group("name"))
                if len(name) >= 2 and (
                    _AGENCY_SUFFIX.search(name) or (method == "title" and _PLACE_BODY.search(name))
                ):
                    return Found(name, method, line.source, line.text[:120]), []
    # A line that is only an agency name, right after the title (common in published pages).
    for i, line in enumerate(lines[:40]):
        if re.search(r"政府信息公开(?:工作)?\s*(?:年度)?\s*报告", line.text):
            for nxt in lines[i + 1 : i + 4]:
                text = nfkc(nxt.text).strip()
                if _STANDALONE.match(text) and _AGENCY_SUFFIX.search(text):
                    return Found(text, "byline", nxt.source, nxt.text), []
    for line in lines[:20]:
        m = _PUBLISHER.search(nfkc(line.text))
        if m and _AGENCY_SUFFIX.search(m.group("name")):
            return Found(m.group("name"), "publisher", line.source, line.text[:120]), []
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(_NOT_PLACE.sub("", name) for name in _PLACE.findall(nfkc(line.text)))
    return None, [name for name, _ in counts.most_common(3) if len(name) >= 2]
