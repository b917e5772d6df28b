"""Tolerant reading of tables 三 and 四 from real published layouts (decision 1901).

Two readings of one atom stream (:mod:`.atoms`), the better kept:

* **by printed rows** — where the source has rows (grid rows, ``|`` lines, text lines), every
  row that carries figures is a *data row*; data rows are aligned in order with the official
  rows, a row whose own label matches an official row being pinned to it and a row that lost
  its label (Markdown converted from PDF) taking the next official row in order;
* **by labels** — the labels found in the stream (stems, fuzzy) are aligned in official order,
  and the figures between two labels belong to the first one and to any official rows between
  the two whose labels were lost (or, for text that prints numbers before their label, to the
  second one). This reads crawled pages whose cells ran together.

The figures of each row (or of several rows sharing a gap) become candidate rows by
:mod:`.arith`, and the column identities of the table decide between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import formats
from .arith import (
    Piece,
    Row,
    Solved,
    balance_identity,
    gap_candidates,
    solve_table,
    sum_identity,
)
from .atoms import Atom, Segment, label_tails, matches, segments, to_atoms
from .sources import Token

WIDTH3 = len(formats.TABLE3_COLUMNS)
TOTAL3 = formats.TOTAL_COLUMN
WIDTH4 = len(formats.TABLE4_COLUMNS)
_T4_CHARS = frozenset("".join(formats.TABLE4_HEADER_WORDS) + "政府信息公开情况申请")


@dataclass
class CellOut:
    """A recovered cell: value, status, how, candidates and source."""

    value: int | None
    status: str  # read | blank | derived | ambiguous | missing
    source: dict[str, Any] = field(default_factory=dict)
    how: str = ""  # for derived: which identity
    candidates: list[int] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        """Return whether the value is known (printed, blank, or the only solution)."""
        return self.status in ("read", "blank", "derived")

    def to_dict(self) -> dict[str, Any]:
        """Return the cell as JSON-ready data."""
        out: dict[str, Any] = {"value": self.value, "status": self.status}
        if self.how:
            out["how"] = self.how
        if self.candidates:
            out["candidates"] = self.candidates
        if self.source:
            out["source"] = self.source
        return out


@dataclass
class TolerantTable:
    """Rows of cells keyed by official row key, with the method used and consistency."""

    fmt: int | None
    rows: dict[str, list[CellOut]]
    method: str = ""
    consistent: bool = True
    printed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def certain_cells(self) -> int:
        """Count cells whose value is known."""
        return sum(1 for r in self.rows.values() for c in r if c.certain)


def _pieces(atoms: Sequence[Atom]) -> list[Piece]:
    return [
        Piece("" if a.kind == "empty" else a.text, a.source, a.row)
        for a in atoms
        if a.kind in ("num", "empty") and "." not in a.text
    ]


def _row_matches(seg: Segment, rows: Sequence[formats.Table3Row]) -> list[int]:
    keys = seg.keys
    return [i for i, r in enumerate(rows) if any(matches(k, r.stems, r.label) for k in keys)]


def _align(items: Sequence[list[int]], weights: Sequence[int]) -> list[tuple[int, int]]:
    """Monotone alignment of items (each with allowed row indices) to rows, maximising weight."""
    best: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {-1: (0, ())}
    for ii, allowed in enumerate(items):
        if not allowed:
            continue
        snapshot = sorted(best.items())
        for ri in allowed:
            prior = max((s for r, s in snapshot if r < ri), key=lambda s: s[0], default=None)
            if prior is None:
                continue
            cand = (prior[0] + weights[ii], (*prior[1], (ii, ri)))
            if ri not in best or best[ri][0] < cand[0]:
                best[ri] = cand
    return list(max(best.values(), key=lambda s: s[0])[1])


# --------------------------------------------------------------------------------------------
# Reading by printed rows
# --------------------------------------------------------------------------------------------


def _data_rows(atoms: Sequence[Atom]) -> list[tuple[list[Atom], str]]:
    """Printed rows that carry 5–9 cells of table 三 (their atoms and their label text)."""
    rows: list[tuple[list[Atom], str]] = []
    current: list[Atom] = []
    for atom in [*atoms, None]:
        if atom is None or (current and atom.row != current[0].row):
            data = [a for a in current if a.kind in ("num", "empty")]
            nums = [a for a in data if a.kind == "num"]
            if nums and 5 <= len(data) <= 9 and all(a.cell for a in data):
                label = "".join(a.text for a in current if a.kind == "text")
                rows.append((current, label))
            current = []
        if atom is not None:
            current.append(atom)
    return rows


Reading = tuple[dict[str, list[list[Row]]], dict[str, list[str]]]


def read_by_rows(atoms: Sequence[Atom], fmt: int) -> Reading:
    """Candidates per row key from data rows aligned with the official rows."""
    official = formats.TABLE3_ROWS[fmt]
    data = _data_rows(atoms)
    items, weights = [], []
    for _, label in data:
        keys = label_tails(label)
        if keys:
            allowed = [
                i for i, r in enumerate(official) if any(matches(k, r.stems, r.label) for k in keys)
            ]
            items.append(allowed)
            weights.append(3)
        else:
            items.append(list(range(len(official))))
            weights.append(1)
    out: dict[str, list[list[Row]]] = {}
    printed: dict[str, list[str]] = {}
    for di, ri in _align(items, weights):
        pieces = _pieces(data[di][0])
        out[official[ri].key] = gap_candidates(pieces, 1, WIDTH3, TOTAL3)
        printed[official[ri].key] = [p.digits for p in pieces]
    return out, printed


# --------------------------------------------------------------------------------------------
# Reading by labels
# --------------------------------------------------------------------------------------------


def _digits_near(atoms: Sequence[Atom], seg: Segment, forward: bool) -> int:
    """Count the figure characters between a segment and the text next to it."""
    count = 0
    i = seg.end if forward else seg.start - 1
    while 0 <= i < len(atoms) and atoms[i].kind != "text":
        count += max(len(atoms[i].text), 1)
        i += 1 if forward else -1
    return count


def _gap(atoms: Sequence[Atom], lo: int, hi: int) -> list[Atom]:
    return [a for a in atoms[lo:hi] if a.kind in ("num", "empty")]


def _prose_end(segs: Sequence[Segment], after: int, n: int) -> int:
    """Index of the first prose-like segment (a long unmatched text) after atom ``after``."""
    for seg in segs:
        if seg.start >= after and len(seg.key) >= 4:
            return seg.start
    return n


def read_by_labels(atoms: Sequence[Atom], fmt: int, labels_first: bool) -> Reading:
    """Candidates per row key from labels aligned in order and the figures between them."""
    official = formats.TABLE3_ROWS[fmt]
    segs = segments(atoms)
    items = [_row_matches(s, official) for s in segs]
    weights = []
    for s in segs:
        weights.append(2 if _digits_near(atoms, s, labels_first) >= WIDTH3 else 1)
    pairs = _align(items, weights)
    out: dict[str, list[list[Row]]] = {}
    printed: dict[str, list[str]] = {}
    for k, (si, ri) in enumerate(pairs):
        seg = segs[si]
        if labels_first:
            if k + 1 < len(pairs):
                nsi, nri = pairs[k + 1]
                hi, rows = segs[nsi].start, list(range(ri, nri))
            else:
                hi, rows = _prose_end(segs, seg.end, len(atoms)), [ri]
            lo = seg.end
        else:
            if k > 0:
                psi, pri = pairs[k - 1]
                lo, rows = segs[psi].end, list(range(pri + 1, ri + 1))
            else:
                prev = [s for s in segs if s.end <= seg.start and len(s.key) >= 4]
                lo, rows = (prev[-1].end if prev else 0), [ri]
            hi = seg.start
        gap = _gap(atoms, lo, hi)
        _assign(out, gap, [official[r].key for r in rows])
        if len(rows) == 1:
            printed[official[ri].key] = [p.digits for p in _pieces(gap)]
    return out, printed


def _assign(out: dict[str, list[list[Row]]], gap: list[Atom], keys: list[str]) -> None:
    """Read the figures of one gap as the rows ``keys`` (one printed row each, if they are)."""
    pieces = _pieces(gap)
    groups: list[list[Piece]] = []
    for p in pieces:
        if groups and groups[-1][-1].row == p.row:
            groups[-1].append(p)
        else:
            groups.append([p])
    if len(keys) > 1 and len(groups) == len(keys):
        for key, group in zip(keys, groups, strict=True):
            out[key] = gap_candidates(group, 1, WIDTH3, TOTAL3)
        return
    joint = gap_candidates(pieces, len(keys), WIDTH3, TOTAL3)
    for i, key in enumerate(keys):
        out[key] = [[cands[i]] for cands in joint]


# --------------------------------------------------------------------------------------------
# Table 三: identities, statuses, the better reading
# --------------------------------------------------------------------------------------------


def table3_identities(fmt: int) -> list[Any]:
    """Column identities of table 三: H2 (outcomes sum to （七）) and H1 (一+二 = （七）+四)."""
    return [
        sum_identity("r7_total", formats.TABLE3_OUTCOME_KEYS[fmt]),
        balance_identity(("new", "carried_in"), ("r7_total", "carried_out")),
    ]


def _cells_from(cands: list[list[Row]], decided: bool, width: int) -> list[CellOut]:
    """Statuses of one row's cells from its surviving candidates."""
    rows = [c[0] for c in cands]
    if not rows:
        return [CellOut(None, "missing") for _ in range(width)]
    out = []
    for col in range(width):
        values = {r[col].number if r[col].value is not None else -1 for r in rows}
        first = rows[0][col]
        if len(values) > 1:
            cands_v = sorted({max(v, 0) for v in values})
            out.append(CellOut(None, "ambiguous", first.source, candidates=cands_v))
        elif first.how == "blank":
            out.append(CellOut(None, "blank", first.source))
        elif first.how == "read" and len(rows) == 1:
            out.append(CellOut(first.value, "read", first.source))
        elif first.how == "read" and all(r[col].how == "read" for r in rows):
            out.append(CellOut(first.value, "read", first.source))
        else:
            how = {"split": "分割连写数字", "filled": "行合计", "inserted": "行合计"}.get(
                first.how, "行合计"
            )
            if decided:
                how += "+列合计"
            out.append(CellOut(first.value, "derived", first.source, how))
    return out


