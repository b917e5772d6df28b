"""Legal time-limit parameters as effective-dated data, each with its citation.

The clock engine never hard-codes "20 days": it asks ``rules.find(RuleKey.REPLY_DAYS, on=...)``
for the parameter in force on the relevant date (for the reply limit: the receipt date), and
cites the parameter's article in its explanation. A change of law is a new ``LegalParameter``
row with its own ``effective_from``; old cases keep computing under the rule of their time.

Sources: spec §1.3–1.4 (2019 Regulations, 国务院令第711号, in force 2019-05-15), the 2008
Regulations (国务院令第492号, 2008-05-01 to 2019-05-14) and the fee measure (国办函〔2020〕109号,
fees collected from 2021-01-01), spec §2.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DEFAULT_RULES",
    "LEGAL_PARAMETERS",
    "REG2008_IN_FORCE",
    "REG2019_IN_FORCE",
    "FEE_MEASURE_IN_FORCE",
    "LegalParameter",
    "RuleKey",
    "RuleNotInForce",
    "Rules",
]

REG2008_IN_FORCE = dt.date(2008, 5, 1)
REG2019_IN_FORCE = dt.date(2019, 5, 15)
FEE_MEASURE_IN_FORCE = dt.date(2021, 1, 1)

REG2019 = "《中华人民共和国政府信息公开条例》（2019年修订）"
REG2008 = "《中华人民共和国政府信息公开条例》（2007年公布，2008年5月1日施行）"
FEE_MEASURE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class RuleKey(StrEnum):
    """The legal parameters the clock uses."""

    REPLY_DAYS = "reply_days"  # 答复期限
    EXTENSION_MAX_DAYS = "extension_max_days"  # 延期上限
    CORRECTION_NOTICE_DAYS = "correction_notice_days"  # 补正告知期限
    THIRD_PARTY_ANSWER_DAYS = "third_party_answer_days"  # 第三方答复期限
    AGENCY_ANSWER_DAYS = "agency_answer_days"  # 共同制作机关答复期限
    CONSULTATION_NOT_COUNTED = "consultation_not_counted"  # 征求意见时间不计入
    LONGER_DEADLINE = "longer_deadline"  # 第三十五条 合理期限
    FEE_PAYMENT_DAYS = "fee_payment_days"  # 缴费期限
    PROACTIVE_DISCLOSURE_DAYS = "proactive_disclosure_days"  # 主动公开期限 (catalog)


@dataclass(frozen=True, slots=True)
class LegalParameter:
    """One legal parameter in force from ``effective_from`` until (excluding) ``effective_until``.

    ``value`` is a number of working days, or None for a rule that exists without a number
    (e.g. 第三十五条: the head sets a reasonable later deadline).
    """

    key: RuleKey
    value: int | None
    effective_from: dt.date
    effective_until: dt.date | None
    citation: str
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        """Return whether this parameter applies on ``day``."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )

    @property
    def days(self) -> int:
        """Return the value as a number of working days (raise if the rule has none)."""
        if self.value is None:
            msg = f"{self.key} has no numeric value"
            raise TypeError(msg)
        return self.value


class RuleNotInForce(LookupError):
    """No parameter with the key is in force on the date asked about."""


