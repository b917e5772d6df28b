"""Round trip: random valid figures → official layout (text, HTML, DOCX, PDF) → parse → same figures."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports.parsing import parse_report
from gongkai.reports.tests.renderers import (
    LAYOUTS,
    Style,
    figures,
    random_report,
    random_style,
    render,
)

FILENAMES = {"html": "r.html", "docx": "r.docx", "pdf": "r.pdf"}


def _round_trip(report: dict, style: Style) -> None:
    data = render(report, style)
    result = parse_report(data, FILENAMES.get(style.layout, "r.txt"))
    out = result.to_json()
    assert out["format"] == report["format"]
    assert out["year"] == report["year"]
    assert out["agency_name"] == report["agency"]["name"]
    assert figures(out) == figures(report)
    assert result.not_found == []
    assert not result.hard_failures


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    layout=st.sampled_from([*LAYOUTS[:4], "html"]),
)
def test_random_reports_round_trip_through_text_and_html(seed: int, layout: str) -> None:
    """Any valid report, in any text or HTML variation, parses back to identical figures."""
    rng = random.Random(seed)
    fmt = rng.choice([2021, 2019, 2008])
    report = random_report(rng, fmt, rng.choice([2021, 2019]) if fmt == 2021 else None)
    _round_trip(report, random_style(rng, layout))


@pytest.mark.parametrize("fmt,table2_fmt", [(2021, None), (2021, 2019), (2019, None), (2008, None)])
@pytest.mark.parametrize("layout", ["docx", "pdf"])
def test_docx_and_pdf_round_trip(fmt: int, table2_fmt: int | None, layout: str) -> None:
    """DOCX (python-docx, merged cells) and text PDF (reportlab, CJK font) parse back exactly."""
    rng = random.Random(fmt * 10 + (table2_fmt or 0) + len(layout))
    for variant in range(2):
        report = random_report(rng, fmt, table2_fmt)
        style = Style(
            layout=layout,
            blank_zeros=variant == 1 and layout == "docx",
            blank_subtotals=variant == 1 and layout == "docx",
            broken_labels=variant == 1,
            fullwidth_digits=variant == 1,
            ascii_brackets=variant == 0,
            comma_in_six=variant == 1,
        )
        _round_trip(report, style)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_with_every_variation(layout: str) -> None:
    """Each layout with all variations switched on at once, in the 2021 format."""
    report = random_report(random.Random(99), 2021)
    style = Style(
        layout=layout,
        fullwidth_digits=True,
        ascii_brackets=True,
        blank_zeros=True,
        blank_subtotals=True,
        broken_labels=True,
        comma_in_six=True,
    )
    _round_trip(report, style)
