"""ID documents and mobile numbers as the front desk types them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import clock
from models.errors import InvalidInput
from models.identity import (
    ID_TYPE_LABELS,
    check_against_typed,
    derive_birth_and_sex,
    normalize_id_number,
    normalize_phone,
    validate_id,
    validate_mobile,
    validate_resident_id,
)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def with_check(body17: str) -> str:
    """GB 11643 check character, computed the way the standard's table describes it."""
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return body17 + CHECK_CHARS[total % 11]


def make_id(region: str, born: dt.date, seq: int) -> str:
    return with_check(f"{region}{born:%Y%m%d}{seq:03d}")


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    clock.set_now(dt.datetime(2025, 6, 15, 4, 0))  # 12:00 in Shanghai
    yield
    clock.set_now(None)


def test_labels_cover_every_id_type() -> None:
    assert ID_TYPE_LABELS == {
        "resident": "居民身份证",
        "hkmo": "港澳居民居住证",
        "tw": "台湾居民居住证",
        "passport": "护照",
        "foreign_pr": "外国人永久居留身份证",
        "none": "暂无证件（新生儿）",
    }


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "F"),  # the example printed in GB 11643
        ("440524188001010014", dt.date(1880, 1, 1), "M"),  # the standard's second example
        ("360426199101010071", dt.date(1991, 1, 1), "M"),
    ],
)
def test_published_examples_validate(number: str, born: dt.date, sex: str) -> None:
    rid = validate_resident_id(number)
    assert (rid.number, rid.birth_date, rid.sex, rid.region_code) == (number, born, sex, number[:6])
    assert not rid.upgraded


def test_helper_agrees_with_the_published_example() -> None:
    assert with_check("11010519491231002") == "11010519491231002X"


def test_full_width_lower_case_and_spaced_input_is_accepted() -> None:
    typed = " 110105 19491231 002ｘ ".translate(FULLWIDTH).replace(" ", "\u3000", 1)
    assert validate_id("resident", typed) == "11010519491231002X"
    assert validate_id("resident", "11010519491231002x") == "11010519491231002X"


def test_normalize_id_number_makes_half_width_upper_case_without_spaces() -> None:
    assert normalize_id_number("passport", " ｅ１２３ ４５６７８ ") == "E12345678"
    assert normalize_id_number("resident", None) == ""


def test_legacy_15_digit_number_is_upgraded_to_18() -> None:
    rid = validate_resident_id("430102900101123")
    expected = with_check("43010219900101123")
    assert rid.number == expected
    assert rid.upgraded
    assert rid.birth_date == dt.date(1990, 1, 1)
    assert rid.sex == "M"
    assert validate_id("resident", "430102 900101 123") == expected


def test_wrong_check_character_is_reported() -> None:
    good = make_id("430102", dt.date(1990, 1, 1), 124)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(InvalidInput, match="身份证号码校验位错误，请核对"):
        validate_resident_id(bad)


@pytest.mark.parametrize(("typed", "count"), [("4301021990010112", 16), ("4301021990010112345", 19)])
def test_wrong_length_names_the_count(typed: str, count: int) -> None:
    with pytest.raises(InvalidInput, match=f"应为 18 位.*您输入了 {count} 位"):
        validate_resident_id(typed)


def test_letters_inside_the_number_are_refused() -> None:
    with pytest.raises(InvalidInput, match="只能包含数字，最后一位可以是 X"):
        validate_resident_id("43010219900X011234")


@pytest.mark.parametrize("date_part", ["19900230", "19901301", "20230229"])
def test_impossible_birth_date_is_refused(date_part: str) -> None:
    number = with_check("430102" + date_part + "123")
    with pytest.raises(
        InvalidInput, match=f"出生日期 {date_part[:4]}-{date_part[4:6]}-{date_part[6:]} 不存在"
    ):
        validate_resident_id(number)


def test_birth_date_after_today_is_refused_but_today_is_fine() -> None:
    today = make_id("430102", dt.date(2025, 6, 15), 2)
    assert validate_resident_id(today).birth_date == dt.date(2025, 6, 15)
    tomorrow = make_id("430102", dt.date(2025, 6, 16), 2)
    with pytest.raises(InvalidInput, match="出生日期 2025-06-16 晚于今天"):
        validate_resident_id(tomorrow)


def test_future_is_judged_by_the_local_day_in_shanghai() -> None:
    # 2025-06-15 20:00 UTC is already 2025-06-16 in Shanghai: a baby born that day is valid.
    clock.set_now(dt.datetime(2025, 6, 15, 20, 0))
    assert validate_resident_id(make_id("430102", dt.date(2025, 6, 16), 2)).sex == "F"


def test_unknown_province_is_refused() -> None:
    with pytest.raises(InvalidInput, match="省份代码"):
        validate_resident_id(make_id("990102", dt.date(1990, 1, 1), 123))


