"""统一社会信用代码 checks (GB 32100-2015, GB 11714-1997) on published codes and on every kind of
error.

Published valid codes:

* ``914403001922038216`` — 华为技术有限公司, printed in the infobox of the Chinese Wikipedia
  article 华为 (机构代码 field), zh.wikipedia.org/wiki/华为;
* ``91440300708461136T`` — 深圳市腾讯计算机系统有限公司, the example company report of
  check-china.com (Unified social credit code field), check-china.com/example_report/en/8.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cimon.registry.codes import (
    CHARSET,
    WEIGHTS,
    check_character,
    check_code,
    is_valid_code,
    organisation_check_character,
)

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"


@pytest.mark.parametrize("code", [HUAWEI, TENCENT])
def test_published_codes_are_valid(code: str) -> None:
    result = check_code(code)
    assert result.valid, result.message()
    assert result.authority == ("工商", "industry and commerce (market regulation)")
    assert result.region == "440300"


def test_weights_are_powers_of_three_mod_31() -> None:
    """GB 32100-2015 §5: W_i = 3^(i−1) mod 31."""
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(CHARSET) == 31 and not set("IOZSV") & set(CHARSET)


def test_typed_forms_are_accepted() -> None:
    assert is_valid_code("９１４４０３００１９２２０３８２１６")  # full-width
    assert is_valid_code(" 91440300708461136t ")  # lower case, spaces
    assert is_valid_code("9144 0300 1922 0382 16")


@pytest.mark.parametrize(
    ("code", "reason", "position", "expected"),
    [
        ("", "empty", 0, ""),
        (HUAWEI[:-1], "length", 0, ""),
        (HUAWEI + "0", "length", 0, ""),
        ("914403001922O38216", "charset", 13, ""),  # letter O for zero
        ("9144030019220382I6", "charset", 17, ""),
        ("B14403001922038216", "authority", 1, ""),
        ("944403001922038216", "kind", 2, ""),  # 工商 has kinds 1, 2, 3
        ("9144A3001922038216", "region", 5, ""),
        ("919903001922038216", "region", 3, ""),  # no province 99
        ("914403001922038226", "organisation", 17, "1"),
        ("914403001922038217", "check", 18, "6"),
        ("91440300708461136X", "check", 18, "T"),
    ],
)
def test_each_kind_of_error_names_its_position(
    code: str, reason: str, position: int, expected: str
) -> None:
    result = check_code(code)
    assert not result.valid
    assert (result.reason, result.position, result.expected) == (reason, position, expected)
    assert result.zh and result.en and result.zh != result.en
    if position:
        assert f"第 {position} 位" in result.zh or "第 3–8 位" in result.zh
    if expected:
        assert f"“{expected}”" in result.zh and f"'{expected}'" in result.en


def test_swapped_characters_are_caught() -> None:
    swapped = HUAWEI[:11] + HUAWEI[12] + HUAWEI[11] + HUAWEI[13:]  # 2 and 0 swapped
    assert swapped != HUAWEI
    assert not is_valid_code(swapped)


def test_organisation_check_character_of_gb_11714() -> None:
    """GB 11714: C9 = 11 − Σ v·w mod 11, 10 → X, 11 → 0 (the organisation codes inside the
    published codes)."""
    assert organisation_check_character("19220382") == "1"
    assert organisation_check_character("70846113") == "6"
    # bodies whose check is 10 and 11 (found by the formula itself: every residue occurs)
    assert organisation_check_character("00000001") == str(11 - 2)
    checks = {organisation_check_character(f"{i:08d}") for i in range(200)}
    assert {"X", "0"} <= checks


_BODY = st.text(alphabet="0123456789ABCDEFGH", min_size=8, max_size=8)


@given(_BODY, st.sampled_from(["110108", "440300", "640104"]), st.integers(0, 17), st.data())
def test_any_single_substitution_is_detected(
    body: str, region: str, pos: int, data: st.DataObject
) -> None:
    """31 is prime and no weight is 0 mod 31: changing one character always breaks a check."""
    first17 = f"91{region}{body}{organisation_check_character(body)}"
    code = first17 + check_character(first17)
    assert is_valid_code(code)
    other = data.draw(st.sampled_from([c for c in CHARSET if c != code[pos]]))
    assert not is_valid_code(code[:pos] + other + code[pos + 1 :])
