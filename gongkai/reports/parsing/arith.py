"""Recover table cells by the table's own arithmetic (decision 1901).

A row of table 三 is seven cells whose last is the sum of the first six; a group of table 四 is
five cells whose last is the sum of the first four. When a text printed the cells with visible
separators (a grid, ``|`` cells, whitespace words) and their count fits, the row is *read* as
printed, whatever its arithmetic says (a printed inconsistency is reported, never repaired).
Only when the count does not fit — digits run together (``640020470``), a cell or the total not
printed — are the possible placements enumerated, and a placement is kept only if every row it
builds satisfies its row identity. The candidates of each row then meet the column identities of
the whole table (:func:`solve_table`): a value is *derived* when every surviving combination
agrees on it, otherwise it is *ambiguous* and its candidates are listed. Nothing is ever chosen
among several solutions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: Largest number of candidate placements kept for one gap (beyond: the gap is "ambiguous").
MAX_CANDIDATES = 64
#: Largest number of digits one run-together cell may have.
MAX_DIGITS = 6
#: Largest number of combinations tried when the column identities decide between candidates.
MAX_COMBINATIONS = 4_096


@dataclass(frozen=True)
class Piece:
    """A printed figure or empty cell: its digits ('' for an empty cell) and where it came from."""

    digits: str
    source: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    row: tuple[Any, ...] = field(default=(), compare=False, hash=False)

    @property
    def empty(self) -> bool:
        """Return whether the piece is a visibly empty cell."""
        return self.digits == ""


@dataclass(frozen=True)
class Cell:
    """One placed cell: value (None: blank), how it was obtained, and its source span."""

    value: int | None
    how: str  # read | blank | split | filled | inserted
    source: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def number(self) -> int:
        """Return the value counting a blank as 0 (spec S5)."""
        return self.value or 0


Row = tuple[Cell, ...]


def row_holds(row: Sequence[Cell], total: int) -> bool:
    """Return whether the row's printed total equals the sum of its other cells."""
    if row[total].value is None:
        return True
    return sum(c.number for i, c in enumerate(row) if i != total) == row[total].number


def fill_total(row: Sequence[Cell], total: int) -> Row:
    """Return the row with a blank total replaced by the sum of the other cells (if any printed)."""
    if row[total].value is not None or all(c.value is None for c in row):
        return tuple(row)
    value = sum(c.number for i, c in enumerate(row) if i != total)
    cells = list(row)
    cells[total] = Cell(value, "filled", row[total].source)
    return tuple(cells)


def _as_printed(pieces: Sequence[Piece]) -> list[Cell]:
    return [
        Cell(None, "blank", p.source) if p.empty else Cell(int(p.digits), "read", p.source)
        for p in pieces
    ]


def _chunks(cells: Sequence[Cell], width: int) -> list[Row]:
    return [tuple(cells[i : i + width]) for i in range(0, len(cells), width)]


def printed_variants(pieces: Sequence[Piece], nrows: int, width: int) -> list[list[Row]]:
    """Return the ways to read the pieces as printed: exactly, or dropping empty cells at the ends.

    A ``|`` row may carry empty cells before or after the table's own (``| 31 | 4 | | |``): they
    are dropped only at the ends, and only when the count is otherwise too large.
    """
    cells = _as_printed(pieces)
    target = nrows * width
    if len(cells) == target:
        return [_chunks(cells, width)]
    out: list[list[Row]] = []
    excess = len(cells) - target
    if excess > 0:
        for lead in range(excess + 1):
            trail = excess - lead
            dropped = cells[:lead] + cells[len(cells) - trail :]
            if all(c.value is None for c in dropped):
                out.append(_chunks(cells[lead : len(cells) - trail], width))
    return out


def _splits(digits: str, parts: int) -> list[list[str]]:
    """All ways to cut ``digits`` into ``parts`` numbers without leading zeros."""
    if parts == 1:
        ok = len(digits) <= MAX_DIGITS and (digits == "0" or not digits.startswith("0"))
        return [[digits]] if ok and digits else []
    out = []
    first_max = 1 if digits.startswith("0") else MAX_DIGITS
    for k in range(1, min(first_max, len(digits) - parts + 1) + 1):
        for rest in _splits(digits[k:], parts - 1):
            out.append([digits[:k], *rest])
    return out


