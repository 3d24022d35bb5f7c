"""Voucher codes: generation, normalisation of typed/scanned input, and typo detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import damm

from models.codes import check_code, format_code, is_valid_code, new_code, normalize_code
from models.errors import InvalidInput

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

bodies = st.text(alphabet="0123456789", min_size=19, max_size=19)


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    body = draw(bodies)
    return body + damm.calc_check_digit(body)


def test_new_codes_are_20_digits_valid_and_distinct() -> None:
    codes = [new_code() for _ in range(5000)]
    assert all(len(c) == 20 and c.isascii() and c.isdigit() for c in codes)
    assert all(check_code(c) == c for c in codes)
    assert len(set(codes)) == len(codes)


def test_new_codes_use_every_digit_in_every_random_position() -> None:
    # A generator stuck on a few digits would still give distinct codes; this catches it.
    codes = [new_code() for _ in range(2000)]
    for position in range(1, 19):
        assert {c[position] for c in codes} == set("0123456789")
    assert all(c[0] != "0" for c in codes)


@given(valid_codes(), st.integers(min_value=0, max_value=19), st.integers(min_value=1, max_value=9))
def test_every_single_digit_substitution_is_detected(code: str, position: int, delta: int) -> None:
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    with pytest.raises(InvalidInput) as err:
        check_code(wrong)
    assert err.value.details["typo"] is True
    assert "校验位不符" in err.value.message


@given(valid_codes(), st.integers(min_value=0, max_value=18))
def test_every_adjacent_transposition_is_detected(code: str, position: int) -> None:
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert not is_valid_code(swapped)


def test_exhaustive_typos_of_one_generated_code() -> None:
    code = new_code()
    for i in range(20):
        for d in "0123456789":
            if d != code[i]:
                assert not is_valid_code(code[:i] + d + code[i + 1 :])


@given(valid_codes())
def test_normalisation_round_trips_what_people_and_scanners_type(code: str) -> None:
    formatted = format_code(code)
    variants = [
        formatted,
        formatted.translate(FULLWIDTH),
        formatted.replace("-", " "),
        formatted.replace("-", "\u3000"),
        formatted.replace("-", "－"),
        formatted.replace("-", "–"),
        formatted.replace("-", "—"),
        formatted.replace("-", "_"),
        formatted.replace("-", "."),
        f"  {code}\n",
        "\t" + code.translate(FULLWIDTH) + "\u3000",
    ]
    for typed in variants:
        assert normalize_code(typed) == code
        assert check_code(typed) == code


def test_format_groups_by_four() -> None:
    assert format_code("12345678901234567890") == "1234-5678-9012-3456-7890"


@pytest.mark.parametrize(
    "typed", ["1234-5678-9012-3456-789O", "ABCD5678901234567890", "1234/5678/9012/3456/7890"]
)
def test_letters_and_other_symbols_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="券码只能包含数字"):
        normalize_code(typed)


@pytest.mark.parametrize(("typed", "count"), [("1234 5678 9012 3456 789", 19), ("1" * 21, 21), ("１２３", 3)])
def test_wrong_length_names_the_count(typed: str, count: int) -> None:
    with pytest.raises(InvalidInput, match=f"券码应为 20 位数字，您输入了 {count} 位"):
        normalize_code(typed)


def test_empty_input_asks_for_a_code() -> None:
    with pytest.raises(InvalidInput, match="请输入券码"):
        check_code("  \u3000 ")


def test_wrong_length_is_not_reported_as_a_typo() -> None:
    with pytest.raises(InvalidInput) as err:
        check_code(new_code()[:-1])
    assert "typo" not in err.value.details
