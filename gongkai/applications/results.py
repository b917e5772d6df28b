"""The one reported result of a case, derived from the decisions on its requested items.

Precedence (docs/decisions/0401-result-precedence.md): table 三 counts each application once.
When the items of one application are decided differently (区分处理), the case is counted as
（二）部分公开 if at least one item is disclosed (（一）) and at least one is not — "区分处理的，
只计这一情形，不计其他情形". Otherwise all items share a non-disclosure outcome family and the
case takes the first row in table order among its items' rows (the most substantive ground:
（三） before （四） before （五） before （六）, and within a group the lower number).
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.applications.choices import RESULT_ORDER, Result


def case_result(decisions: Iterable[str]) -> str:
    """Return the case's single result row key for the per-item ``decisions``.

    Raises ValueError when there is no decision or one is not a table 三 row.
    """
    values = [str(Result(d)) for d in decisions]
    if not values:
        raise ValueError("no decisions")
    kinds = set(values)
    if kinds == {Result.R1_OPEN}:
        return Result.R1_OPEN
    if Result.R2_PARTIAL in kinds or Result.R1_OPEN in kinds:
        return Result.R2_PARTIAL
    return min(kinds, key=RESULT_ORDER.index)
