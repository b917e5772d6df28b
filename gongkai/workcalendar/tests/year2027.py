"""A made-up 2027 year file for tests (no 2027 notice is known: spec §7.2)."""

from __future__ import annotations

from typing import Any


def year_2027() -> dict[str, Any]:
    """Return a fictitious but valid 2027 schedule: 元旦 01-01..01-03, one weekend working day."""
    return {
        "year": 2027,
        "source": {
            "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
            "url": "https://www.gov.cn/test-2027",
            "issued_on": "2026-11-10",
            "doc_number": None,
        },
        "holidays": [
            {"name": "元旦", "off": ["2027-01-01", "2027-01-02", "2027-01-03"]},
            {"name": "春节", "off": [f"2027-02-{d:02d}" for d in range(5, 12)]},
        ],
        "weekend_workdays": [{"date": "2027-02-13", "holiday": "春节"}],
    }
