"""Leave and allowance rules: every case of the seeds/003 part 2 text worked out by hand.

The rule text (seeds/003, 生育全程服务制度篇2) says:
  ①正常产假90天(包括产前检查15天)；②独生子女假增加35天；③晚育假增加15天；
  ④难产假。剖腹产、Ⅲ度会阴破裂增加30天；吸引产、钳产、臀位产增加15天；
  ⑤多胞胎生育假，每多生育一个婴儿增加15天；
  ⑥流产假：怀孕不满2个月15天；怀孕不满4个月30天；满4个月以上(含4个月)至7个月以下42天；
    7个月以上遇死胎、死产和早产不成活75天；
  生育津贴 = 职工所在用人单位上年度职工月平均工资/30天X假期天数；
  营养补助 ①正常产、满7个月以上流产：上年度市职工月平均工资×25%；②难产、多胞胎：×50%；
  男配偶（《独生子女优待证》）10天，工资 = 当月单位人平缴费工资÷30(天)×10(天)。
Its own 生育保险金 paragraph cross-checks the days: 正常 90，晚育 105，独子证 125，晚育并独子证 140.
The national set is 《女职工劳动保护特别规定》第七条: 98 (15 before birth), 难产 +15, each extra baby
+15, miscarriage under 4 months 15, from 4 months 42.

Expected numbers below are literals computed by hand in the comments, never taken from the code.
Money: fen, rounded once, half up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models import clock
from models.errors import InvalidInput, NotFound
from models.leave import LeaveFacts, compute, list_rule_sets, load_rule_set

DELIVERY = dt.date(2025, 3, 10)
WAGE = 654_321  # ¥6,543.21: not a multiple of 30
CITY = 700_000  # ¥7,000.00


@pytest.fixture(autouse=True)
def _today():
    clock.set_now(dt.datetime(2025, 6, 1, 4, 0))  # 2025-06-01 12:00 in Shanghai
    yield
    clock.set_now(None)


@pytest.fixture(scope="module")
def city():
    return load_rule_set("municipal_example")


@pytest.fixture(scope="module")
def national():
    return load_rule_set("national")


def birth(**kw) -> LeaveFacts:
    base = {"kind": "birth", "delivery_date": DELIVERY, "mother_age": 23}
    base.update(kw)
    return LeaveFacts(**base)


def miscarriage(months: int, **kw) -> LeaveFacts:
    return LeaveFacts(kind="miscarriage", delivery_date=DELIVERY, miscarriage_months=months, **kw)


def ids(result) -> list[str]:
    return [rule.id for rule in result.applied]


def days_of(result) -> list[int]:
    return [rule.days for rule in result.applied]


# ---------------------------------------------------------------- municipal: births


def test_normal_single_birth_is_90_days_starting_15_days_before_delivery(city):
    # 23 years old (not 晚育), vaginal, one baby, no certificate: ① only = 90 days.
    # Start 2025-03-10 − 15 = 2025-02-23; day 90 counted from Feb 23: Feb 23–28 (6) + March (31)
    # + April (30) = 67, + 23 days of May → 2025-05-23.
    # Allowance 654,321 × 90 ÷ 30 = 654,321 × 3 = 1,962,963 fen. Nutrition ① 700,000 × 25% = 175,000.
    result = compute(city, birth(employer_avg_monthly_wage_fen=WAGE, city_avg_monthly_wage_fen=CITY))
    assert ids(result) == ["base"]
    assert result.total_days == 90
    assert result.prenatal_days == 15
    assert result.start_date == dt.date(2025, 2, 23)
    assert result.end_date == dt.date(2025, 5, 23)
    assert result.allowance_fen == 1_962_963
    assert result.nutrition_percent == 25
    assert result.nutrition_fen == 175_000
    assert "产假天数：90 天" in result.arithmetic_lines


def test_late_caesarean_twins_with_certificate_rounds_half_up(city):
    # Mother born 1995-06-01, delivers 2025-03-10 → 29 years, first child → ③ 晚育 +15.
    # ① 90 + ② 35 + ③ 15 + ④ caesarean 30 + ⑤ twins (2 − 1) × 15 = 15 → 185 days.
    # Allowance 654,321 × 185 = 121,049,385; ÷ 30 = 4,034,979 remainder 15 → exactly half → up: 4,034,980.
    # Nutrition ② (难产、多胞胎) 700,000 × 50% = 350,000.
    result = compute(
        city,
        birth(
            mother_age=None,
            mother_birth_date=dt.date(1995, 6, 1),
            mode="caesarean",
            babies=2,
            one_child_certificate=True,
            employer_avg_monthly_wage_fen=WAGE,
            city_avg_monthly_wage_fen=CITY,
        ),
    )
    assert ids(result) == ["base", "one_child", "late_birth", "difficult_30", "multiple"]
    assert days_of(result) == [90, 35, 15, 30, 15]
    assert result.total_days == 185
    assert result.mother_age_at_delivery == 29
    assert result.allowance_fen == 4_034_980
    assert result.nutrition_fen == 350_000
    assert "产假天数：90 + 35 + 15 + 30 + 15 = 185 天" in result.arithmetic_lines
    assert any("4,034,979 余 15" in line and "4,034,980 分" in line for line in result.arithmetic_lines)


def test_late_caesarean_twins_without_certificate(city):
    # 90 + 15 (晚育) + 30 (剖腹产) + 15 (双胎) = 150; 654,321 × 150 ÷ 30 = 654,321 × 5 = 3,271,605.
    result = compute(
        city, birth(mother_age=30, mode="caesarean", babies=2, employer_avg_monthly_wage_fen=WAGE)
    )
    assert result.total_days == 150
    assert result.allowance_fen == 3_271_605


def test_triplets_add_15_days_per_additional_baby(city):
    # ⑤ 每多生育一个婴儿增加15天: triplets = 2 more → 30; 90 + 30 = 120. Nutrition ② 50%.
    result = compute(city, birth(babies=3, city_avg_monthly_wage_fen=CITY))
    assert [(r.id, r.days) for r in result.applied] == [("base", 90), ("multiple", 30)]
    assert result.total_days == 120
    assert result.nutrition_fen == 350_000


def test_third_degree_tear_adds_30_days(city):
    # ④ Ⅲ度会阴破裂增加30天: 90 + 30 = 120; it is 难产 → nutrition ② 50%.
    result = compute(city, birth(tear_degree=3, city_avg_monthly_wage_fen=CITY))
    assert ids(result) == ["base", "difficult_30"]
    assert result.total_days == 120
    assert result.nutrition_percent == 50


def test_second_degree_tear_adds_nothing(city):
    # Only Ⅲ度 is named; a Ⅱ度 tear with a vaginal birth stays at 90, nutrition ① 25%.
    result = compute(city, birth(tear_degree=2, city_avg_monthly_wage_fen=CITY))
    assert result.total_days == 90
    assert result.nutrition_percent == 25


@pytest.mark.parametrize("mode", ["vacuum", "forceps", "breech"])
def test_vacuum_forceps_breech_add_15_days(city, mode):
    # ④ 吸引产、钳产、臀位产增加15天: 90 + 15 = 105 (= the text's own “3.5个月(105天)” figure).
    result = compute(city, birth(mode=mode))
    assert ids(result) == ["base", "difficult_15"]
    assert result.total_days == 105


def test_forceps_with_third_degree_tear_counts_one_difficult_birth_leave(city):
    # ④ is one 难产假: forceps (15) and a Ⅲ度 tear (30) do not add up; the larger, 30, applies:
    # 90 + 30 = 120, and the proof says why the 15 was not added.
    result = compute(city, birth(mode="forceps", tear_degree=3))
    assert ids(result) == ["base", "difficult_30"]
    assert result.total_days == 120
    assert any("不叠加" in note for note in result.notes)


def test_one_child_certificate_and_spouse_leave(city):
    # ② 独子证 +35: 90 + 35 = 125 (the text: “4.17个月(125天)”).
    # Wage 500,003 fen: 500,003 × 125 = 62,500,375; ÷ 30 = 2,083,345 rem 25 → up → 2,083,346.
    # Spouse 10 days: 500,003 × 10 = 5,000,030; ÷ 30 = 166,667 rem 20 → up → 166,668.
    result = compute(
        city,
        birth(one_child_certificate=True, employer_avg_monthly_wage_fen=500_003, spouse=True),
    )
    assert result.total_days == 125
    assert result.allowance_fen == 2_083_346
    assert result.spouse_days == 10
    assert result.spouse_pay_fen == 166_668


def test_late_with_certificate_is_140_and_rounds_down(city):
    # 90 + 35 + 15 = 140 (the text: “4.67个月(140天)”).
    # 500,003 × 140 = 70,000,420; ÷ 30 = 2,333,347 rem 10 → down → 2,333,347.
    result = compute(
        city, birth(mother_age=26, one_child_certificate=True, employer_avg_monthly_wage_fen=500_003)
    )
    assert result.total_days == 140
    assert result.allowance_fen == 2_333_347


def test_spouse_wage_of_his_own_employer(city):
    # Spouse paid from his employer's wage 300,000: 300,000 ÷ 30 × 10 = 100,000.
    result = compute(
        city,
        birth(
            one_child_certificate=True,
            spouse=True,
            employer_avg_monthly_wage_fen=WAGE,
            spouse_employer_avg_monthly_wage_fen=300_000,
        ),
    )
    assert result.spouse_pay_fen == 100_000


def test_spouse_without_certificate_gets_no_leave(city):
    result = compute(city, birth(spouse=True, employer_avg_monthly_wage_fen=WAGE))
    assert result.spouse_days == 0
    assert result.spouse_pay_fen is None
    assert any("独生子女优待证" in note for note in result.notes)


def test_late_birth_starts_on_the_24th_birthday(city):
    # 晚育 = 年满24周岁初育. Born 2001-03-10: 24 on delivery day 2025-03-10 → 105.
    # Born 2001-03-11: still 23 → 90.
    on = compute(city, birth(mother_age=None, mother_birth_date=dt.date(2001, 3, 10)))
    before = compute(city, birth(mother_age=None, mother_birth_date=dt.date(2001, 3, 11)))
    assert (on.mother_age_at_delivery, on.total_days) == (24, 105)
    assert (before.mother_age_at_delivery, before.total_days) == (23, 90)


def test_second_child_is_not_late_childbirth(city):
    # 晚育 is about the first child: a second child at 31 gets no +15 …
    assert compute(city, birth(mother_age=31, first_birth=False)).total_days == 90
    # … and then the mother's age is not needed at all.
    assert compute(city, birth(mother_age=None, first_birth=False)).total_days == 90


def test_late_birth_needs_the_mothers_age(city):
    with pytest.raises(InvalidInput, match="母亲出生日期或年龄"):
        compute(city, birth(mother_age=None))


# ---------------------------------------------------------------- municipal: miscarriage


@pytest.mark.parametrize(
    ("months", "days", "rule_id"),
    [
        (0, 15, "miscarriage_under_2"),  # 不满2个月 15
        (1, 15, "miscarriage_under_2"),  # 1 completed month: just under 2 → 15
        (2, 30, "miscarriage_under_4"),  # at 2: 不满4个月 30
        (3, 30, "miscarriage_under_4"),  # just under 4 → 30
        (4, 42, "miscarriage_4_to_7"),  # 满4个月以上(含4个月) → 42
        (6, 42, "miscarriage_4_to_7"),  # just under 7 (至7个月以下) → 42
        (7, 75, "miscarriage_from_7"),  # 7个月以上 死胎、死产、早产不成活 → 75
        (9, 75, "miscarriage_from_7"),
    ],
)
def test_miscarriage_boundaries(city, months, days, rule_id):
    result = compute(city, miscarriage(months))
    assert [(r.id, r.days) for r in result.applied] == [(rule_id, days)]
    assert result.total_days == days
    # No prenatal part: the leave starts on the day and runs `days` calendar days.
    assert result.start_date == DELIVERY
    assert result.end_date == DELIVERY + dt.timedelta(days=days - 1)


def test_miscarriage_dates_and_allowance(city):
    # 4 months → 42 days from 2025-03-10: March 10–31 is 22 days, + 20 April days → 2025-04-20.
    # 654,321 × 42 = 27,481,482; ÷ 30 = 916,049 rem 12 → down → 916,049.
    result = compute(city, miscarriage(4, employer_avg_monthly_wage_fen=WAGE))
    assert result.end_date == dt.date(2025, 4, 20)
    assert result.allowance_fen == 916_049


def test_nutrition_subsidy_only_from_7_months_of_miscarriage(city):
    # 营养补助① covers 满7个月以上流产 (25%); earlier miscarriages get none.
    # City wage 700,001 × 25 = 17,500,025; ÷ 100 = 175,000 rem 25 → down → 175,000.
    at7 = compute(city, miscarriage(7, city_avg_monthly_wage_fen=700_001))
    at6 = compute(city, miscarriage(6, city_avg_monthly_wage_fen=700_001))
    assert (at7.nutrition_percent, at7.nutrition_fen) == (25, 175_000)
    assert (at6.nutrition_percent, at6.nutrition_fen) == (None, None)


def test_birth_only_rules_do_not_add_to_a_miscarriage(city):
    # 独子证, 晚育 and the spouse's 10 days are about a birth: 3 months stays 30 days.
    result = compute(city, miscarriage(3, one_child_certificate=True, spouse=True, mother_age=30))
    assert result.total_days == 30
    assert result.spouse_days == 0


# ---------------------------------------------------------------- national


def test_national_normal_birth(national):
    # 98 days, 15 before birth: 2025-02-23 … Feb 23 + 97 days = 2025-05-31.
    # 654,321 × 98 = 64,123,458; ÷ 30 = 2,137,448 rem 18 → up → 2,137,449.
    result = compute(national, birth(employer_avg_monthly_wage_fen=WAGE, city_avg_monthly_wage_fen=CITY))
    assert result.total_days == 98
    assert result.start_date == dt.date(2025, 2, 23)
    assert result.end_date == dt.date(2025, 5, 31)
    assert result.allowance_fen == 2_137_449
    assert result.nutrition_fen is None  # the national rule has no nutrition subsidy


@pytest.mark.parametrize(("mode", "tear"), [("caesarean", 0), ("vacuum", 0), ("forceps", 3), ("vaginal", 3)])
def test_national_difficult_birth_adds_15_once(national, mode, tear):
    # 难产的，增加产假15天 — once, however many difficult features: 98 + 15 = 113.
    assert compute(national, birth(mode=mode, tear_degree=tear)).total_days == 113


def test_national_twins_by_vacuum_and_triplets(national):
    # Twins by vacuum: 98 + 15 + 15 = 128. Triplets, vaginal: 98 + 2 × 15 = 128.
    assert compute(national, birth(mode="vacuum", babies=2)).total_days == 128
    assert compute(national, birth(babies=3)).total_days == 128


def test_national_ignores_municipal_extras(national):
    # No 独子证 / 晚育 additions and no spouse leave in the national rule.
    result = compute(national, birth(mother_age=30, one_child_certificate=True, spouse=True))
    assert result.total_days == 98
    assert result.spouse_days == 0
    assert any("未规定男配偶" in note for note in result.notes)


@pytest.mark.parametrize(("months", "days"), [(3, 15), (4, 42), (8, 42)])
def test_national_miscarriage(national, months, days):
    # 未满4个月 15 天；满4个月 42 天.
    assert compute(national, miscarriage(months)).total_days == days


# ---------------------------------------------------------------- invalid facts


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (birth(delivery_date=dt.date(2025, 6, 2)), "晚于今天"),
        (birth(babies=0), "婴儿数至少为 1"),
        (birth(mode="c-section"), "分娩方式"),
        (birth(tear_degree=5), "会阴裂伤"),
        (birth(employer_avg_monthly_wage_fen=-1), "不能为负数"),
        (birth(city_avg_monthly_wage_fen=-100), "不能为负数"),
        (birth(mother_age=None, mother_birth_date=dt.date(2025, 4, 1)), "母亲出生日期应早于"),
        (birth(mother_age=30, mother_birth_date=dt.date(2001, 3, 10)), "不一致"),
        (miscarriage(11), "怀孕月数"),
        (miscarriage(-1), "怀孕月数"),
        (LeaveFacts(kind="miscarriage", delivery_date=DELIVERY), "怀孕满几个月"),
        (LeaveFacts(kind="abortion", delivery_date=DELIVERY), "类别"),
    ],
)
def test_impossible_facts_are_refused_in_chinese(city, facts, message):
    with pytest.raises(InvalidInput, match=message):
        compute(city, facts)


def test_delivery_today_is_accepted(city):
    assert compute(city, birth(delivery_date=dt.date(2025, 6, 1))).total_days == 90


# ---------------------------------------------------------------- rule files


def test_both_shipped_rule_sets_are_listed_and_valid():
    infos = {info.name: info for info in list_rule_sets()}
    assert {"national", "municipal_example"} <= set(infos)
    assert all(info.error is None for info in infos.values())
    assert "女职工劳动保护特别规定" in infos["national"].title


def test_unknown_rule_set_name(city):
    with pytest.raises(NotFound, match="national"):
        load_rule_set("atlantis")


PROVINCE = """
name = "example_province"
title = "某省示例"
basis = "某省条例第X条"

