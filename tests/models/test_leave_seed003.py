"""The rules seed 003 states, with its own figures: 参保满一年, the allowance base and 差额由单位补足,
医疗补助金, 计划生育手术假 and the application deadline (5 months after the birth)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import InvalidInput
from models.leave import LeaveFacts, compute, load_rule_set
from reports.leave_proof import LeaveProofData, render_leave_proof
from tests.models.lifecycle import TODAY, freeze
from tests.reports.helpers import flat_text

BORN = TODAY - dt.timedelta(days=20)  # 2026-02-23
WAGE = 600_000  # ¥6,000 a month
CITY = 500_000  # ¥5,000


@pytest.fixture
def city():
    freeze()
    return load_rule_set("municipal_example")


def birth(**kw) -> LeaveFacts:
    base = {"kind": "birth", "delivery_date": BORN, "mother_age": 23, "employer_avg_monthly_wage_fen": WAGE}
    return LeaveFacts(**{**base, **kw})


def test_the_fund_pays_only_after_a_year_of_insurance_and_while_insured(city):
    short = compute(city, birth(insured_months=11, insured_now=True))
    assert short.allowance_fen is None
    assert "参加生育保险累计 11 个月，未满 12 个月，生育保险基金不支付" in short.money_lines[0]
    lapsed = compute(city, birth(insured_months=30, insured_now=False))
    assert lapsed.allowance_fen is None and "生育（流产）时未在参保" in lapsed.money_lines[0]
    year = compute(city, birth(insured_months=12, insured_now=True))
    assert year.allowance_fen == WAGE * 90 // 30 == 1_800_000  # ¥18,000 for 90 days


def test_the_employer_tops_the_allowance_up_to_the_own_wage(city):
    result = compute(city, birth(own_wage_fen=900_000))
    assert result.allowance_fen == 1_800_000
    assert result.employer_top_up_fen == 900_000  # ¥27,000 − ¥18,000
    assert any("差额 ¥9,000.00 由单位补足" in line for line in result.money_lines)
    higher = compute(city, birth(own_wage_fen=500_000))
    assert higher.employer_top_up_fen == 0


def test_a_rule_set_may_take_the_own_contribution_base(city, tmp_path):
    text = city.path.read_text("utf-8").replace('base = "employer_average"', 'base = "own_contribution_base"')
    own = tmp_path / "own_base.toml"
    own.write_text(text.replace('name = "municipal_example"', 'name = "own_base"'), "utf-8")
    rules = load_rule_set(own)
    result = compute(rules, birth(own_contribution_base_fen=750_000))
    assert result.allowance_fen == 750_000 * 90 // 30 == 2_250_000
    assert "本人生育当月缴费基数 ¥7,500.00 ÷ 30 × 90 天" in result.money_lines[0]
    assert compute(rules, birth()).allowance_fen is None  # the employer average is not this base


@pytest.mark.parametrize(
    ("facts", "months"),
    [
        ({}, 2),  # 正常生育的按2个月计发
        ({"mode": "caesarean"}, 4),  # 剖腹产的按4个月
        ({"babies": 2}, 4),  # 多胞胎的按4个月
    ],
)
def test_medical_subsidy_is_2_or_4_months_of_the_average_wage(city, facts, months):
    result = compute(city, birth(city_avg_monthly_wage_fen=CITY, **facts))
    assert result.medical_subsidy_months == months
    assert result.medical_subsidy_fen == CITY * months


def test_no_medical_subsidy_for_a_miscarriage(city):
    result = compute(city, LeaveFacts(kind="miscarriage", delivery_date=BORN, miscarriage_months=3))
    assert result.medical_subsidy_fen is None and result.medical_subsidy_label is None


def test_family_planning_surgery_leave_is_paid_like_maternity_leave(city):
    result = compute(
        city,
        LeaveFacts(
            kind="family_planning", delivery_date=BORN, surgery_days=21, employer_avg_monthly_wage_fen=WAGE
        ),
    )
    assert [r.id for r in result.applied] == ["family_planning"] and result.total_days == 21
    assert result.allowance_fen == WAGE * 21 // 30 == 420_000
    assert result.nutrition_fen is None and result.medical_subsidy_fen is None
    pdf = render_leave_proof(
        LeaveProofData(
            institution="示例医院",
            proof_no="SJ2026-000001",
            mother_name="王小红",
            mother_id_number="430102199405120000",
            result=result,
            issued_on=TODAY.isoformat(),
        )
    )
    text = flat_text(pdf).replace(" ", "")
    assert "类别计划生育手术" in text and "手术假天数21天" in text, text[:400]
    with pytest.raises(InvalidInput) as info:
        compute(city, LeaveFacts(kind="family_planning", delivery_date=BORN))
    assert "手术证明" in info.value.message
    with pytest.raises(InvalidInput) as info:
        compute(
            load_rule_set("national"), LeaveFacts(kind="family_planning", delivery_date=BORN, surgery_days=7)
        )
    assert "未规定计划生育手术假" in info.value.message


def test_the_application_deadline_is_five_months_and_a_late_one_warns(city):
    recent = compute(city, birth())
    assert recent.claim_deadline == dt.date(2026, 7, 22) and recent.warnings == ()
    assert "请于 2026-07-22 前申领生育保险待遇" in " ".join(recent.notes)
    late = compute(city, birth(delivery_date=dt.date(2025, 9, 1)))
    assert late.claim_deadline == dt.date(2026, 1, 31)
    assert late.warnings and "已超过申领期限 2026-01-31" in late.warnings[0]
    assert compute(load_rule_set("national"), birth()).claim_deadline is None