def test_residence_permits_use_the_same_check_and_their_own_prefix() -> None:
    hk = make_id("810000", dt.date(1995, 3, 8), 21)
    macao = make_id("820000", dt.date(1995, 3, 8), 22)
    tw = make_id("830000", dt.date(1988, 7, 1), 35)
    assert validate_id("hkmo", hk) == hk
    assert validate_id("hkmo", macao) == macao
    assert validate_id("tw", tw) == tw
    with pytest.raises(InvalidInput, match="830000"):
        validate_id("tw", hk)
    with pytest.raises(InvalidInput, match="810000"):
        validate_id("hkmo", make_id("430102", dt.date(1990, 1, 1), 123))
    with pytest.raises(InvalidInput, match="校验位错误"):
        validate_id("tw", tw[:17] + ("1" if tw[17] != "1" else "2"))
    with pytest.raises(InvalidInput, match="证件类型"):
        validate_id("resident", hk)


def test_permits_have_no_15_digit_form() -> None:
    with pytest.raises(InvalidInput, match="应为 18 位"):
        validate_id("hkmo", "810000950308021")


@pytest.mark.parametrize("typed", ["E12345678", "g1234567", "ＰＥ１２３４５"])
def test_passports(typed: str) -> None:
    assert validate_id("passport", typed) == normalize_id_number("passport", typed)


@pytest.mark.parametrize("typed", ["E123", "E1234567890123456789X", "E1234-5678", ""])
def test_bad_passports(typed: str) -> None:
    with pytest.raises(InvalidInput, match="护照"):
        validate_id("passport", typed)


def test_foreign_permanent_residence_card() -> None:
    assert validate_id("foreign_pr", "usa110078052701") == "USA110078052701"
    assert validate_id("foreign_pr", "911586199001011234") == "911586199001011234"
    with pytest.raises(InvalidInput, match="15 位或 18 位"):
        validate_id("foreign_pr", "USA1100780527")


def test_newborn_without_papers_must_leave_the_number_empty() -> None:
    assert validate_id("none", "") == ""
    assert validate_id("none", " \u3000") == ""
    with pytest.raises(InvalidInput, match="不应填写证件号码"):
        validate_id("none", "11010519491231002X")


def test_unknown_id_type() -> None:
    with pytest.raises(InvalidInput, match="未知的证件类型"):
        validate_id("driver", "123456")


def test_derive_birth_and_sex() -> None:
    assert derive_birth_and_sex("resident", "11010519491231002x") == (dt.date(1949, 12, 31), "F")
    assert derive_birth_and_sex("tw", make_id("830000", dt.date(1988, 7, 1), 35)) == (
        dt.date(1988, 7, 1),
        "M",
    )
    assert derive_birth_and_sex("passport", "E12345678") == (None, None)
    assert derive_birth_and_sex("none", "") == (None, None)


def test_typed_birth_date_contradicting_the_id_names_the_id_date() -> None:
    number = "11010519491231002X"
    check_against_typed("resident", number, dt.date(1949, 12, 31), "F")
    check_against_typed("resident", number, None, None)
    with pytest.raises(InvalidInput, match="出生日期与身份证号码不符：证件为 1949-12-31") as err:
        check_against_typed("resident", number, dt.date(1949, 12, 13), "F")
    assert err.value.details["field"] == "birth_date"


def test_typed_sex_contradicting_the_id() -> None:
    with pytest.raises(InvalidInput, match="性别与身份证号码不符：证件为 女") as err:
        check_against_typed("resident", "11010519491231002X", dt.date(1949, 12, 31), "M")
    assert err.value.details["field"] == "sex"


def test_passport_holders_are_not_checked_against_the_number() -> None:
    check_against_typed("passport", "E12345678", dt.date(1990, 1, 2), "F")


# -- property tests ---------------------------------------------------------------------------

provinces = st.sampled_from(["11", "31", "43", "44", "65"])


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    region = draw(provinces) + draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 6, 15)))
    seq = draw(st.integers(min_value=0, max_value=999))
    return make_id(region, born, seq)


@given(valid_ids())
def test_any_body_with_a_real_date_and_its_check_character_validates(number: str) -> None:
    rid = validate_resident_id(number)
    assert rid.number == number
    assert rid.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert rid.sex == ("M" if int(number[16]) % 2 else "F")


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_changing_any_single_character_breaks_it(number: str, position: int, char: str) -> None:
    if number[position] == char:
        return
    changed = number[:position] + char + number[position + 1 :]
    with pytest.raises(InvalidInput):
        validate_resident_id(changed)


# -- mobile numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "0086-138-1234-5678",
        "（+86）13812345678",
        "１３８１２３４５６７８",
        "\u3000138\u30001234\u30005678 ",
    ],
)
def test_mobile_numbers_as_people_type_them(typed: str) -> None:
    assert validate_mobile(typed) == "13812345678"


def test_normalize_phone_leaves_a_landline_alone() -> None:
    assert normalize_phone("0731-8666 1234") == "073186661234"
    assert normalize_phone(None) == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请输入手机号码"),
        ("1381234567", "应为 11 位数字，您输入了 10 位"),
        ("138123456789", "应为 11 位数字，您输入了 12 位"),
        ("12812345678", "13–19 开头"),
        ("23812345678", "13–19 开头"),
        ("138l2345678", "只能包含数字"),
    ],
)
def test_bad_mobile_numbers(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_mobile(typed)