def _derive_missing_rows(table: dict[str, list[CellOut]], fmt: int, lost: set[str]) -> None:
    """A whole row lost: one unknown row of an identity is the rest of it (H2 or H1).

    Only a row with no printed figure at all, and only when every known row satisfies its row
    identity and the other column identity holds in full (the table is otherwise consistent);
    the derived row must satisfy its own row identity.
    """
    outcomes = list(formats.TABLE3_OUTCOME_KEYS[fmt])
    equations = [(["r7_total"], outcomes), (["new", "carried_in"], ["r7_total", "carried_out"])]

    def known(key: str) -> bool:
        return key in table and all(c.certain for c in table[key])

    def val(key: str, col: int) -> int:
        return table[key][col].value or 0

    rows_ok = all(
        sum(val(k, c) for c in range(TOTAL3)) == val(k, TOTAL3) for k in table if known(k)
    )
    for n, (left, right) in enumerate(equations):
        unknown = [k for k in (*left, *right) if not known(k)]
        if len(unknown) != 1 or unknown[0] not in lost or not rows_ok:
            continue
        o_left, o_right = equations[1 - n]
        if not all(known(k) for k in (*o_left, *o_right)):
            continue
        if any(
            sum(val(k, c) for k in o_left) != sum(val(k, c) for k in o_right) for c in range(WIDTH3)
        ):
            continue
        miss = unknown[0]
        side, other = (left, right) if miss in left else (right, left)
        values = []
        for col in range(WIDTH3):
            v = sum(val(k, col) for k in other) - sum(val(k, col) for k in side if k != miss)
            values.append(v)
        if all(v >= 0 for v in values) and sum(values[:TOTAL3]) == values[TOTAL3]:
            name = "列合计（H2）" if "r7_total" in left and len(right) > 2 else "列合计（H1）"
            table[miss] = [CellOut(v, "derived", {}, name) for v in values]


