"""Conditional items: issued only after a positive or high-risk screening, with their own validity."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from models import audit, clients, eligibility, episodes, issuance, redemption
from models.catalog_file import CatalogError, parse_catalog
from models.errors import InvalidInput
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, freeze, pregnancy, woman

PENDING = "产前诊断（筛查阳性或高风险者）：待筛查结果（母血清学产前筛查或产前超声筛查阳性或高风险后发放）"


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def prenatal(desk):
    ep = pregnancy(desk, 16)
    view = issuance.issue_package(desk, ep.id, "LYG-CQ")
    by_item = {v.item_code: v for v in view.vouchers}
    return ep, view, by_item


def test_prenatal_diagnosis_is_not_handed_out_up_front(desk):
    _ep, view, by_item = prenatal(desk)
    assert sorted(by_item) == ["SERUM_SCREEN", "US_SCREEN"]
    assert view.conditional == [PENDING]
    assert view.total_value_fen == 24300 + 30000
    other = pregnancy(desk, 16, name="赵小芳")
    [result] = eligibility.check_eligibility(desk, other.id, "LYG-CQ")
    assert PENDING in result.notes


def test_a_high_risk_serum_screening_issues_one_diagnosis_with_its_own_validity(desk):
    _ep, view, by_item = prenatal(desk)
    nurse = make_actor("nurse")
    done = redemption.redeem(nurse, by_item["SERUM_SCREEN"].code, "PND", result="高风险")
    [diag] = done.follow_ups
    assert diag.item_code == "PRENATAL_DIAG" and diag.value_fen == 143000
    assert diag.expires_on == TODAY + dt.timedelta(days=120)
    assert "结果高风险" in done.message and "已追加：产前诊断" in done.message
    again = redemption.redeem(nurse, by_item["US_SCREEN"].code, "US", result="positive")
    assert again.follow_ups == []  # one diagnosis, whichever screening triggered it
    after = issuance.get_issuance(desk, view.id)
    assert after.conditional == [] and [v.item_code for v in after.vouchers].count("PRENATAL_DIAG") == 1
    assert audit.verify_chain().ok


def test_negative_screenings_say_no_diagnosis_is_needed(desk):
    _ep, view, by_item = prenatal(desk)
    nurse = make_actor("nurse")
    redemption.redeem(nurse, by_item["SERUM_SCREEN"].code, "PND", result="negative")
    assert issuance.get_issuance(desk, view.id).conditional == [PENDING]  # the ultrasound is still to come
    redemption.redeem(nurse, by_item["US_SCREEN"].code, "US", result="阴性")
    assert issuance.get_issuance(desk, view.id).conditional == [
        "产前诊断（筛查阳性或高风险者）：母血清学产前筛查或产前超声筛查结果阴性，无需发放"
    ]


def test_echocardiography_follows_a_positive_heart_screening_valid_90_days(desk):
    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    ep = episodes.open_child(desk, baby.id)
    view = issuance.issue_package(desk, ep.id, "LYG-XS")
    heart = next(v for v in view.vouchers if v.item_code == "HEART_SCREEN")
    [echo] = redemption.redeem(make_actor("nurse"), heart.code, "HEART", result="positive").follow_ups
    assert echo.item_code == "ECHO_FOLLOWUP" and echo.expires_on == TODAY + dt.timedelta(days=90)
    assert echo.client_id == baby.id


def test_an_unknown_result_word_is_refused_in_chinese(desk):
    _, _, by_item = prenatal(desk)
    with pytest.raises(InvalidInput) as info:
        redemption.redeem(make_actor("nurse"), by_item["SERUM_SCREEN"].code, "PND", result="maybe")
    assert "高风险" in info.value.message


CONDITIONAL = textwrap.dedent(
    """\
    [catalog]
    label = "t"
    [[service_points]]
    code = "LAB"
    name = "检验科"
    [[packages]]
    code = "P1"
    name = "测试包"
    episode_kind = "pregnancy"
    validity_days = 30
    [[packages.items]]
    code = "SCREEN"
    name = "筛查"
    price_yuan = 10
    service_point = "LAB"
    [[packages.items]]
    code = "DIAG"
    name = "诊断"
    price_yuan = 10
    service_point = "LAB"
    follow_up_of = ["SCREEN", "NOWHERE"]
    validity_days = 0
    per_person = "everyone"
    service_key = "bad key"
    condition = { min_age = "old" }
    """
)


def test_catalog_checks_the_new_item_fields(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(CONDITIONAL, "utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    text = "\n".join(info.value.problems)
    assert "引用的项目不存在或不是筛查项目：SCREEN" in text  # SCREEN has no result = "screening"
    assert "NOWHERE" in text
    for field in ("validity_days", "per_person", "service_key", "condition"):
        assert f"items[DIAG].{field}" in text
