"""The one reported result of a case, derived from the decisions on its requested items.

Precedence (docs/decisions/0401-result-precedence.md): table 三 counts each application once.
When the items of one application are decided differently (区分处理), the case is counted as
（二）部分公开 if at least one item is disclosed (（一）) and at least one is not — "区分处理的，
只计这一情形，不计其他情形". Otherwise all items share a non-disclosure outcome family and the
case takes the first row in table order among its items' rows (the most substantive ground:
（三） before （四） before （五） before （六）, and within a group the lower number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from gongkai.applications.choices import RESULT_ORDER, EventKind, Result


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


#: The results that report an event of the case: the row may be chosen only after it happened.
EVIDENCED = {Result.R6_1, Result.R6_2, Result.R4_3}


def result_evidence_error(
    application: Any, result: str, *, on: dt.date | None = None
) -> str | None:
    """Why ``result`` cannot be the outcome of ``application`` on ``on`` (None if it can).

    （六）1 needs a correction notice whose period passed unanswered (第三十条); （六）2 a fee
    notice whose payment period passed unpaid (收费管理办法); （四）3 a correction notice that was
    answered (补正后申请内容仍不明确). Letters for these rows state those facts, so they must be
    true. ``on``: the date of the decision (default today).
    """
    if result not in EVIDENCED:
        return None

    on = on or timezone.localdate()
    kinds = set(application.events.values_list("kind", flat=True))
    asked = EventKind.CORRECTION_REQUESTED in kinds
    answered = EventKind.CORRECTION_RECEIVED in kinds
    if result == Result.R4_3:
        if not (asked and answered):
            return "“补正后申请内容仍不明确”只能在发出补正告知并收到补正之后选择（第三十条）。"
        return None
    if result == Result.R6_1:
        ends = application.correction_period_ends_on
        if not asked or answered or ends is None or on <= ends:
            return (
                "“逾期不补正”只能在发出补正告知、补正期限届满而申请人未补正之后选择（第三十条）。"
            )
        return None
    notice = application.fee_notices.order_by("-sent_on", "-pk").first()
    if notice is None or notice.paid_on is not None or notice.pay_by is None or on <= notice.pay_by:
        return (
            "“逾期未按收费通知要求缴纳费用”只能在发出收费通知、缴费期限届满而申请人未缴费之后选择"
            "（《政府信息公开信息处理费管理办法》）。"
        )
    return None


def letter_fact_error(application: Any, result: str) -> str | None:
    """Why a letter for row ``result`` would state something that did not happen (or None).

    The letters of （六）1 and （四）3 say a correction notice was sent (and, for （四）3, answered;
    for （六）1, not answered); the letter of （六）2 says a fee notice was sent and not paid.
    """
    if result not in EVIDENCED:
        return None
    asked = application.correction_requested_on is not None
    answered = application.corrected_on is not None
    if result == Result.R4_3 and not (asked and answered):
        return "本案没有补正告知和补正记录，不能制发“补正后申请内容仍不明确”的答复（第三十条）。"
    if result == Result.R6_1 and not (asked and not answered):
        return "本案没有未获补正的补正告知，不能制发“逾期不补正”的告知书（第三十条）。"
    if result == Result.R6_2 and not application.fee_notices.filter(paid_on__isnull=True).exists():
        return "本案没有未缴费的收费通知，不能制发“逾期未缴纳信息处理费”的告知书。"
    return None
