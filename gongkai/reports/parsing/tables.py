"""Recognise the official tables in a token stream.

The approach is *label-anchored alignment*: the expected rows of a table (from
:mod:`gongkai.reports.formats`) are aligned, in order, with the label runs of the document (a
run is a group of consecutive text tokens, split where a new item number starts), choosing the
monotone assignment that matches the most rows (a small dynamic programme, so one missing or
reworded row does not derail the rest). The figures of a row are the value tokens between its
label and the next label. This works the same for HTML/DOCX grids, ``|`` tables, tables
flattened to one cell per line and whitespace-separated rows.

Empty cells (spec S5): where the source shows them (a grid cell, ``| |``) their position is
known; they count as 0, except that a blank 总计 of a table-三 row is the sum of the row. Where
the source does not show them (whitespace-separated text) and a row has too few figures, the
row is reported as not found rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from .. import formats
from .normalize import label_key, squash, starts_with_numbering, to_json_number
from .sources import Token

Align = Literal["left", "right"]
MAX_LABEL = 72


@dataclass
class Run:
    """A label: consecutive text tokens ``tokens[start:end]``."""

    start: int
    end: int
    text: str
    key: str
    source: dict[str, Any]
    parts: tuple[str, ...] = ()

    @cached_property
    def suffixes(self) -> list[str]:
        """Return :meth:`suffix_keys`, computed once."""
        return self.suffix_keys()

    def suffix_keys(self) -> list[str]:
        """Return the normal forms of the run's trailing token groups (shortest first).

        A row label may follow header cells without a number in between (one cell per line),
        so a label is also looked for at the end of a run.
        """
        return [label_key("".join(self.parts[k:])) for k in range(len(self.parts) - 1, -1, -1)]


@dataclass
class CellValue:
    """A recovered figure with its provenance."""

    value: Decimal | None
    source: dict[str, Any]
    blank: bool = False  # the cell was empty in the source
    derived: bool = False  # a blank 总计 filled with the sum of the row


@dataclass
class RowResult:
    """The cells found for one expected row, or why they could not be read."""

    cells: list[CellValue] | None
    label_source: dict[str, Any] | None
    problem: str | None = None
    note: str | None = None


@dataclass
class TableResult:
    """The rows recovered for one table (keyed), and its extent in the token stream."""

    rows: dict[str, RowResult] = field(default_factory=dict)
    first_token: int | None = None
    last_token: int | None = None
    score: int = 0

    @property
    def found(self) -> bool:
        """Return whether the table was found at all."""
        return self.first_token is not None


def build_runs(tokens: Sequence[Token]) -> list[Run]:
    """Group text tokens into label runs."""
    runs: list[Run] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind != "text":
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j].kind == "text" and not starts_with_numbering(tokens[j].text):
            j += 1
        text = "".join(t.text for t in tokens[i:j])
        parts = tuple(t.text for t in tokens[i:j])
        runs.append(Run(i, j, text, label_key(text), tokens[i].source, parts))
        i = j
    return runs


def stem_matcher(stems: Sequence[str]) -> Callable[[Run], bool]:
    """Return a matcher: short stems must equal the label (or end the run), longer ones be in it."""
    short = {s for s in stems if len(s) <= 2}
    long = [s for s in stems if len(s) > 2]
    # One search for any of the long stems (a literal alternation: the same as any(stem in key)).
    find = re.compile("|".join(re.escape(s) for s in long)).search if long else None

    def match(run: Run) -> bool:
        if len(run.key) > MAX_LABEL:
            return False
        if short and (run.key in short or (len(run.parts) > 1 and run.suffixes[0] in short)):
            return True
        return find is not None and find(run.key) is not None

    return match


def exact_matcher(labels: Sequence[str]) -> Callable[[Run], bool]:
    """Return a matcher accepting only these labels, alone or at the end of a run."""
    keys = {label_key(x) for x in labels}
    return lambda run: run.key in keys or any(k in keys for k in run.suffixes[:4])


@dataclass
class RowSpec:
    """What to look for: a row key, how its label is recognised, and how many figures follow."""

    key: str
    match: Callable[[Run], bool]
    n: int
    align: Align = "right"


def _value_span(tokens: Sequence[Token], start: int) -> tuple[list[Token], bool, int]:
    """Collect value tokens from ``start`` to the next label or row end.

    Returns the value tokens, whether a row end (an explicit cell list) closed them, and the
    index after the span.
    """
    out: list[Token] = []
    i = start
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "text":
            return out, False, i
        if tok.kind == "break":
            if out:
                return out, True, i + 1
        elif tok.kind in ("num", "empty"):
            out.append(tok)
        i += 1
    return out, False, i


def _has_values(tokens: Sequence[Token], run: Run) -> bool:
    span, _, _ = _value_span(tokens, run.end)
    return any(t.kind == "num" for t in span)


def align_rows(
    tokens: Sequence[Token],
    runs: Sequence[Run],
    specs: Sequence[RowSpec],
    lo: int = 0,
    hi: int | None = None,
) -> dict[int, int]:
    """Assign runs to specs in order, maximising matches (rows followed by figures count double).

    Returns ``{spec index: run index}``. Only runs whose first token lies in ``[lo, hi)`` are used.
    """
    hi = len(tokens) if hi is None else hi
    best: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {-1: (0, ())}
    weight_cache: dict[int, int] = {}
    window = [(ri, run) for ri, run in enumerate(runs) if lo <= run.start < hi]
    for si, spec in enumerate(specs):
        candidates = [ri for ri, run in window if spec.match(run)]
        if not candidates:
            continue
        items = sorted(best.items())
        new = dict(best)
        for ri in candidates:
            if ri not in weight_cache:
                weight_cache[ri] = 2 if _has_values(tokens, runs[ri]) else 1
            prior = None
            for idx, state in items:
                if idx >= ri:
                    break
                if prior is None or state[0] > prior[0]:
                    prior = state
            if prior is None:
                continue
            cand = (prior[0] + weight_cache[ri], (*prior[1], (si, ri)))
            if ri not in new or new[ri][0] < cand[0]:
                new[ri] = cand
        best = new
    score, assignment = max(best.values(), key=lambda s: s[0])
    return dict(assignment)


def resolve_values(
    span: list[Token],
    n: int,
    align: Align,
    explicit: bool,
    score: Callable[[list[Token]], int] | None = None,
) -> list[Token] | None:
    """Map the value tokens of a row onto its ``n`` cells, or return None if ambiguous.

    In a stream of ``|`` cells a lone ``|`` is either an empty cell or the start of the next
    row; when there are more cells than expected, the ways of dropping surplus empty cells at
    the ends are scored with ``score`` (how many identities hold), ties going to dropping
    trailing ones first (the row-start marker of the next row).
    """
    nums = [t for t in span if t.kind == "num"]
    if explicit:
        if len(span) == n:
            return span
        if len(span) > n:
            return span[:n] if align == "left" else span[-n:]
        return None
    if len(nums) == n:
        return nums
    if len(span) == n:
        return span
    if len(span) > n and len(nums) < n:
        excess = len(span) - n
        candidates: list[list[Token]] = []
        for lead in range(0, excess + 1):
            trail = excess - lead
            dropped = span[:lead] + span[len(span) - trail :]
            if all(t.kind == "empty" for t in dropped):
                candidates.append(span[lead : len(span) - trail])
        if not candidates:
            return None
        if score is None:
            return candidates[0]
        return max(candidates, key=score)  # max() keeps the first of equal scores
    return None


def sum_score(total_index: int, width: int) -> Callable[[list[Token]], int]:
    """Score a candidate row (or run of groups of ``width``) by identities that hold non-trivially."""

    def score(cells: list[Token]) -> int:
        points = 0
        for g in range(0, len(cells) - width + 1, width):
            group = cells[g : g + width]
            total = group[total_index]
            if total.kind != "num":
                continue
            parts = sum(
                (
                    t.value or Decimal(0)
                    for i, t in enumerate(group)
                    if i != total_index and t.kind == "num"
                ),
                Decimal(0),
            )
            points += 1 if parts == total.value else -1
        return points

    return score


def read_table(
    tokens: Sequence[Token],
    runs: Sequence[Run],
    specs: Sequence[RowSpec],
    *,
    lo: int = 0,
    hi: int | None = None,
    total_index: int | None = None,
) -> TableResult:
    """Align ``specs`` with the document and read every row's figures.

    ``total_index`` names the cell that is the sum of the others (table 三's 总计): when it is
    blank it is filled with that sum (S5).
    """
    assignment = align_rows(tokens, runs, specs, lo, hi)
    result = TableResult()
    for si, spec in enumerate(specs):
        ri = assignment.get(si)
        if ri is None:
            result.rows[spec.key] = RowResult(None, None, "label")
            continue
        run = runs[ri]
        if spec.n == 0:  # a heading row: no figure
            result.rows[spec.key] = RowResult([], run.source)
            continue
        span, explicit, end = _value_span(tokens, run.end)
        result.first_token = run.start if result.first_token is None else result.first_token
        result.last_token = max(result.last_token or 0, end)
        result.score += 1
        score = sum_score(total_index, spec.n) if total_index is not None else None
        cells = resolve_values(span, spec.n, spec.align, explicit, score)
        if cells is None and spec.n == formats.TOTAL_COLUMN + 1:
            cells, note = _drop_subtotal(span)
        else:
            note = None
        if cells is None:
            figures = " ".join(t.text or "（空）" for t in span) or "无"
            result.rows[spec.key] = RowResult(None, run.source, f"values:{len(span)}:{figures}")
            continue
        values = [
            CellValue(t.value if t.kind == "num" else None, t.source, blank=t.kind != "num")
            for t in cells
        ]
        _fill_blanks(values, total_index)
        result.rows[spec.key] = RowResult(values, run.source, None, note)
    return result


def _drop_subtotal(span: list[Token]) -> tuple[list[Token] | None, str | None]:
    """Accept 8 figures when one is an added 法人或其他组织 subtotal (not part of the format)."""
    nums = [t for t in span if t.kind == "num"]
    if len(nums) != 8:
        return None, None
    vals = [t.value or Decimal(0) for t in nums]
    if vals[1] == sum(vals[2:7]):  # 自然人, 小计, five types, 总计
        return [nums[0], *nums[2:]], "已忽略非官方的“法人或其他组织”小计列"
    if vals[6] == sum(vals[1:6]):  # 自然人, five types, 小计, 总计
        return [*nums[:6], nums[7]], "已忽略非官方的“法人或其他组织”小计列"
    return None, None


def _fill_blanks(values: list[CellValue], total_index: int | None) -> None:
    """Blank cells count as 0; a blank total of a non-empty row is the sum of the row (S5)."""
    if total_index is not None and values[total_index].blank:
        others = [v for i, v in enumerate(values) if i != total_index]
        if any(not v.blank for v in others):
            values[total_index].value = sum((v.value or Decimal(0) for v in others), Decimal(0))
            values[total_index].derived = True
    for v in values:
        if v.value is None:
            v.value = Decimal(0)


# --------------------------------------------------------------------------------------------
# The four tables
# --------------------------------------------------------------------------------------------


def table3_specs(fmt: int) -> list[RowSpec]:
    """Row specs of table 三 in format ``fmt``."""
    return [
        RowSpec(r.key, stem_matcher(r.stems), len(formats.TABLE3_COLUMNS), "right")
        for r in formats.TABLE3_ROWS[fmt]
    ]


def table2_specs(fmt: int) -> list[RowSpec]:
    """Row specs of table 二 in format ``fmt``."""
    return [
        RowSpec(r.key, exact_matcher((r.label, *r.aliases)), len(b.columns), "left")
        for b in formats.TABLE2[fmt].blocks
        for r in b.rows
    ]


def table2008_specs() -> list[RowSpec]:
    """Row specs of the 2008 statistics table (headings carry no figure)."""
    return [
        RowSpec(r.key, stem_matcher(r.stems), 0 if r.is_heading else 1, "left")
        for r in formats.TABLE2008_ROWS
    ]


def values_with_figures(result: TableResult) -> int:
    """Count rows read with figures."""
    return sum(1 for r in result.rows.values() if r.cells is not None)


def read_table3(tokens: Sequence[Token], runs: Sequence[Run]) -> tuple[int | None, TableResult]:
    """Find table 三 and its variant (2021: 25 rows, 2019: 23 rows)."""
    best: tuple[int | None, TableResult] = (None, TableResult())
    best_score = (0, 0)
    for fmt in (2021, 2019):
        res = read_table(tokens, runs, table3_specs(fmt), total_index=formats.TOTAL_COLUMN)
        good = values_with_figures(res)
        score = (good, -len(formats.TABLE3_ROWS[fmt]) + res.score)
        if good >= 4 and score > best_score:
            best, best_score = (fmt, res), score
    return best


def read_table2(
    tokens: Sequence[Token], runs: Sequence[Run], hi: int | None
) -> tuple[int | None, TableResult]:
    """Find table 二 (before table 三) and its variant, from header words first, then rows."""
    region_text = squash("".join(t.text for t in tokens[: hi or len(tokens)] if t.kind == "text"))
    markers = {
        fmt: sum(1 for m in words if squash(m) in region_text)
        for fmt, words in formats.TABLE2_MARKERS.items()
    }
    results = {fmt: read_table(tokens, runs, table2_specs(fmt), hi=hi) for fmt in (2021, 2019)}
    goods = {fmt: values_with_figures(res) for fmt, res in results.items()}
    if max(goods.values()) < 2:
        return None, TableResult()
    if markers[2021] != markers[2019]:
        fmt = 2021 if markers[2021] > markers[2019] else 2019
    else:
        fmt = 2021 if goods[2021] >= goods[2019] else 2019
    return fmt, results[fmt]


def read_table4(
    tokens: Sequence[Token], lo: int
) -> tuple[list[Token | None] | None, dict[str, Any] | None, str]:
    """Find table 四's 15 figures after ``lo``. Returns (cells, header source, problem)."""
    header_keys = {label_key(w) for w in formats.TABLE4_HEADER_WORDS}
    start = None
    for i in range(lo, len(tokens)):
        if tokens[i].kind == "text" and label_key(tokens[i].text) == label_key("结果维持"):
            start = i
            break
    if start is None:
        return None, None, "label"
    header_source = tokens[start].source
    i = start
    last_header = start
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "text":
            if label_key(tok.text) in header_keys or label_key(tok.text) == "":
                last_header = i
            else:
                break
        elif tok.kind == "num":
            break
        i += 1
    j = last_header + 1
    # In a grid the figures are the row after the last header row.
    k = j
    while k < len(tokens) and tokens[k].kind in ("empty",):
        k += 1
    if k < len(tokens) and tokens[k].kind == "break":
        j = k + 1
    span, explicit, _ = _value_span(tokens, j)
    n = len(formats.TABLE4_GROUPS) * len(formats.TABLE4_COLUMNS)
    cells = resolve_values(span, n, "left", explicit, sum_score(4, 5))
    if cells is None:
        figures = " ".join(t.text or "（空）" for t in span) or "无"
        return None, header_source, f"values:{len(span)}:{figures}"
    return list(cells), header_source, ""


def cell_json(value: Decimal | None) -> int | float | None:
    """Return a recovered value as a JSON number."""
    return to_json_number(value)
