"""The statutory holidays fixed in advance by 《全国年节及纪念日放假办法》 (decision 1608).

For a year whose State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知) is not loaded,
the calendar still knows the days the 办法 itself fixes: 元旦 (1月1日), 春节 (农历正月初一至初三,
from 2025 also 除夕), 清明节 (the solar term), 劳动节 (5月1日, from 2025 also 5月2日), 端午节
(农历五月初五), 中秋节 (农历八月十五) and 国庆节 (10月1日至3日) — spec §7.1. The notice's 调休 (moved
days and weekend working days) cannot be known in advance and is not guessed. The lunar and
solar-term dates come from the maintained ``holidays`` package (MIT licence), whose China
class implements the 办法 as revised in 2024; its "Day off (substituted …)" entries are the
published arrangements of past years and are left out here.
"""

from __future__ import annotations

from functools import lru_cache

from gongkai.workcalendar.calendar import DayKind, DayOverride

#: The package's English names → the names the 办法 uses.
NAMES = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "春节",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}


@lru_cache(maxsize=128)
def statutory_holidays(year: int) -> tuple[DayOverride, ...]:
    """The statutory holidays of ``year`` as calendar overrides (no 调休), in date order."""
    import holidays

    found = holidays.China(years=year, observed=False, language="en_US")
    out = []
    for day, label in sorted(found.items()):
        for name in str(label).split("; "):
            if name in NAMES:
                out.append(DayOverride(date=day, kind=DayKind.HOLIDAY, name=NAMES[name]))
                break
    return tuple(out)
