"""Recovery by arithmetic: segmentations, printed readings, column identities."""

from __future__ import annotations

import itertools
import random

from gongkai.reports.parsing.arith import (
    Piece,
    gap_candidates,
    segmentations,
    solve_table,
    sum_identity,
)


def _values(rows):  # type: ignore[no-untyped-def]
    return [[c.value for c in r] for r in rows]


def test_run_together_row_has_one_segmentation() -> None:
    cands = segmentations([Piece("640020470")], 1, 7, 6)
    assert [_values(c) for c in cands] == [[[64, 0, 0, 2, 0, 4, 70]]]
    assert [c.how for c in cands[0][0]] == ["split"] * 7


def test_partly_spaced_run_keeps_the_space_as_a_cut() -> None:
    cands = gap_candidates([Piece("500000"), Piece("5")], 1, 7, 6)
    assert [_values(c) for c in cands] == [[[5, 0, 0, 0, 0, 0, 5]]]


def test_several_segmentations_are_all_listed() -> None:
    cands = gap_candidates([Piece("270020130")], 1, 7, 6)
    got = sorted(_values(c)[0] for c in cands)
    assert [27, 0, 0, 2, 0, 1, 30] in got and len(got) > 1


def test_trailing_empty_pipe_cell_is_dropped_only_at_the_end() -> None:
    pieces = [Piece(d) for d in ["31", "4", "", "", "1", "", "36"]] + [Piece("")]
    cands = gap_candidates(pieces, 1, 7, 6)
    assert _values(cands[0]) == [[31, 4, None, None, 1, None, 36]]
    assert len(cands) == 1


def test_printed_inconsistent_row_is_read_as_printed() -> None:
    pieces = [Piece(d) for d in ["1", "2", "3", "0", "0", "0", "99"]]
    cands = gap_candidates(pieces, 1, 7, 6)
    assert _values(cands[0]) == [[1, 2, 3, 0, 0, 0, 99]]


def test_missing_total_is_filled_and_a_missing_part_is_ambiguous() -> None:
    cands = gap_candidates([Piece(d) for d in ["1", "2", "0", "0", "0", "3"]], 1, 7, 6)
    rows = [_values(c)[0] for c in cands]
    assert [1, 2, 0, 0, 0, 3, 6] in rows  # the total not printed
    assert [1, 2, 0, 0, 0, 0, 3] in rows  # a zero part not printed
    assert len(rows) > 2


def test_column_identity_decides_between_candidates() -> None:
    a = gap_candidates([Piece("270020130")], 1, 7, 6)
    b = gap_candidates([Piece("5000005")], 1, 7, 6)
    total = gap_candidates([Piece("320020135")], 1, 7, 6)
    solved = solve_table(
        {"a": [c[0] for c in a], "b": [c[0] for c in b], "t": [c[0] for c in total]},
        [sum_identity("t", ["a", "b"])],
    )
    assert solved.consistent
    assert _values(solved.rows["a"]) == [[27, 0, 0, 2, 0, 1, 30]]


def _brute_force_rows(digits: str) -> list[list[int]]:
    """Every cutting of ``digits`` into seven numbers (no leading zeros, at most six digits)
    whose last is the sum of the other six: the reference for the pruned search."""
    out = []
    for cuts in itertools.combinations(range(1, len(digits)), 6):
        parts = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        if any(len(p) > 6 or (len(p) > 1 and p.startswith("0")) for p in parts):
            continue
        values = [int(p) for p in parts]
        if sum(values[:6]) == values[6]:
            out.append(values)
    return sorted(out)


def test_pruned_cutting_of_long_runs_finds_exactly_the_brute_force_solutions() -> None:
    rng = random.Random(19)
    for _ in range(40):
        parts = [
            rng.choice([0, rng.randint(1, 9), rng.randint(10, 999), rng.randint(1000, 9999)])
            for _ in range(6)
        ]
        digits = "".join(str(v) for v in [*parts, sum(parts)])
        if len(digits) > 20:
            continue
        got = sorted(_values(c)[0] for c in segmentations([Piece(digits)], 1, 7, 6, limit=10_000))
        assert got == _brute_force_rows(digits)
        assert [*parts, sum(parts)] in got
