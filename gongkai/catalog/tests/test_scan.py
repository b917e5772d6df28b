"""错敏检测 precision and recall on a generated corpus (planted numbers, wrong check digits)."""

from __future__ import annotations

import datetime as dt
import random

from gongkai.catalog.choices import FindingKind
from gongkai.catalog.scan import (
    Term,
    id_check_char,
    is_bank_card,
    is_valid_id_number,
    luhn_ok,
    mask,
    scan_lines,
    scan_text,
)

FILLER = [
    "根据《中华人民共和国政府信息公开条例》第二十条规定，现将有关事项公告如下。",
    "索引号：007122000/2017-04159，文号：茂府办函〔2016〕65号。",
    "联系电话：0668-2838681，邮编：525000。",
    "本年度共受理申请713件，办结718件，统计期限自2016年1月1日起至2016年12月31日止。",
    "项目总投资12345678.90元，其中财政资金8000000元。",
]


def make_id(rng: random.Random, *, valid: bool = True) -> str:
    """A resident ID number with a real birth date; ``valid=False`` breaks the check digit."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 20000))
    first17 = f"{rng.randrange(110000, 659999):06d}{born:%Y%m%d}{rng.randrange(0, 999):03d}"
    check = id_check_char(first17)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return first17 + check


def make_card(rng: random.Random, *, valid: bool = True, length: int = 19) -> str:
    """A bank card number (UnionPay 62 prefix) with a Luhn digit; ``valid=False`` breaks it."""
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(length - 3))
    for d in "0123456789":
        if luhn_ok(body + d) == valid:
            return body + d
    raise AssertionError


def make_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"


def test_id_check_digit_follows_gb11643():
    """The published example 11010519491231002X is valid; changing its check digit is not."""
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("110105194913310029")  # month 13


def test_luhn_and_bank_cards():
    """Luhn-valid 16–19 digit numbers are cards; an ID number is never taken for a card."""
    assert luhn_ok("4111111111111111")
    assert is_bank_card("6222 0212 3456 7890 128") == luhn_ok("6222021234567890128")
    assert not is_bank_card("4111111111111112")
    assert not is_bank_card("11010519491231002X")


def test_masking_hides_the_middle():
    """Stored and shown values are masked."""
    assert mask(FindingKind.ID_NUMBER, "11010519491231002X") == "1101**********002X"
    assert mask(FindingKind.MOBILE, "138 1234 5678") == "138****5678"
    assert mask(FindingKind.EMAIL, "zhangsan@example.com") == "zh***@example.com"


def test_formats_in_running_text():
    """Numbers are found inside Chinese text, with separators, and next to punctuation."""
    text = "申请人张三（身份证号11010519491231002X，手机+86 138-1234-5678，邮箱zs@example.com）"
    kinds = sorted(h.kind for h in scan_text(text))
    assert kinds == sorted([FindingKind.ID_NUMBER, FindingKind.MOBILE, FindingKind.EMAIL])
    assert scan_text("电话0668-2838681，邮编525000，文号茂府办函〔2016〕65号") == []


def test_expression_list_is_found_with_suggestion():
    """Listed expressions are reported with the suggested wording."""
    hits = scan_text(
        "依据《中华人民共合国政府信息公开条例》",
        terms=[Term("中华人民共合国", "MISTAKEN", "中华人民共和国")],
    )
    assert [(h.kind, h.suggestion) for h in hits] == [("MISTAKEN", "中华人民共和国")]


def test_generated_corpus_recall_and_precision():
    """On 400 generated documents every planted valid number is found (recall 1.0) and no
    number with a wrong check digit, nor any filler, is flagged (precision 1.0)."""
    rng = random.Random(20261122)
    planted: set[tuple[int, str]] = set()
    lines: list[tuple[str, int, str]] = []
    for doc in range(400):
        for n in range(8):
            line_no = doc * 100 + n
            choice = rng.randrange(8)
            text = rng.choice(FILLER)
            if choice == 0:
                value = make_id(rng)
                planted.add((line_no, value))
                text = f"{text}身份证号码：{value}。"
            elif choice == 1:
                text = f"{text}编号{make_id(rng, valid=False)}。"  # wrong check digit: decoy
            elif choice == 2:
                value = make_card(rng, length=rng.choice([16, 19]))
                planted.add((line_no, value))
                text = f"{text}开户账号 {value}；"
            elif choice == 3:
                text = f"{text}账号 {make_card(rng, valid=False)}；"  # fails Luhn: decoy
            elif choice == 4:
                value = make_mobile(rng)
                planted.add((line_no, value))
                text = f"联系人手机{value}，{text}"
            elif choice == 5:
                value = f"user{rng.randrange(10**6)}@mail{rng.randrange(99)}.example.cn"
                planted.add((line_no, value))
                text = f"{text}（电子邮箱：{value}）"
            lines.append(("1", line_no, text))
    hits = scan_lines(lines)
    found = {(h.line, h.value) for h in hits}
    assert len(planted) > 1000
    assert planted - found == set(), "missed planted values"
    assert found - planted == set(), "flagged values that were not planted"
