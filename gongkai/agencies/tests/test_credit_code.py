"""统一社会信用代码 validation follows GB 32100-2015."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongkai.agencies.credit_code import (
    CREDIT_CHARSET,
    credit_check_char,
    credit_code_error,
    make_credit_code,
    organisation_code,
    validate_credit_code,
)

REAL_CODES = ["91350100M000100Y43", "91110000600037341L", "911100007109250324"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    """Published credit codes pass."""
    assert credit_code_error(code) is None
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_single_character_change_is_rejected(code):
    """Changing any one character of a valid code breaks the check character."""
    for i in range(18):
        for c in "0A":
            if code[i] == c:
                continue
            changed = code[:i] + c + code[i + 1 :]
            assert credit_code_error(changed) is not None, changed


def test_messages_are_clear_and_chinese():
    """The message says what is wrong, in Chinese."""
    assert "18位" in credit_code_error("1234")
    assert "不允许的字符" in credit_code_error("91350100M000100I43")
    msg = credit_code_error("91350100M000100Y44")
    assert "校验位错误" in msg and "Y44" not in msg and "“3”" in msg
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")


def test_lower_case_and_full_width_are_normalised():
    """Codes typed in lower case or full-width characters are accepted."""
    assert credit_code_error("91350100m000100y43") is None
    assert credit_code_error("９１３５０１００Ｍ０００１００Ｙ４３") is None


@given(st.text(alphabet=CREDIT_CHARSET, min_size=17, max_size=17))
def test_check_character_completes_any_prefix(prefix):
    """Every 17-character prefix plus its check character is valid."""
    assert credit_code_error(prefix + credit_check_char(prefix)) is None


def test_made_codes_are_valid_and_carry_the_organisation_code():
    """Demo codes are valid, and the 组织机构代码 is characters 9–17."""
    code = make_credit_code("439900", 1234)
    assert credit_code_error(code) is None
    assert organisation_code(code) == code[8:17]
    assert len(organisation_code(code)) == 9
