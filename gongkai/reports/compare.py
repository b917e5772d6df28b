"""Year-over-year comparison of two reports of one agency (issue 19, item 5).

:func:`compare_reports` reads two published reports and returns every table cell of both with
its change (absolute and %), the largest changes first, and the text compared paragraph by
paragraph (added, removed, changed), matched by similarity in order (difflib).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from . import formats
from .parsing import ParseResult, parse_document
from .parsing.sources import Document, read_document

#: Two paragraphs at least this similar are "changed" rather than "removed" and "added".
SIMILAR = 0.5
#: A line longer than this is split into sentences (crawled pages lose their paragraph breaks).
LONG_LINE = 300


@dataclass
class CellChange:
    """One cell in both years."""

    path: str
    label: str
    before: int | float | None
    after: int | float | None

    @property
    def change(self) -> int | float | None:
        """Return after − before (None if either is unknown)."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        """Return the change in % of the earlier value (None if that is 0 or unknown)."""
        change = self.change
        if change is None or not self.before:
            return None
        return round(100.0 * change / self.before, 1)

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {**asdict(self), "change": self.change, "percent": self.percent}


@dataclass
class ParagraphChange:
    """A paragraph added, removed or changed (with both texts)."""

    kind: str  # added | removed | changed
    before: str = ""
    after: str = ""


@dataclass
class Comparison:
    """Two reports side by side."""

    before: dict[str, Any]
    after: dict[str, Any]
    cells: list[CellChange] = field(default_factory=list)
    paragraphs: list[ParagraphChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as JSON-ready data."""
        return {
            "before": self.before,
            "after": self.after,
            "cells": [c.to_dict() for c in self.cells],
            "paragraphs": [asdict(p) for p in self.paragraphs],
        }


def _cells(result: ParseResult) -> dict[str, tuple[str, int | float | None]]:
    out: dict[str, tuple[str, int | float | None]] = {}
    for row in result.table3 or []:
        for c, value in enumerate(row["values"]):
            label = f"表三 {row['label']} · {formats.TABLE3_COLUMNS[c]}"
            out[f"table3.{row['key']}.{c}"] = (label, value)
    for group, values in (result.table4 or {}).items():
        for c, value in enumerate(values):
            label = f"表四 {group} · {formats.TABLE4_COLUMNS[c]}"
            out[f"table4.{group}.{c}"] = (label, value)
    for key, cols in (result.table2 or {}).items():
        for col, value in cols.items():
            out[f"table2.{key}.{col}"] = (f"表二 {key} · {col}", value)
    return out


def _paragraphs(document: Document) -> list[str]:
    """Running text lines that are prose (not table rows, not bare figures)."""
    out = []
    for line in document.lines:
        text = line.text.strip()
        if len(text) < 12 or "|" in text or "table" in line.source:
            continue
        if len(text) > LONG_LINE:  # a page whose paragraphs ran into one line: by sentence
            out += [s + "。" for s in text.split("。") if len(s.strip()) >= 12]
        else:
            out.append(text)
    return out


def compare_paragraphs(before: list[str], after: list[str]) -> list[ParagraphChange]:
    """Paragraph changes in order: equal ones skipped, replaced blocks paired by similarity."""
    out: list[ParagraphChange] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        used: set[int] = set()
        for a in old:
            best, best_ratio = None, SIMILAR
            for j, b in enumerate(new):
                ratio = SequenceMatcher(None, a, b, autojunk=False).ratio() if j not in used else 0
                if ratio >= best_ratio:
                    best, best_ratio = j, ratio
            if best is None:
                out.append(ParagraphChange("removed", before=a))
            else:
                used.add(best)
                out.append(ParagraphChange("changed", before=a, after=new[best]))
        out += [ParagraphChange("added", after=b) for j, b in enumerate(new) if j not in used]
    return out


def _meta(result: ParseResult) -> dict[str, Any]:
    return {"agency": result.agency_name, "year": result.year, "format": result.table3_format}


def compare_reports(
    before: bytes | str, after: bytes | str, names: tuple[str | None, str | None] = (None, None)
) -> Comparison:
    """Compare two reports given as bytes or text (the earlier first)."""
    doc_a, doc_b = read_document(before, names[0]), read_document(after, names[1])
    res_a, res_b = parse_document(doc_a), parse_document(doc_b)
    if res_a.year and res_b.year and res_a.year > res_b.year:
        doc_a, doc_b, res_a, res_b = doc_b, doc_a, res_b, res_a
    cells_a, cells_b = _cells(res_a), _cells(res_b)
    cells = [
        CellChange(
            path,
            (cells_b.get(path) or cells_a[path])[0],
            cells_a.get(path, ("", None))[1],
            cells_b.get(path, ("", None))[1],
        )
        for path in dict.fromkeys([*cells_a, *cells_b])
    ]
    cells.sort(key=lambda c: (c.change is None, -abs(c.change or 0), c.path))
    return Comparison(
        _meta(res_a),
        _meta(res_b),
        cells,
        compare_paragraphs(_paragraphs(doc_a), _paragraphs(doc_b)),
    )
