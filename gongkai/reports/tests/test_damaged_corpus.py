"""A modest damaged-export corpus: recovery targets and no wrong certain value."""

from __future__ import annotations

import random

from gongkai.reports.parsing import parse_report
from gongkai.reports.tests.damage import KINDS, SEPARATED, Score, damaged_text, score
from gongkai.reports.tests.renderers import random_report


def test_damaged_corpus_recovery() -> None:
    rng = random.Random(19)
    separated, run_together = Score(), Score()
    for i in range(60):
        report = random_report(rng, rng.choice([2021, 2019]))
        kind = KINDS[i % len(KINDS)]
        text, _ = damaged_text(report, rng, kind)
        s = score(report, parse_report(text).cells)
        (separated if kind in SEPARATED else run_together).add(s)
    assert separated.wrong == 0 and run_together.wrong == 0
    assert separated.recovered >= 0.99 * separated.total
    assert run_together.recovered >= 0.95 * run_together.total


def test_each_damage_is_really_applied() -> None:
    rng = random.Random(3)
    report = random_report(rng, 2021)
    run_text, _ = damaged_text(report, rng, "run")
    assert "本年新收政府信息公开申请数量" + str(report["table3"][0]["values"][0])[0] in run_text
    pipe_text, _ = damaged_text(report, random.Random(4), "pipe")
    assert "| " in pipe_text
    spaces_text, _ = damaged_text(report, rng, "spaces")
    assert "|" not in spaces_text


def test_run_together_2019_shape_in_a_later_year() -> None:
    """The 23-row table in a 2023 report, cells run together: read as the 2019 shape."""
    rng = random.Random(7)
    report = random_report(rng, 2019)
    report["year"] = 2023
    text, _ = damaged_text(report, rng, "run")
    result = parse_report(text)
    assert result.table3_format == 2019
    assert score(report, result.cells).wrong == 0
