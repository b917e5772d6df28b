"""Legal parameters are effective-dated data with citations."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongkai.workcalendar.rules import (
    DEFAULT_RULES,
    LegalParameter,
    RuleKey,
    RuleNotInForce,
    Rules,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("key", "on", "value", "article"),
    [
        (RuleKey.REPLY_DAYS, "2019-05-14", 15, "第二十四条第二款"),
        (RuleKey.REPLY_DAYS, "2019-05-15", 20, "第三十三条第二款"),
        (RuleKey.EXTENSION_MAX_DAYS, "2018-06-01", 15, "第二十四条第二款"),
        (RuleKey.EXTENSION_MAX_DAYS, "2026-02-10", 20, "第三十三条第二款"),
        (RuleKey.CORRECTION_NOTICE_DAYS, "2019-05-15", 7, "第三十条"),
        (RuleKey.THIRD_PARTY_ANSWER_DAYS, "2026-02-10", 15, "第三十二条"),
        (RuleKey.AGENCY_ANSWER_DAYS, "2026-02-10", 15, "第三十四条"),
        (RuleKey.FEE_PAYMENT_DAYS, "2021-01-01", 20, "信息处理费管理办法"),
        (RuleKey.PROACTIVE_DISCLOSURE_DAYS, "2026-02-10", 20, "第二十六条"),
    ],
)
def test_parameters_in_force(key: RuleKey, on: str, value: int, article: str) -> None:
    """Each parameter has its value and article on the dates it applies."""
    parameter = DEFAULT_RULES.get(key, D(on))
    assert parameter.value == value
    assert article in parameter.citation


@pytest.mark.parametrize(
    ("key", "on"),
    [
        (RuleKey.CORRECTION_NOTICE_DAYS, "2019-05-14"),  # no 7-day rule in 2008
        (RuleKey.THIRD_PARTY_ANSWER_DAYS, "2019-05-14"),  # no answer window in 2008
        (RuleKey.LONGER_DEADLINE, "2019-05-14"),  # 第三十五条 is new in 2019
        (RuleKey.FEE_PAYMENT_DAYS, "2020-12-31"),  # fees collected from 2021-01-01
        (RuleKey.REPLY_DAYS, "2008-04-30"),  # before the 2008 Regulations
    ],
)
def test_parameters_not_yet_in_force(key: RuleKey, on: str) -> None:
    """Before a rule took effect there is no parameter: find() → None, get() raises."""
    assert DEFAULT_RULES.find(key, D(on)) is None
    with pytest.raises(RuleNotInForce):
        DEFAULT_RULES.get(key, D(on))


def test_the_longer_deadline_rule_has_no_number() -> None:
    """第三十五条 sets no number of days; asking for one is an error."""
    rule = DEFAULT_RULES.get(RuleKey.LONGER_DEADLINE, D("2026-01-01"))
    assert rule.value is None
    with pytest.raises(TypeError):
        _ = rule.days


def test_a_change_of_law_is_a_new_row() -> None:
    """A future amendment is data: old dates keep the old value."""
    amended = Rules(
        parameters=(
            *(
                dataclasses.replace(p, effective_until=D("2030-01-01"))
                if p.key is RuleKey.REPLY_DAYS and p.effective_until is None
                else p
                for p in DEFAULT_RULES.parameters
            ),
            LegalParameter(RuleKey.REPLY_DAYS, 10, D("2030-01-01"), None, "假想修订"),
        )
    )
    assert amended.get(RuleKey.REPLY_DAYS, D("2029-12-31")).days == 20
    assert amended.get(RuleKey.REPLY_DAYS, D("2030-01-01")).days == 10


def test_overlapping_periods_are_refused() -> None:
    """Two values of one parameter may not be in force on the same day."""
    with pytest.raises(ValueError, match="overlapping"):
        Rules(
            parameters=(
                *DEFAULT_RULES.parameters,
                LegalParameter(RuleKey.REPLY_DAYS, 10, D("2030-01-01"), None, "x"),
            )
        )


def test_settings_are_validated() -> None:
    """The internal target cannot be negative; the fee pause is a setting."""
    with pytest.raises(ValueError):
        Rules(internal_target_days=-1)
    assert DEFAULT_RULES.fee_pauses_reply_clock is True
    assert DEFAULT_RULES.internal_target_days == 15