def build_table3(reading: Reading, fmt: int, method: str) -> TolerantTable:
    """Solve a reading's candidates with the column identities and give every cell a status."""
    cands, printed = reading
    flat = {k: [c[0] for c in v] for k, v in cands.items()}
    solved: Solved = solve_table({k: v for k, v in flat.items() if v}, table3_identities(fmt))
    rows: dict[str, list[CellOut]] = {}
    for row in formats.TABLE3_ROWS[fmt]:
        survivors = solved.rows.get(row.key)
        if survivors is None:
            rows[row.key] = [CellOut(None, "missing") for _ in range(WIDTH3)]
            continue
        rows[row.key] = _cells_from(
            [[r] for r in survivors], row.key in solved.decided_by_columns, WIDTH3
        )
    for cells in rows.values():
        _fill_blank_total(cells)
    lost = {k for k in rows if not printed.get(k)}
    _derive_missing_rows(rows, fmt, lost)
    return TolerantTable(fmt, rows, method, solved.consistent, printed)


def _fill_blank_total(cells: list[CellOut], total: int = TOTAL3) -> None:
    """A blank 总计 of a row with figures is the sum of the row (spec S5), marked derived."""
    others = [c for i, c in enumerate(cells) if i != total]
    if cells[total].status != "blank" or not all(c.certain for c in others):
        return
    if all(c.status == "blank" for c in others):
        return
    value = sum(c.value or 0 for c in others)
    cells[total] = CellOut(value, "derived", cells[total].source, "行合计（总计栏空白）")