def segmentations(
    pieces: Sequence[Piece], nrows: int, width: int, total: int, limit: int = MAX_CANDIDATES
) -> list[list[Row]]:
    """Enumerate the cuttings of run-together pieces into ``nrows`` rows that satisfy row sums.

    Each printed piece becomes one or more consecutive cells (an empty piece exactly one blank
    cell, a number without leading zeros of at most :data:`MAX_DIGITS` digits); a row is
    accepted only if its total is the sum of its other cells (a blank total is filled). Stops
    after ``limit + 1`` solutions (the caller then knows it is ambiguous).
    """
    if nrows == 1 and total == width - 1 and pieces and not pieces[-1].empty:
        shapes = _one_row_shapes(tuple(p.digits for p in pieces), width, limit)
        return [[tuple(Cell(v, how, pieces[i].source) for v, how, i in shape)] for shape in shapes]
    target = nrows * width
    digits = [p.digits for p in pieces]
    # min_after[i] / max_after[i]: fewest / most cells pieces i.. can still give.
    min_after = [0] * (len(pieces) + 1)
    max_after = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        min_after[i] = min_after[i + 1] + 1
        max_after[i] = max_after[i + 1] + max(len(digits[i]), 1)
    digits_after = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        digits_after[i] = digits_after[i + 1] + len(digits[i])
    if not min_after[0] <= target <= max_after[0]:
        return []
    solutions: list[list[Row]] = []
    done: list[Cell] = []

    def add(cell: Cell) -> bool:
        done.append(cell)
        if len(done) % width == 0 and not row_holds(done[-width:], total):
            done.pop()
            return False
        return True

    def place(i: int, pos: int) -> None:
        if len(solutions) > limit:
            return
        if i == len(pieces):
            if len(done) == target:
                solutions.append([fill_total(r, total) for r in _chunks(done, width)])
            return
        need = target - len(done)
        text, source = digits[i], pieces[i].source
        left = len(text) - pos
        # this piece's remainder gives 1..left cells; the later pieces min/max
        if need < (1 if left or not text else 0) + min_after[i + 1]:
            return
        if need > max(left, 1) + max_after[i + 1]:
            return
        if left + digits_after[i + 1] > need * MAX_DIGITS:
            return  # more digits than the remaining cells can hold
        if text == "":
            if add(Cell(None, "blank", source)):
                place(i + 1, 0)
                done.pop()
            return
        whole = pos == 0
        longest = 1 if text[pos] == "0" else min(MAX_DIGITS, left)
        lengths: Sequence[int] = range(1, longest + 1)
        if total == width - 1 and len(done) % width == total:
            # The row's total is the sum of its other cells: only that many digits can fit.
            start = len(done) - total
            needed = str(sum(c.number for c in done[start:]))
            lengths = [len(needed)] if text.startswith(needed, pos) else []
        for k in lengths:
            how = "read" if whole and k == left else "split"
            if not add(Cell(int(text[pos : pos + k]), how, source)):
                continue
            if pos + k == len(text):
                place(i + 1, 0)
            else:
                place(i, pos + k)
            done.pop()

    place(0, 0)
    return solutions


@lru_cache(maxsize=4096)
def _one_row_shapes(
    digits: tuple[str, ...], width: int, limit: int
) -> tuple[tuple[tuple[int | None, str, int], ...], ...]:
    """:func:`_one_row` on bare digits, as (value, how, piece index) — cached: the same row is
    met by every reading of a document."""
    pieces = [Piece(d, {"i": i}) for i, d in enumerate(digits)]
    return tuple(
        tuple((c.value, c.how, c.source["i"]) for c in sol[0])
        for sol in _one_row(pieces, width, limit)
    )


def _one_row(pieces: Sequence[Piece], width: int, limit: int) -> list[list[Row]]:
    """:func:`segmentations` of one row whose total is printed last: choose the total's digits
    first, then cut the rest into parts that never exceed it (fast: partial sums prune)."""
    last = pieces[-1]
    solutions: list[list[Row]] = []
    for k in range(1, min(MAX_DIGITS, len(last.digits)) + 1):
        head = last.digits[: len(last.digits) - k]
        tail = last.digits[len(last.digits) - k :]
        if len(tail) > 1 and tail.startswith("0"):
            continue
        target_sum = int(tail)
        rest = [*pieces[:-1], Piece(head, last.source)] if head else list(pieces[:-1])
        total_cell = Cell(target_sum, "read" if not head else "split", last.source)
        for parts in _parts(rest, width - 1, target_sum, limit - len(solutions)):
            solutions.append([(*parts, total_cell)])
            if len(solutions) > limit:
                return solutions
    return solutions


