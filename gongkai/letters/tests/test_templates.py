"""The shipped letter texts and the restricted placeholder engine."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications.choices import Result
from gongkai.letters.choices import APPLICANT_FACING, LetterKind
from gongkai.letters.defaults import DEFAULTS, DEFAULTS_BY_CODE
from gongkai.letters.placeholders import (
    cn_date,
    render_source,
    sample_context,
    validate_template_source,
)


def test_every_result_row_has_a_reply_template():
    """Each row of table 三 has its default letter, and so has every notice kind."""
    for result in Result.values:
        assert f"reply_{result}" in DEFAULTS_BY_CODE, result
        assert DEFAULTS_BY_CODE[f"reply_{result}"].result == result
    kinds = {d.kind for d in DEFAULTS}
    assert kinds == set(LetterKind.values)


@pytest.mark.parametrize("default", DEFAULTS, ids=lambda d: d.code)
def test_default_texts_are_valid_and_cite_their_article(default):
    """Every default parses, uses known placeholders only, cites its article, states remedies."""
    validate_template_source(default.title)
    validate_template_source(default.body)
    assert default.article in default.body
    assert "《中华人民共和国政府信息公开条例》" in default.body
    if default.kind in APPLICANT_FACING:
        assert "60日内" in default.body and "申请行政复议" in default.body
        assert "6个月内" in default.body and "提起行政诉讼" in default.body
        assert "{{ registration_number }}" in default.body
    text = render_source(default.body, sample_context())
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize(
    "source",
    [
        "{% include 'base.html' %}",
        "{% load static %}",
        "{% extends 'x' %}",
        "{% debug %}",
        "{{ settings.SECRET_KEY }}",
        "{{ application.id_number }}",
        "{% if %}",
    ],
)
def test_restricted_engine_rejects_tags_and_unknown_variables(source):
    """Only the allowed tags and the documented placeholders may appear in a template."""
    with pytest.raises(ValidationError):
        validate_template_source(source)


def test_loop_variables_are_allowed():
    """A {% for %} loop may name its own variable."""
    validate_template_source(
        "{% for it in items %}{{ it.description }}{{ forloop.counter }}{% endfor %}"
    )


def test_output_is_plain_text_not_escaped():
    """Rendering produces plain text; escaping is the job of the HTML/PDF layer."""
    assert render_source("{{ applicant }}", {"applicant": "A&B<公司>"}) == "A&B<公司>"


def test_cn_date():
    """Dates for people read 2026年3月16日."""
    import datetime as dt

    assert cn_date(dt.date(2026, 3, 16)) == "2026年3月16日"
    assert cn_date(None) == ""
