"""Highlighted snippets, computed in Python from stored text (the same for every backend)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.search.segment import normalise


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    terms = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms))


def _spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None or not text:
        return []
    # NFKC + lower keeps the length of CJK text and ASCII; fall back to the raw text otherwise
    folded = normalise(text)
    if len(folded) != len(text):
        folded = text.lower()
    return [m.span() for m in pattern.finditer(folded)]


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        if a < pos:
            continue
        out.append(str(escape(text[pos:a])))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(str(escape(text[pos:end])))
    return "".join(out)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """The whole text, escaped, with every term wrapped in ``<mark>``."""
    return mark_safe(_marked(text, _spans(text, _pattern(terms)), 0, len(text)))  # noqa: S308


def snippet(text: str, terms: Iterable[str], *, length: int = 120) -> SafeString:
    """An escaped excerpt of about ``length`` characters around the densest run of terms."""
    text = re.sub(r"\s+", " ", text or "").strip()
    spans = _spans(text, _pattern(terms))
    if not spans:
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))  # noqa: S308
    best, best_count = spans[0][0], 0
    for a, _ in spans:
        count = sum(1 for x, _ in spans if a <= x < a + length)
        if count > best_count:
            best, best_count = a, count
    start = max(0, best - length // 4)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    body = _marked(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308