def _parts(pieces: Sequence[Piece], count: int, target: int, limit: int) -> list[list[Cell]]:
    """Cut ``pieces`` into exactly ``count`` cells summing to ``target`` (no cell above it).

    The search descends only into states from which ``target`` is still within reach: for each
    state (piece, position, cells left) the least and the greatest sum the rest can make is
    computed once (:func:`_reach`), so dead cuttings are abandoned at their first cell instead
    of being enumerated to the end. The solutions and their order are those of the plain search.
    """
    out: list[list[Cell]] = []
    done: list[Cell] = []
    texts = [p.digits for p in pieces]
    reach = _reach(texts, target)
    dead: set[tuple[int, int, int, int]] = set()  # states known to lead to no solution

    def go(i: int, pos: int, acc: int) -> None:
        if len(out) > limit:
            return
        state = (i, pos, len(done), acc)
        if state in dead:
            return
        bounds = reach(i, pos, count - len(done))
        if bounds is None or not bounds[0] <= target - acc <= bounds[1]:
            return
        found = len(out)
        explore(i, pos, acc)
        if len(out) == found:
            dead.add(state)

    def explore(i: int, pos: int, acc: int) -> None:
        if i == len(pieces):
            out.append(list(done))  # reach() let only a full, exact cutting get here
            return
        text, source = texts[i], pieces[i].source
        if text == "":
            done.append(Cell(None, "blank", source))
            go(i + 1, 0, acc)
            done.pop()
            return
        longest = 1 if text[pos] == "0" else min(len(str(target)), len(text) - pos)
        for k in range(1, longest + 1):
            value = int(text[pos : pos + k])
            if acc + value > target:
                break
            whole = pos == 0 and k == len(text)
            done.append(Cell(value, "read" if whole else "split", source))
            if pos + k == len(text):
                go(i + 1, 0, acc + value)
            else:
                go(i, pos + k, acc + value)
            done.pop()

    go(0, 0, 0)
    return out


Reach = Callable[[int, int, int], tuple[int, int] | None]


def _reach(texts: Sequence[str], target: int) -> Reach:
    """The least and greatest sum of ``texts[i][pos:]`` and the texts after it cut into exactly
    ``cells`` cells as :func:`_parts` cuts them (an empty text is one blank cell; a number has
    no leading zero, at most as many digits as ``target`` and is not above it), or None when
    no such cutting exists. Memoised per state."""
    cap = len(str(target))
    n = len(texts)
    # digits_after[i]: digits in texts i..; a cutting needs at least one cell per text.
    digits_after = [0] * (n + 1)
    for j in range(n - 1, -1, -1):
        digits_after[j] = digits_after[j + 1] + len(texts[j])
    memo: dict[tuple[int, int, int], tuple[int, int] | None] = {}

    def reach(i: int, pos: int, cells: int) -> tuple[int, int] | None:
        key = (i, pos, cells)
        if key in memo:
            return memo[key]
        result: tuple[int, int] | None = None
        if i == n:
            result = (0, 0) if cells == 0 else None
        elif cells >= n - i and len(texts[i]) - pos + digits_after[i + 1] <= cells * cap:
            text = texts[i]
            if text == "":
                result = reach(i + 1, 0, cells - 1)
            else:
                low = high = -1
                longest = 1 if text[pos] == "0" else min(cap, len(text) - pos)
                for k in range(1, longest + 1):
                    value = int(text[pos : pos + k])
                    if value > target:
                        break
                    end = pos + k == len(text)
                    rest = reach(i + 1, 0, cells - 1) if end else reach(i, pos + k, cells - 1)
                    if rest is None:
                        continue
                    low = value + rest[0] if low < 0 else min(low, value + rest[0])
                    high = max(high, value + rest[1])
                if low >= 0:
                    result = (low, high)
        memo[key] = result
        return result

    return reach


def missing_cell_variants(pieces: Sequence[Piece], width: int, total: int) -> list[list[Row]]:
    """One row printed with one cell too few: the total not printed, or one part not printed.

    The total is then the sum of the row (``filled``); a part not printed is the total less the
    others, and could be in any column (``inserted``) — several candidates unless the column
    identities decide.
    """
    cells = _as_printed(pieces)
    if len(cells) != width - 1:
        return []
    out: list[list[Row]] = []
    blank_total = Cell(None, "blank", {})
    out.append([fill_total((*cells[:total], blank_total, *cells[total:]), total)])
    if total == width - 1 and cells[-1].value is not None:
        parts = cells[:-1]
        rest = cells[-1].number - sum(c.number for c in parts)
        if rest >= 0:
            for j in range(width - 1):
                row = (*parts[:j], Cell(rest, "inserted", {}), *parts[j:], cells[-1])
                out.append([tuple(row)])
    return out


