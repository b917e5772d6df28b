"""The figures of section 一、总体情况 that come from the record rather than the tables:
政府公报, 政策解读, 新闻发布会 and 在线访谈, 征求意见 and 采纳情况, 政务信箱 and 热线.

Read through the other apps' selectors; the narrative turns them into sentences the office
reviews and edits (``narrative.overview_sentences``).
"""

from __future__ import annotations

from typing import Any

from gongkai.catalog.selectors import interpretation_count
from gongkai.engagement.selectors import year_figures as engagement_figures
from gongkai.gazette.selectors import year_figures as gazette_figures


def overview_figures(agency: Any, year: int, *, consolidated: bool) -> dict[str, Any]:
    """Return ``{"gazette": …, "interpretations": n, "engagement": …}`` for the year."""
    return {
        "gazette_name": f"{agency.name}公报",
        "gazette": gazette_figures(agency, year, consolidated=consolidated),
        "interpretations": interpretation_count(agency, year, consolidated=consolidated),
        "engagement": engagement_figures(agency, year, consolidated=consolidated),
    }
