"""The printed leave proof: every applied rule, the total and the allowance arithmetic are on the page."""

from __future__ import annotations

import datetime as dt

import pytest

from models import clock
from models.leave import LeaveFacts, compute, load_rule_set
from reports.leave_proof import LeaveProofData, render_leave_proof
from tests.reports.helpers import flat_text, page_sizes, render_png, require_font

A4 = (595.28, 841.89)


@pytest.fixture(autouse=True)
def _setup():
    require_font()
    clock.set_now(dt.datetime(2025, 6, 1, 4, 0))
    yield
    clock.set_now(None)


def proof(result, **kw) -> bytes:
    data = {
        "institution": "某市妇幼保健院",
        "proof_no": "CJ-2025-000123",
        "mother_name": "王小玥",
        "mother_id_number": "43010219900101123X",
        "result": result,
        "issued_on": "2025-06-01",
        "issued_by": "李护士",
        "employer": "某某科技有限公司",
    }
    data.update(kw)
    return render_leave_proof(LeaveProofData(**data))


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def hard_case():
    """Forceps + Ⅲ度 tear, twins, 28 years old, first child, one-child certificate, spouse.

    By hand: 90 + 35 (独子证) + 15 (晚育) + 30 (④, the larger of forceps 15 / Ⅲ度 30) + 15 (twins)
    = 185 days. Allowance 654,321 × 185 = 121,049,385 ÷ 30 = 4,034,979 rem 15 → 4,034,980 fen
    = ¥40,349.80. Nutrition (难产) 700,000 × 50% = ¥3,500.00. Spouse 654,321 × 10 ÷ 30 = 218,107
    = ¥2,181.07.
    """
    clock.set_now(dt.datetime(2025, 6, 1, 4, 0))
    try:
        return compute(
            load_rule_set("municipal_example"),
            LeaveFacts(
                kind="birth",
                delivery_date=dt.date(2025, 3, 10),
                mode="forceps",
                tear_degree=3,
                babies=2,
                mother_age=28,
                one_child_certificate=True,
                employer_avg_monthly_wage_fen=654_321,
                city_avg_monthly_wage_fen=700_000,
                spouse=True,
            ),
        )
    finally:
        clock.set_now(None)


def test_every_applied_rule_total_and_arithmetic_are_printed(hard_case):
    text = flat_text(proof(hard_case))
    for line in [
        "①正常产假90天(包括产前检查15天)90天",
        "②独生子女假增加35天35天",
        "③晚育假增加15天",
        "④难产假：剖腹产、Ⅲ度会阴破裂增加30天30天",
        "⑤多胞胎生育假，每多生育一个婴儿增加15天",
        "合计产假185天",
        "产假自2025-02-23起至2025-08-26止，共185天（其中产前15天）",
        "¥6,543.21÷30×185天=¥40,349.80",
        "¥7,000.00×50%=¥3,500.00",
        "¥6,543.21÷30×10天=¥2,181.07",
        "不叠加",  # why forceps' 15 days were not added
    ]:
        assert flat(line) in text, line
    # The 15-day forceps clause was not applied, so it is not a row of the table.
    assert "吸引产、钳产、臀位产增加15天15天" not in text
    # the employer reads yuan: the desk's working in integer fen stays off the paper
    assert "121,049,385" not in text and "分×" not in text


def test_proof_fits_one_a4_page(hard_case):
    sizes = page_sizes(proof(hard_case))
    assert len(sizes) == 1
    assert sizes[0] == pytest.approx(A4, abs=0.5)


def test_mother_is_masked_unless_the_caller_reveals(hard_case):
    masked = flat_text(proof(hard_case))
    assert "王*玥" in masked and "4301************3X" in masked
    assert "王小玥" not in masked and "43010219900101123X" not in masked
    full = flat_text(proof(hard_case, show_full_identity=True))
    assert "王小玥" in full and "43010219900101123X" in full


def test_national_miscarriage_proof():
    # 《女职工劳动保护特别规定》: 怀孕满4个月流产 42 days; 500,000 × 42 ÷ 30 = 700,000 fen = ¥7,000.00.
    result = compute(
        load_rule_set("national"),
        LeaveFacts(
            kind="miscarriage",
            delivery_date=dt.date(2025, 5, 2),
            miscarriage_months=5,
            employer_avg_monthly_wage_fen=500_000,
        ),
    )
    text = flat_text(proof(result))
    assert "满5个月" in text
    assert flat("第七条：怀孕满4个月流产的，享受42天产假42天") in text
    assert "合计产假42天" in text
    assert "产假自2025-05-02起至2025-06-12止，共42天。" in text
    assert "¥5,000.00÷30×42天=¥7,000.00" in text
    assert "男配偶" not in text and "营养补助" not in text


def test_proof_looks_like_a_page(hard_case, tmp_path):
    pngs = render_png(proof(hard_case), tmp_path, dpi=50)
    assert len(pngs) == 1
    assert pngs[0].stat().st_size > 10_000  # a rendered page of text, not a blank sheet
