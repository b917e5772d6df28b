"""Finding marks by position: text, patterns and the personal-data scan's findings."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from gongkai.catalog.scan import mask, personal_data_matches
from gongkai.responses.choices import MarkSource, RedactionReason
from gongkai.responses.pdfchars import Char, PageText, read_page, union
from gongkai.responses.redaction.plan import Mark, RedactionError, open_pdf


def read_text(pdf: bytes) -> list[PageText]:
    """The characters of every page of ``pdf``, for the search functions."""
    document = open_pdf(pdf)
    try:
        return [read_page(document, number) for number in range(len(document))]
    finally:
        document.close()


def _on_same_line(prev: Char, nxt: Char) -> bool:
    a, b, c, d = prev.matrix
    norm = math.hypot(a, b) or 1.0
    dx, dy = nxt.x - prev.x, nxt.y - prev.y
    along = (dx * a + dy * b) / norm
    across = abs(-dx * b + dy * a) / norm
    em = max(prev.size * (math.hypot(c, d) or 1.0), 1e-6)
    return across <= 0.5 * em and -0.5 * em <= along <= prev.advance + 3 * em


def marks_for_chars(
    page: PageText,
    start: int,
    end: int,
    *,
    reason: str,
    author: str,
    source: str,
    label: str = "",
) -> list[Mark]:
    """Marks covering characters ``start``..``end`` (exclusive) of ``page``, one box per line."""
    chars = [c for c in page.chars[start:end] if not c.generated and not c.is_space]
    if not chars:
        return []
    lines: list[list[Char]] = [[chars[0]]]
    for char in chars[1:]:
        if _on_same_line(lines[-1][-1], char):
            lines[-1].append(char)
        else:
            lines.append([char])
    group = f"{page.page}:{chars[0].index}-{chars[-1].index}"
    marks = []
    for line in lines:
        box = union([c.em for c in line] + [c.tight for c in line if c.tight[2] > c.tight[0]])
        marks.append(Mark(page.page, box, reason, author, source, group, label))
    return marks


def _compact(page: PageText) -> tuple[str, list[int]]:
    """The page text without whitespace or generated characters, with each one's index."""
    keep = [c for c in page.chars if not c.generated and not c.is_space]
    return "".join(c.text for c in keep), [c.index for c in keep]


def search_text(
    pages: Sequence[PageText],
    needle: str,
    *,
    reason: str,
    author: str = "",
    ignore_case: bool = True,
) -> list[Mark]:
    """Mark every occurrence of ``needle`` (whitespace in the text and the needle ignored)."""
    compact_needle = "".join(needle.split())
    if not compact_needle:
        return []
    pattern = re.compile(re.escape(compact_needle), re.IGNORECASE if ignore_case else 0)
    marks: list[Mark] = []
    for page in pages:
        text, indices = _compact(page)
        for match in pattern.finditer(text):
            first, last = indices[match.start()], indices[match.end() - 1]
            marks += marks_for_chars(
                page,
                first,
                last + 1,
                reason=reason,
                author=author,
                source=MarkSource.TEXT_SEARCH,
                label=needle.strip(),
            )
    return marks


def search_pattern(
    pages: Sequence[PageText], pattern: str | re.Pattern[str], *, reason: str, author: str = ""
) -> list[Mark]:
    """Mark every match of a regular expression in the page text (PDFium's reading order)."""
    try:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    except re.error as exc:
        raise RedactionError(_("查找模式无效：%(error)s") % {"error": exc}) from exc
    label = regex.pattern
    marks: list[Mark] = []
    for page in pages:
        for match in regex.finditer(page.text):
            if match.end() > match.start():
                marks += marks_for_chars(
                    page,
                    match.start(),
                    match.end(),
                    reason=reason,
                    author=author,
                    source=MarkSource.PATTERN,
                    label=label,
                )
    return marks


def search_personal_data(
    pages: Sequence[PageText],
    *,
    reason: str = RedactionReason.PERSONAL_PRIVACY,
    author: str = "",
) -> list[Mark]:
    """Propose marks for the personal-data scan's findings (labels are masked values)."""
    marks: list[Mark] = []
    for page in pages:
        for found in personal_data_matches(page.text):
            marks += marks_for_chars(
                page,
                found.start,
                found.end,
                reason=reason,
                author=author,
                source=MarkSource.PERSONAL_DATA,
                label=mask(found.kind, found.value),
            )
    return marks