LEGAL_PARAMETERS: tuple[LegalParameter, ...] = (
    LegalParameter(
        RuleKey.REPLY_DAYS,
        15,
        REG2008_IN_FORCE,
        REG2019_IN_FORCE,
        f"{REG2008}第二十四条第二款",
        "自收到申请之日起15个工作日内予以答复",
    ),
    LegalParameter(
        RuleKey.REPLY_DAYS,
        20,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十三条第二款",
        "自收到申请之日起20个工作日内予以答复",
    ),
    LegalParameter(
        RuleKey.EXTENSION_MAX_DAYS,
        15,
        REG2008_IN_FORCE,
        REG2019_IN_FORCE,
        f"{REG2008}第二十四条第二款",
        "经政府信息公开工作机构负责人同意并告知申请人，延长答复的期限最长不得超过15个工作日",
    ),
    LegalParameter(
        RuleKey.EXTENSION_MAX_DAYS,
        20,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十三条第二款",
        "经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日",
    ),
    LegalParameter(
        RuleKey.CORRECTION_NOTICE_DAYS,
        7,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十条",
        "自收到申请之日起7个工作日内一次性告知申请人作出补正",
    ),
    LegalParameter(
        RuleKey.THIRD_PARTY_ANSWER_DAYS,
        15,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十二条",
        "第三方自收到征求意见书之日起15个工作日内提出意见",
    ),
    LegalParameter(
        RuleKey.AGENCY_ANSWER_DAYS,
        15,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十四条",
        "被征求意见机关自收到征求意见书之日起15个工作日内提出意见，逾期未提出意见的视为同意公开",
    ),
    LegalParameter(
        RuleKey.CONSULTATION_NOT_COUNTED,
        None,
        REG2008_IN_FORCE,
        REG2019_IN_FORCE,
        f"{REG2008}第二十四条第三款",
        "征求第三方意见所需时间不计算在答复期限内",
    ),
    LegalParameter(
        RuleKey.CONSULTATION_NOT_COUNTED,
        None,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十三条第三款",
        "征求第三方和其他机关意见所需时间不计算在答复期限内",
    ),
    LegalParameter(
        RuleKey.LONGER_DEADLINE,
        None,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第三十五条",
        "申请数量、频次明显超过合理范围，理由合理但无法在规定期限内答复的，可以确定延迟答复的合理期限并告知申请人",
    ),
    LegalParameter(
        RuleKey.FEE_PAYMENT_DAYS,
        20,
        FEE_MEASURE_IN_FORCE,
        None,
        FEE_MEASURE,
        "申请人应当自收到收费通知的次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请（条文序号未确认，通常认为是第七条）",
    ),
    LegalParameter(
        RuleKey.PROACTIVE_DISCLOSURE_DAYS,
        20,
        REG2008_IN_FORCE,
        REG2019_IN_FORCE,
        f"{REG2008}第十八条",
        "自该政府信息形成或者变更之日起20个工作日内予以公开",
    ),
    LegalParameter(
        RuleKey.PROACTIVE_DISCLOSURE_DAYS,
        20,
        REG2019_IN_FORCE,
        None,
        f"{REG2019}第二十六条",
        "自该政府信息形成或者变更之日起20个工作日内予以公开",
    ),
)


@dataclass(frozen=True, slots=True)
class Rules:
    """The legal parameters plus the platform's own clock settings.

    ``internal_target_days``: the internal handling target (working days after receipt, paused
    like the reply limit); 0 disables it. ``fee_pauses_reply_clock``: whether the reply clock
    stands still while a fee notice is outstanding (docs/decisions/0101-fee-clock-pause.md).
    """

    parameters: tuple[LegalParameter, ...] = LEGAL_PARAMETERS
    internal_target_days: int = 15
    fee_pauses_reply_clock: bool = True
    _by_key: dict[RuleKey, tuple[LegalParameter, ...]] = field(
        init=False, repr=False, compare=False
    )
    _found: dict[tuple[RuleKey, dt.date], LegalParameter | None] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.internal_target_days < 0:
            msg = "internal_target_days must not be negative"
            raise ValueError(msg)
        by_key: dict[RuleKey, list[LegalParameter]] = {}
        for parameter in self.parameters:
            by_key.setdefault(parameter.key, []).append(parameter)
        for key, params in by_key.items():
            params.sort(key=lambda p: p.effective_from)
            for earlier, later in zip(params, params[1:], strict=False):
                if (
                    earlier.effective_until is None
                    or earlier.effective_until > later.effective_from
                ):
                    msg = f"overlapping periods for {key}: {earlier} / {later}"
                    raise ValueError(msg)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "_found", {})  # memo of find(); the rules never change

    def find(self, key: RuleKey, on: dt.date) -> LegalParameter | None:
        """Return the parameter in force on ``on``, or None if there is none."""
        try:
            return self._found[key, on]
        except KeyError:
            pass
        found = next((p for p in self._by_key.get(key, ()) if p.in_force_on(on)), None)
        self._found[key, on] = found
        return found

    def get(self, key: RuleKey, on: dt.date) -> LegalParameter:
        """Return the parameter in force on ``on``; raise ``RuleNotInForce`` if there is none."""
        parameter = self.find(key, on)
        if parameter is None:
            msg = f"no {key} rule in force on {on.isoformat()}"
            raise RuleNotInForce(msg)
        return parameter


DEFAULT_RULES = Rules()
