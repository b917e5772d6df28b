"""Identifiers, segmentation, synonyms and snippets (no index needed)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search.highlight import highlight, snippet
from gongkai.search.identifiers import document_keys, query_keys
from gongkai.search.segment import Dictionary, Segmenter, normalise


@pytest.mark.parametrize(
    "spelling",
    [
        "茂府办函〔2016〕65号",
        "茂府办函[2016]65号",
        "茂府办函(2016)65号",
        "茂府办函（2016）65号",
        "茂府办函 2016 65",
        "茂府办函〔2016〕第65号",
        "茂府办函［２０１６］６５号",
    ],
)
def test_every_doc_number_spelling_gives_the_documents_key(spelling):
    """Any common spelling of a 文号 in a query yields the key the document is indexed under."""
    (doc_key,) = [
        k for k in document_keys(doc_number="茂府办函〔2016〕65号") if k.startswith("wh:")
    ]
    assert doc_key in query_keys(spelling)


def test_index_and_registration_numbers_are_exact_keys():
    """A 索引号 and a 受理编号 in a query match the document's keys exactly."""
    keys = document_keys(index_number="007122000/2017-04159", registration_number="2026-0012")
    assert "sy:007122000/2017-04159" in query_keys("007122000/2017-04159")
    assert "dj:2026-0012" in query_keys("2026-0012")
    assert set(keys) == {"sy:007122000/2017-04159", "dj:2026-0012"}


def test_ordinary_words_carry_no_identifier_keys():
    """A plain topic query adds no identifier lookups."""
    assert query_keys("住房公积金管理办法") == []


def test_synonyms_and_dictionary_words_expand_queries():
    """A synonym group makes each term an alternative; dictionary words also match their pieces."""
    seg = Segmenter(
        Dictionary(
            frozenset({"人社局", "人力资源和社会保障局"}),
            {"人社局": frozenset({"人力资源和社会保障局"})},
        )
    )
    assert seg.query_words("人社局怎么办理养老保险") == ["人社局", "办理", "养老保险"]
    alts = seg.alternatives("人社局")
    assert ("人社局",) in alts and ("人力资源和社会保障局",) in alts
    assert any(len(a) > 1 for a in alts)  # the base pieces, for documents indexed before
    tokens = seg.index_tokens("茂名市人力资源和社会保障局发布通知")
    assert "人力资源和社会保障局" in tokens and "人力资源" in tokens


def test_snippets_escape_markup_and_mark_terms():
    """Snippets and titles are escaped; only the <mark> tags are markup."""
    text = "前言<script>alert(1)</script>住房公积金提取办法" + "。" * 300
    out = snippet(text, ["公积金"])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark>公积金</mark>" in out
    assert str(highlight("A&B 公积金", ["公积金"])) == "A&amp;B <mark>公积金</mark>"


_PLAIN = ["关于", "做好", "年度", "政府信息公开", "工作", "的", "通知", "。", "市", "区", "，"]
_OWN = ["茂名市人力资源和社会保障局", "电白区住房和城乡建设局", "低保", "人社局", "公租房"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PLAIN + _OWN), min_size=1, max_size=30))
def test_a_dictionary_word_in_any_text_is_indexed_with_its_base_pieces(parts):
    """Wherever a dictionary word stands, the index holds the word and every piece jieba's base
    dictionary cuts it into — the tokens a query for the word or its parts looks for — and
    every token of the platform's own search-mode cut; nothing else is added."""
    import rjieba

    seg = Segmenter(Dictionary(frozenset(_OWN)))
    text = "".join(parts)
    tokens = seg.index_tokens(text)
    spaced = re.sub(r"[^\w]+", " ", normalise(text))  # punctuation separates, as in the index
    platform = [t for t in seg._jieba.cut_for_search(spaced, False) if not t.isspace()]
    assert tokens[: len(platform)] == platform
    found = [w for w in platform if w in _OWN]
    wanted = {p for w in found for p in rjieba.cut_for_search(w, False)}
    assert set(tokens) == set(platform) | wanted
    assert len(tokens) == len(platform) + len(set(tokens) - set(platform))
    for word in found:
        for alternative in seg.alternatives(word):
            assert set(alternative) <= set(tokens)