def read_table3(atoms: Sequence[Atom]) -> TolerantTable | None:
    """Read table 三 every way and keep the reading with the most known cells."""
    best: TolerantTable | None = None
    best_score: tuple[int, int, int] | None = None
    readers = [
        (fmt, method) for fmt in (2021, 2019) for method in ("rows", "labels", "labels-after")
    ]
    for fmt, method in readers:
        if method == "rows":
            cands = read_by_rows(atoms, fmt)
        else:
            cands = read_by_labels(atoms, fmt, method == "labels")
        found = sum(1 for v in cands[0].values() if v)
        if found < 4:
            continue
        table = build_table3(cands, fmt, method)
        score = (identity_score(table), table.certain_cells, -len(table.rows))
        if best_score is None or score > best_score:
            best, best_score = table, score
        if _complete(table):
            break  # every cell known and every identity holds: no reading can do better
    return best


def _complete(table: TolerantTable) -> bool:
    if table.certain_cells < len(table.rows) * WIDTH3:
        return False
    known = {k: [c.value or 0 for c in cells] for k, cells in table.rows.items()}
    if any(sum(v[:TOTAL3]) != v[TOTAL3] for v in known.values()):
        return False
    return all(all(identity(known) or [False]) for identity in table3_identities(table.fmt or 2021))


def identity_score(table: TolerantTable) -> int:
    """Identity instances (rows and columns) that hold, less those that fail, on known rows."""
    fmt = table.fmt or 2021
    known = {
        k: [c.value or 0 for c in cells]
        for k, cells in table.rows.items()
        if all(c.certain for c in cells) and any(c.status != "blank" for c in cells)
    }
    score = 0
    for values in known.values():
        score += 1 if sum(values[:TOTAL3]) == values[TOTAL3] else -1
    for identity in table3_identities(fmt):
        result = identity(known)
        if result is not None:
            score += 2 * (sum(result) - (len(result) - sum(result)))
    return score


# --------------------------------------------------------------------------------------------
# Table 四
# --------------------------------------------------------------------------------------------


def _header_text(seg: Segment) -> bool:
    key = seg.key
    inside = sum(1 for ch in key if ch in _T4_CHARS)
    return bool(key) and inside >= 0.85 * len(key)


def read_table4(atoms: Sequence[Atom]) -> list[CellOut] | None:
    """Read table 四's 15 cells after its header words (结果维持 …)."""
    segs = segments(atoms)
    anchor = next((s for s in segs if "维持" in s.key and _header_text(s)), None)
    if anchor is None:
        return None
    end = len(atoms)
    started = False
    lo = anchor.end
    for seg in segs:
        if seg.start < anchor.end:
            continue
        has_data = any(a.kind in ("num", "empty") for a in atoms[lo : seg.start])
        if _header_text(seg) and not has_data:
            lo = seg.end
            continue
        if has_data:
            started = True
        if started or not _header_text(seg):
            end = seg.start
            break
    pieces = _pieces([a for a in atoms[lo:end] if a.kind in ("num", "empty")])
    cands = gap_candidates(pieces, len(formats.TABLE4_GROUPS), WIDTH4, WIDTH4 - 1)
    if not cands:
        groups: list[list[Piece]] = []
        for p in pieces:
            if groups and groups[-1][-1].row == p.row:
                groups[-1].append(p)
            else:
                groups.append([p])
        if len(groups) == 3:
            per = [gap_candidates(g, 1, WIDTH4, WIDTH4 - 1) for g in groups]
            if all(per):
                out: list[CellOut] = []
                for c in per:
                    out += _cells_from(c, False, WIDTH4)
                return out
        return None
    flat = [[tuple(c for r in cand for c in r)] for cand in cands]
    return _cells_from(flat, False, WIDTH4 * len(formats.TABLE4_GROUPS))


def read_tables(tokens: Sequence[Token]) -> tuple[TolerantTable | None, list[CellOut] | None]:
    """Read tables 三 and 四 from a token stream."""
    atoms = to_atoms(tokens)
    return read_table3(atoms), read_table4(atoms)


def score_rows(fmt: int, rows: dict[str, list[int | None]]) -> int:
    """:func:`identity_score` of plain rows (None: unknown), to compare with another reading."""
    table = TolerantTable(
        fmt,
        {
            k: [CellOut(v, "read") if v is not None else CellOut(None, "missing") for v in vals]
            for k, vals in rows.items()
        },
    )
    return identity_score(table)
