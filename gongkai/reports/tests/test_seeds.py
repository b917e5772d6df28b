"""The five seeds: every cell of seed 001's 2008 table, the prose figures of 000 and 004."""

from __future__ import annotations

from pathlib import Path

from gongkai.reports.parsing import ParseResult, parse_report

SEED_001_TABLE = {
    "proactive_items": 49272, "proactive_normative": 3226, "normative_issued": 2230,
    "channel_gazette": 144, "channel_website": 44650, "channel_weibo": 187, "channel_weixin": 425,
    "channel_other": 2247, "response_hotspots": 566, "press_conferences": 40,
    "press_conferences_leaders": 35, "online_interviews": 2, "online_interviews_leaders": 2,
    "interpretations": 85, "weibo_weixin_responses": 10, "other_responses": 76, "received": 24,
    "received_in_person": 2, "received_fax": 0, "received_online": 17, "received_letter": 5,
    "closed": 24, "closed_on_time": 24, "closed_extended": 0, "replies": 24,
    "reply_already_public": 0, "reply_open": 15, "reply_partial": 0, "reply_refused": 0,
    "refused_state_secret": 0, "refused_commercial_secret": 0, "refused_privacy": 0,
    "refused_security": 0, "refused_not_government_info": 0, "refused_other_law": 0,
    "reply_not_this_agency": 9, "reply_not_exist": 0, "reply_correction": 0,
    "reply_other_channel": 0, "reviews": 0, "reviews_upheld": 0, "reviews_corrected": 0,
    "reviews_other": 0, "lawsuits": 0, "lawsuits_upheld": 0, "lawsuits_corrected": 0,
    "lawsuits_other": 0, "complaints": 18, "fees": 0, "special_bodies": 286, "reading_points": 16,
    "staff": 950, "staff_full_time": 35, "staff_part_time": 915, "special_funds": 136.22,
    "meetings": 197, "training_sessions": 26, "trainees": 2088,
}  # fmt: skip


def _parse(seeds: Path, name: str) -> ParseResult:
    path = next(seeds.glob(f"{name}_*.txt"))
    return parse_report(path.read_bytes(), path.name)


def _figures(result: ParseResult) -> list[tuple[str, float, str | None]]:
    return [(f.kind, f.value, f.scope) for f in result.prose_figures]


def test_seed_001_recovers_every_cell_of_the_2008_table(seeds: Path) -> None:
    """All 58 figures of 钦州's 2014 statistics table, each with its source line."""
    result = _parse(seeds, "001")
    assert result.format == 2008
    assert result.format_basis == "table2008"
    assert result.year == 2014
    assert result.table2008 == SEED_001_TABLE
    lines = (seeds / "001_97ee47eec622cd46.txt").read_text().splitlines()
    for key, value in SEED_001_TABLE.items():
        line = result.sources[f"table2008.{key}"]["line"]
        assert lines[line - 1].split("|")[0].strip() == str(value)


def test_seed_001_checks(seeds: Path) -> None:
    """The implied sums hold; the distinct total exceeding the channel sum is reported (L3)."""
    result = _parse(seeds, "001")
    codes = [c.code for c in result.checks]
    assert "L1" not in codes
    l3 = next(c for c in result.checks if c.code == "L3")
    assert "49272" in l3.message and "47653" in l3.message
    assert l3.severity == "soft"
    # The text agrees with the table where it restates it (S6 silent).
    assert "S6" not in codes
    assert ("received", 24, "全市") in _figures(result)
    assert ("result_open", 15, "全市") in _figures(result)
    assert ("result_not_this_agency", 9, "全市") in _figures(result)


def test_seed_001_has_no_agency_name_and_says_so(seeds: Path) -> None:
    """The report never names its agency: not guessed, candidates offered."""
    result = _parse(seeds, "001")
    assert result.agency_name is None
    assert result.agency_candidates[0] == "钦州市"
    assert any("机关名称" in n for n in result.not_found)


def test_seed_000_prose_figures(seeds: Path) -> None:
    """茂名 2016: no tables; the office's and the city's application figures with their scopes."""
    result = _parse(seeds, "000")
    assert result.agency_name == "茂名市人民政府"
    assert result.year == 2016
    assert result.table3 is None and result.table2008 is None
    assert result.format == 2008 and result.format_basis == "year"
    figures = _figures(result)
    for expected in [
        ("received", 34, "市府办"),
        ("closed", 34, "市府办"),
        ("closed_on_time", 28, "市府办"),
        ("closed_extended", 6, "市府办"),
        ("replies", 34, "市府办"),
        ("received", 275, "全市各级行政机关"),
        ("reviews", 18, "全市各级行政机关"),
        ("lawsuits", 40, "全市各级行政机关"),
        ("proactive_items", 16367, "全市"),
        ("fees", 0, "全市"),
    ]:
        assert expected in figures
    # "答复前征求市法制局意见8件" is not a count of replies.
    assert ("replies", 8, "市府办") not in figures
    sentence = next(f.sentence for f in result.prose_figures if f.value == 275)
    assert sentence.startswith("据统计")
    # Its figures are consistent: 34 = 28 + 6 (P4) and nothing else can be checked.
    assert [c for c in result.checks if c.code.startswith("P")] == []


def test_seed_004_prose_figures_and_inconsistencies(seeds: Path) -> None:
    """汕尾 2020: tables lost; the prose figures show applicant types and results not adding up."""
    result = _parse(seeds, "004")
    assert result.agency_name == "汕尾市人民政府"
    assert result.year == 2020
    assert result.format == 2019 and result.format_basis == "year"
    figures = {(f.kind, f.value) for f in result.prose_figures if f.scope == "全市"}
    assert figures >= {
        ("received", 3721), ("carried_in", 15), ("applicants_natural", 2870),
        ("applicants_legal", 847), ("result_open", 1298), ("result_partial", 20),
        ("result_refused", 12), ("result_unable", 89), ("result_not_handled", 2286),
        ("result_other", 9), ("carried_out", 5),
    }  # fmt: skip
    shares = {f.kind: f.share for f in result.prose_figures if f.share}
    assert shares == {"result_open": 34.88, "result_not_handled": 61.43}
    p1 = next(c for c in result.checks if c.code == "P1")
    assert "3717" in p1.message and "3721" in p1.message and "3736" in p1.message
    p2 = next(c for c in result.checks if c.code == "P2")
    assert p2.figures["办理结果之和"] == 3719 and "相差17" in p2.message
    assert "P3" not in [c.code for c in result.checks]  # the stated shares are right
    assert any("表三" in n for n in result.not_found)
    assert not result.hard_failures


def test_seed_002_and_003_find_no_tables(seeds: Path) -> None:
    """楚雄 2017 (prose only) and 东莞's work plan (not a report) yield no invented figures."""
    r2 = _parse(seeds, "002")
    assert r2.year == 2017 and r2.table3 is None and r2.table2008 is None
    assert ("reviews", 0, "全市") in _figures(r2)
    r3 = _parse(seeds, "003")
    assert r3.format is None and r3.year is None
    assert any("报告格式" in n for n in r3.not_found)