def gap_candidates(pieces: Sequence[Piece], nrows: int, width: int, total: int) -> list[list[Row]]:
    """All readings of ``pieces`` as ``nrows`` rows, in tiers: as printed, cut, one cell missing.

    The first tier with any reading wins; several readings of the printed tier are narrowed by
    the row identities only where that leaves at least one.
    """
    printed = printed_variants(pieces, nrows, width)
    if len(printed) == 1:
        return printed
    if printed:
        good = [v for v in printed if all(row_holds(r, total) for r in v)]
        return good or printed
    if not pieces:
        return []
    cut = segmentations(pieces, nrows, width, total)
    if nrows != 1:
        return cut
    # A row printed one figure short may have lost a cell rather than run two together: both
    # readings stay candidates (the not-printed total first: the likeliest), the table decides.
    out: list[list[Row]] = []
    seen: set[tuple[int | None, ...]] = set()
    for cand in [*missing_cell_variants(pieces, width, total), *cut]:
        key = tuple(c.value for c in cand[0])
        if key not in seen:
            seen.add(key)
            out.append(cand)
    return out


# --------------------------------------------------------------------------------------------
# The whole table: column identities decide between the rows' candidates
# --------------------------------------------------------------------------------------------

Identity = Callable[[dict[str, list[int]]], list[bool] | None]


@dataclass
class Solved:
    """A table's rows after the column identities: per row key, the surviving candidate rows."""

    rows: dict[str, list[Row]]
    decided_by_columns: set[str] = field(default_factory=set)
    consistent: bool = True


def _values(row: Row) -> list[int]:
    return [c.number for c in row]


def solve_table(
    candidates: dict[str, list[Row]],
    identities: Sequence[Identity],
) -> Solved:
    """Keep the combinations of row candidates that satisfy every column identity.

    Rows with one candidate are fixed. When no combination satisfies the identities (the table
    is inconsistent as printed) nothing is narrowed: the rows keep their own candidates and
    ``consistent`` is False.
    """
    keys = [k for k, c in candidates.items() if c]
    open_keys = [k for k in keys if len(candidates[k]) > 1]
    fixed = {k: _values(candidates[k][0]) for k in keys if len(candidates[k]) == 1}
    total = 1
    for k in open_keys:
        total *= len(candidates[k])
    if total > MAX_COMBINATIONS:
        return _solve_locally(candidates, identities)
    survivors: dict[str, set[int]] = {k: set() for k in open_keys}
    any_ok = False
    for combo in itertools.product(*(range(len(candidates[k])) for k in open_keys)):
        table = dict(fixed)
        for k, idx in zip(open_keys, combo, strict=True):
            table[k] = _values(candidates[k][idx])
        if _holds(table, identities) is False:
            continue
        any_ok = True
        for k, idx in zip(open_keys, combo, strict=True):
            survivors[k].add(idx)
    if not any_ok:
        return Solved(dict(candidates), consistent=False)
    rows = dict(candidates)
    decided = set()
    for k in open_keys:
        rows[k] = [candidates[k][i] for i in sorted(survivors[k])]
        if len(rows[k]) < len(candidates[k]):
            decided.add(k)
    return Solved(rows, decided)


def _solve_locally(candidates: dict[str, list[Row]], identities: Sequence[Identity]) -> Solved:
    """Too many combinations: try each row's first candidate everywhere; if that table holds,
    a row is decided only when none of its other candidates also holds with the rest fixed."""
    keys = [k for k, c in candidates.items() if c]
    first = {k: _values(candidates[k][0]) for k in keys}
    if _holds(first, identities) is not True:
        return Solved(dict(candidates), consistent=False)
    rows = dict(candidates)
    decided = set()
    for k in keys:
        if len(candidates[k]) == 1:
            continue
        keep = [candidates[k][0]]
        for cand in candidates[k][1:]:
            trial = {**first, k: _values(cand)}
            if _holds(trial, identities) is not False:
                keep.append(cand)
        rows[k] = keep
        if len(keep) < len(candidates[k]):
            decided.add(k)
    return Solved(rows, decided)


def _holds(table: dict[str, list[int]], identities: Sequence[Identity]) -> bool | None:
    """False if an evaluable identity fails, True if all evaluable ones hold, None if none were."""
    seen = False
    for identity in identities:
        result = identity(table)
        if result is None:
            continue
        seen = True
        if not all(result):
            return False
    return True if seen else None


def sum_identity(whole: str, parts: Sequence[str]) -> Identity:
    """Per column: row ``whole`` equals the sum of rows ``parts`` (None if a row is unknown)."""

    def check(table: dict[str, list[int]]) -> list[bool] | None:
        if whole not in table or any(p not in table for p in parts):
            return None
        return [
            table[whole][c] == sum(table[p][c] for p in parts) for c in range(len(table[whole]))
        ]

    return check


def balance_identity(left: Sequence[str], right: Sequence[str]) -> Identity:
    """Per column: the sum of rows ``left`` equals the sum of rows ``right``."""

    def check(table: dict[str, list[int]]) -> list[bool] | None:
        if any(k not in table for k in (*left, *right)):
            return None
        width = len(table[left[0]])
        return [
            sum(table[k][c] for k in left) == sum(table[k][c] for k in right) for c in range(width)
        ]

    return check
