"""The redaction plan as data: marks, their JSON form, finding marks, and the 区分处理说明."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from gongkai.catalog.choices import FindingKind
from gongkai.catalog.scan import personal_data_matches, scan_text
from gongkai.responses import redaction
from gongkai.responses.choices import (
    REASON_ARTICLES,
    MarkSource,
    ProblemKind,
    RedactionReason,
)
from gongkai.responses.redaction import Mark, Problem, RedactionError
from gongkai.responses.tests.documents import ID_NUMBER, MOBILE, NAME, sample_pdf

PRIVACY = RedactionReason.PERSONAL_PRIVACY


def test_every_reason_has_its_article():
    """The fixed list of legal reasons each cite an article of the Regulations."""
    assert set(REASON_ARTICLES) == set(RedactionReason.values)
    assert REASON_ARTICLES[RedactionReason.STATE_SECRET] == "第十四条"
    assert REASON_ARTICLES[RedactionReason.TRADE_SECRET] == "第十五条"
    assert REASON_ARTICLES[RedactionReason.PROCESS_INFO] == "第十六条第二款"
    assert REASON_ARTICLES[RedactionReason.NOT_GOVERNMENT_INFO] == "第三十七条"


def test_a_mark_round_trips_through_json():
    """Marks are stored as JSON and read back equal; the box is normalised."""
    mark = Mark(2, (300.5, 700.25, 100.0, 650.0), PRIVACY, "u7", MarkSource.BOX, "g1", "手写框")
    assert mark.box == (100.0, 650.0, 300.5, 700.25)
    data = json.loads(json.dumps(redaction.plan_to_data([mark])))
    assert redaction.plan_from_data(data) == [mark]


@pytest.mark.parametrize(
    "data",
    [
        {"page": 0, "box": [0, 0, 10, 10], "reason": "BECAUSE"},
        {"page": -1, "box": [0, 0, 10, 10], "reason": "STATE_SECRET"},
        {"page": 0, "box": [0, 0, 0, 10], "reason": "STATE_SECRET"},
        {"page": 0, "box": [0, 0, "nan", 10], "reason": "STATE_SECRET"},
        {"page": 0, "box": [0, 0, 10], "reason": "STATE_SECRET"},
        {"page": 0, "reason": "STATE_SECRET"},
        {"page": 0, "box": [0, 0, 10, 10], "reason": "STATE_SECRET", "source": "GUESS"},
    ],
)
def test_bad_mark_data_is_refused(data):
    """Unknown reasons or sources, negative pages, empty or broken boxes: RedactionError."""
    with pytest.raises(RedactionError):
        Mark.from_dict(data)


def test_merge_adds_only_new_marks():
    """Searching twice does not double the plan."""
    pages = redaction.read_text(sample_pdf().data)
    first = redaction.search_personal_data(pages)
    again = redaction.search_personal_data(pages)
    assert redaction.merge(first, again) == first
    more = redaction.search_text(pages, NAME, reason=PRIVACY)
    assert redaction.merge(first, more) == first + more


def test_text_search_ignores_spacing_and_case_and_finds_every_occurrence():
    """'1 3 8 1 2 3 4 5 6 7 8' finds the mobile number on both pages and in both lines."""
    pages = redaction.read_text(sample_pdf().data)
    spaced = " ".join(MOBILE)
    marks = redaction.search_text(pages, spaced, reason=PRIVACY, author="u1")
    assert [m.page for m in marks] == [0, 0, 1]
    assert len({m.group for m in marks}) == 3
    assert all(m.label == spaced and m.source == MarkSource.TEXT_SEARCH for m in marks)
    upper = redaction.search_text(pages, "CONTACT", reason=PRIVACY)
    assert len(upper) == 1
    assert not redaction.search_text(pages, "CONTACT", reason=PRIVACY, ignore_case=False)
    assert not redaction.search_text(pages, "   ", reason=PRIVACY)


def test_pattern_search_and_a_bad_pattern():
    """A regular expression marks its matches; a broken one is a message, not a crash."""
    pages = redaction.read_text(sample_pdf().data)
    marks = redaction.search_pattern(pages, r"第.页", reason=RedactionReason.INTERNAL_AFFAIRS)
    assert [m.page for m in marks] == [1]
    assert marks[0].source == MarkSource.PATTERN
    with pytest.raises(RedactionError, match="查找模式无效"):
        redaction.search_pattern(pages, "([", reason=PRIVACY)


def test_a_match_over_two_lines_gives_two_boxes_counted_once():
    """A pattern spanning a line break is marked line by line, as one place."""
    pages = redaction.read_text(sample_pdf().data)
    marks = redaction.search_pattern(pages, r"。\s*本机关", reason=PRIVACY)
    assert len(marks) == 2
    assert marks[0].group == marks[1].group
    assert marks[0].box[1] > marks[1].box[3]  # the second box is on the line below
    assert redaction.occurrence_count(marks) == 1


def test_the_scan_reports_spans_that_slice_back_to_the_values():
    """personal_data_matches gives each finding's place; scan_text still reports the same."""
    text = f"身份证{ID_NUMBER}，电话 138-1234-5678，邮箱 a.b@example.cn。"
    found = personal_data_matches(text)
    assert [(f.kind, text[f.start : f.end]) for f in found] == [
        (FindingKind.ID_NUMBER, ID_NUMBER),
        (FindingKind.MOBILE, "138-1234-5678"),
        (FindingKind.EMAIL, "a.b@example.cn"),
    ]
    assert [(h.kind, h.value) for h in scan_text(text)] == [(f.kind, f.value) for f in found]


