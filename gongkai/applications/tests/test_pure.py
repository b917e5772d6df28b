"""Pure rules: ID check digit, masking, fees, result labels and precedence."""

from __future__ import annotations

import pytest

from gongkai.applications.choices import (
    Result,
    result_from_label,
    result_full_label,
    result_row_2019,
    result_row_2019_label,
    result_short_label,
)
from gongkai.applications.fees import per_application_fee, per_application_total, per_page_fee
from gongkai.applications.identity import (
    id_check_char,
    id_number_error,
    mask_id_number,
    mask_phone,
)
from gongkai.applications.results import case_result

VALID_ID = "11010519491231002X"  # the GB 11643 specimen number


def test_id_check_digit_of_the_standard_specimen():
    """The specimen number in GB 11643 has check character X."""
    assert id_check_char(VALID_ID[:17]) == "X"
    assert id_number_error(VALID_ID) is None
    assert id_number_error(VALID_ID.lower()) is None


@pytest.mark.parametrize(
    "number",
    ["110105194912310021", "11010519491231002", "1101051949123100XX", "110105194913310029"],
)
def test_bad_id_numbers_are_refused(number):
    """Wrong check digit, wrong length, letters, impossible birth date: all refused."""
    assert id_number_error(number)


def test_masking_keeps_only_the_ends():
    """ID numbers keep 4+4 characters, phones 3+4."""
    assert mask_id_number("110101199003071234") == "1101**********1234"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("k", "fee"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300)]
)
def test_per_application_tiers(k, fee):
    """按件: 10 free, 11–30 at 100 元, then +100 元 per band of 10."""
    assert per_application_fee(k) == fee


def test_per_application_total_for_forty():
    """40 applications in one month cost 20×100 + 10×200 = 4,000 元 (spec §2.3)."""
    assert per_application_total(40) == 4000


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700)]
)
def test_per_page_tiers(pages, fee):
    """按量: 30 pages free, then 10/20/40 元 per page by band."""
    assert per_page_fee(pages) == fee


def test_per_page_xian_case():
    """2,219 pages cost 83,460 元, the amount of the reported Xi'an case."""
    assert per_page_fee(2219) == 83_460


def test_result_keys_and_labels_follow_the_spec():
    """21 result rows with the spec's keys; level-3 labels stored exactly."""
    assert len(Result.values) == 21
    assert Result.R3_3.label == "3.危及“三安全一稳定”"
    assert result_full_label(Result.R3_1) == "（三）不予公开 1.属于国家秘密"
    assert result_full_label(Result.R1_OPEN) == "（一）予以公开"
    assert result_short_label(Result.R4_1) == "本机关不掌握相关政府信息"
    assert result_short_label(Result.R2_PARTIAL) == "部分公开"
    assert result_short_label(Result.R1_OPEN) == "予以公开"


def test_2019_format_collapses_the_other_rows():
    """The three （六） rows are one row in the 2019 format."""
    assert {result_row_2019(r) for r in ("r6_1", "r6_2", "r6_3")} == {"r6"}
    assert result_row_2019("r3_2") == "r3_2"
    assert result_row_2019_label("r6_2") == "（六）其他处理"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("予以公开", "r1_open"),
        ("部分公开", "r2_partial"),
        ("属于国家秘密", "r3_1"),
        ("本机关不掌握相关政府信息", "r4_1"),
        ("信访举报投诉类申请", "r5_1"),
        ("其他", "r6_3"),
        ("（三）不予公开 1.属于国家秘密", "r3_1"),
        ("申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", "r6_1"),
        ("r5_2", "r5_2"),
        ("不存在的结果", None),
    ],
)
def test_result_from_label(label, key):
    """Ledger labels in their usual forms map to the row keys."""
    assert result_from_label(label) == key


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        (["r1_open"], "r1_open"),
        (["r1_open", "r1_open"], "r1_open"),
        (["r1_open", "r3_1"], "r2_partial"),
        (["r1_open", "r4_1", "r5_2"], "r2_partial"),
        (["r2_partial"], "r2_partial"),
        (["r2_partial", "r3_4"], "r2_partial"),
        (["r4_1", "r3_6"], "r3_6"),
        (["r5_2", "r4_2"], "r4_2"),
        (["r4_1", "r4_1"], "r4_1"),
    ],
)
def test_result_precedence(decisions, expected):
    """Any mix of disclosed and withheld parts is 部分公开; otherwise the first row in table order."""
    assert case_result(decisions) == expected
