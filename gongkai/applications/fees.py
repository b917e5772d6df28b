"""信息处理费 arithmetic (国办函〔2020〕109号, spec §2): pure functions, amounts in whole 元.

按件计收 is counted per applicant over one calendar month: the k-th application of the month
costs 0 (k ≤ 10), 100 元 (11–30), then 100 元 more per further band of 10 (31–40: 200 元,
41–50: 300 元, …). 按量计收 is counted per application by pages: the first 30 free, pages
31–100 at 10 元, 101–200 at 20 元, from 201 at 40 元 (2,219 pages → 83,460 元).
"""

from __future__ import annotations

FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30
#: (first page of the band, last page or None, 元 per page)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


def per_application_fee(k: int) -> int:
    """Return the fee for the applicant's ``k``-th application in a calendar month (按件)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if k <= FREE_APPLICATIONS_PER_MONTH:
        return 0
    if k <= 30:
        return 100
    return 100 * (2 + (k - 31) // 10)


def per_application_total(count: int) -> int:
    """Return the total 按件 fee for ``count`` applications of one applicant in one month."""
    return sum(per_application_fee(k) for k in range(1, count + 1))


def per_page_fee(pages: int) -> int:
    """Return the 按量 fee for one application of ``pages`` pages."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    total = 0
    for first, last, rate in PAGE_BANDS:
        upper = pages if last is None else min(pages, last)
        if upper >= first:
            total += (upper - first + 1) * rate
    return total