def test_summary_counts_places_per_reason_in_the_fixed_order():
    """Groups count once; reasons come in the list's order with their pages."""
    marks = [
        Mark(0, (0, 0, 10, 10), RedactionReason.TRADE_SECRET, group="a"),
        Mark(0, (0, 20, 10, 30), RedactionReason.TRADE_SECRET, group="a"),
        Mark(2, (0, 0, 10, 10), RedactionReason.TRADE_SECRET),
        Mark(1, (0, 0, 10, 10), RedactionReason.STATE_SECRET),
        Mark(4, (5, 5, 9, 9), PRIVACY),
        Mark(1, (5, 5, 9, 9), PRIVACY),
    ]
    summary = redaction.summarize(marks)
    assert [(s.reason, s.count, s.pages) for s in summary] == [
        (RedactionReason.STATE_SECRET, 1, (2,)),
        (RedactionReason.TRADE_SECRET, 2, (1, 3)),
        (PRIVACY, 2, (2, 5)),
    ]
    assert summary[1].article == "第十五条"
    assert redaction.occurrence_count(marks) == 5
    with translation.override("zh-hans"):
        lines = redaction.statement_lines(marks)
        assert lines[1] == (
            "第1页、第3页共2处内容涉及商业秘密，依据《中华人民共和国政府信息公开条例》"
            "第十五条的规定不予公开。"
        )
        assert summary[0].label == "属于国家秘密（第十四条）"
        worded = redaction.statement_lines([Mark(0, (0, 0, 1, 1), RedactionReason.LAW_PROHIBITED)])
        assert worded == [
            "第1页共1处内容属于法律、行政法规禁止公开的信息，"
            "依据《中华人民共和国政府信息公开条例》第十四条的规定不予公开。"
        ]


def test_problems_read_as_sentences():
    """Each problem names the page and the mark for people."""
    with translation.override("zh-hans"):
        problem = Problem(ProblemKind.TEXT_UNDER_MARK, 1, 0, "PDFium: 3")
        assert problem.message == "第2页第1处遮盖：遮盖处仍有可提取的文字（PDFium: 3）"
        assert Problem(ProblemKind.METADATA).message == "文件含有元数据"