[birth]
label = "产假128天"
days = 128
prenatal_days = 15

[[rules]]
id = "difficult"
label = "难产增加15天"
days = 15
when = { kind = "birth", mode = ["caesarean", "forceps"] }

[[rules]]
id = "misc"
label = "流产15天"
days = 15
when = { kind = "miscarriage" }

[allowance]
label = "月平均工资÷30×天数"
"""


def test_an_administrator_adds_a_province_without_code(tmp_path):
    path = tmp_path / "example_province.toml"
    path.write_text(PROVINCE, encoding="utf-8")
    rules = load_rule_set(path)
    # 128 + 15 = 143 with a caesarean.
    assert compute(rules, birth(mode="caesarean")).total_days == 143
    assert "example_province" in [info.name for info in list_rule_sets([tmp_path])]
    assert load_rule_set("example_province", [tmp_path]).title == "某省示例"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'mode = ["caesarean", "forceps"]',
            'mode = ["caesarean", "c-section"]',
            ["规则 difficult", "c-section"],
        ),
        ('mode = ["caesarean", "forceps"]', "height = 3", ["规则 difficult", "height", "未知条件字段"]),
        (
            'mode = ["caesarean", "forceps"]',
            "babies = { min = 3, below = 2 }",
            ["规则 difficult", "范围为空"],
        ),
        ('mode = ["caesarean", "forceps"]', 'babies = "two"', ["规则 difficult", "babies", "类型不对"]),
        ('days = 15\nwhen = { kind = "birth"', 'when = { kind = "birth"', ["规则 difficult", "days"]),
        ('id = "misc"', 'id = "difficult"', ["规则 difficult", "id 重复"]),
        ("days = 128", "days = -5", ["[birth]", "days", "超出范围"]),
        ("prenatal_days = 15", "prenatal_days = 200", ["prenatal_days"]),
        ('name = "example_province"', 'name = "Example Province"', ["name"]),
        ("[allowance]", "[allowance]\nrate = 1", ["[allowance]", "rate", "未知字段"]),
        ('title = "某省示例"', 'title = "某省示例', ["TOML 语法错误"]),
    ],
)
def test_invalid_rule_file_names_file_rule_and_field(tmp_path, old, new, expected):
    assert old in PROVINCE
    path = tmp_path / "broken.toml"
    path.write_text(PROVINCE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_rule_set(path)
    assert "broken.toml" in info.value.message
    for text in expected:
        assert text in info.value.message
    # A broken file is listed with its reason rather than silently missing.
    listed = {i.name: i for i in list_rule_sets([tmp_path])}
    assert listed["broken"].error == info.value.message


def test_missing_rule_file_path(tmp_path):
    """A file path the user typed that is not there is bad input (exit 2), like every other file argument."""
    with pytest.raises(InvalidInput, match=r"规则文件 .*nope\.toml 不存在"):
        load_rule_set(Path(tmp_path / "nope.toml"))
