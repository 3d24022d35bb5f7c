"""One funded service once, for the right person: service keys, per-person items, targeted items.

Attack tests put a double claim into the data on purpose (as an old database may hold one)
and show that redemption refuses the second and the check lists it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models import audit, clients, eligibility, entitlements, episodes, issuance, redemption, vouchers
from models.codes import new_code
from models.errors import NotPermitted, Refused
from models.schema import AuditEvent, Episode, Issuance, ServiceItem, Voucher
from tests.helpers import make_actor, resident_id
from tests.models.lifecycle import TODAY, freeze, pregnancy, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def newborn(desk, name: str = "小宝"):
    mother = woman(desk, name=f"{name}妈妈")
    baby = clients.register_newborn(desk, mother.id, name=name, sex="F", birth_date=TODAY)
    return episodes.open_child(desk, baby.id)


def codes(view) -> list[str]:
    return sorted(v.item_code for v in view.vouchers)


# --- service keys ----------------------------------------------------------------------------------


def test_heel_prick_is_issued_once_across_both_newborn_packages(desk):
    ep = newborn(desk)
    hunan = issuance.issue_package(desk, ep.id, "HN-XS")
    assert "NEWBORN_SCREEN" in codes(hunan)
    [result] = eligibility.check_eligibility(desk, ep.id, "LYG-XS")
    assert result.eligible
    assert "遗传代谢性疾病筛查（足跟血）：已由湘佑新生包覆盖（已发放）" in result.notes
    lyg = issuance.issue_package(desk, ep.id, "LYG-XS")
    assert codes(lyg) == ["HEARING_SCREEN", "HEART_SCREEN"]
    assert lyg.covered == ["遗传代谢性疾病筛查（足跟血）：已由湘佑新生包覆盖（已发放）"]
    [event] = audit.list_events(
        make_actor("admin"), action="voucher.issue", entity="issuance", entity_id=str(lyg.id)
    )
    assert event.after["covered"] == lyg.covered


def test_redeemed_service_is_named_as_redeemed_and_the_other_order_works_too(desk):
    ep = newborn(desk)
    lyg = issuance.issue_package(desk, ep.id, "LYG-XS")
    metabolic = next(v for v in lyg.vouchers if v.item_code == "METABOLIC_SCREEN")
    redemption.redeem(make_actor("nurse"), metabolic.code, "NEWBORN", result="negative")
    hunan = issuance.issue_package(desk, ep.id, "HN-XS")
    assert "NEWBORN_SCREEN" not in codes(hunan)
    assert hunan.covered == ["新生儿疾病筛查（足跟血）：已由新生儿免费筛查包覆盖（已核销）"]


def test_pmtct_stands_in_two_pregnancy_packages_and_is_issued_once(desk):
    ep = pregnancy(desk, 10)
    early = issuance.issue_package(desk, ep.id, "HN-ZY")
    later = issuance.issue_package(desk, ep.id, "HN-YC")
    assert "PMTCT_EARLY" in codes(early)
    assert "PMTCT" not in codes(later)
    assert later.covered == ["预防母婴传播检测（艾滋病、梅毒、乙肝）：已由湘护早孕包覆盖（已发放）"]


def test_a_voided_voucher_gives_its_service_back(desk):
    ep = newborn(desk)
    hunan = issuance.issue_package(desk, ep.id, "HN-XS")
    heel = next(v for v in hunan.vouchers if v.item_code == "NEWBORN_SCREEN")
    vouchers.void_voucher(make_actor("supervisor"), heel.code, "改由健康宝贝工程承担")
    lyg = issuance.issue_package(desk, ep.id, "LYG-XS")
    assert "METABOLIC_SCREEN" in codes(lyg) and lyg.covered == []


def test_each_child_has_its_own_heel_prick(desk):
    first, second = newborn(desk, "大宝"), newborn(desk, "二宝")
    issuance.issue_package(desk, first.id, "HN-XS")
    assert "METABOLIC_SCREEN" in codes(issuance.issue_package(desk, second.id, "LYG-XS"))


def plant_double_claim(desk):
    """The heel-prick issued by both packages, as a database from before service keys holds it."""
    ep = newborn(desk)
    hunan = issuance.issue_package(desk, ep.id, "HN-XS")
    lyg = issuance.issue_package(desk, ep.id, "LYG-XS")
    item = ServiceItem.get(ServiceItem.code == "METABOLIC_SCREEN")
    Voucher.insert(
        code=new_code(),
        issuance=lyg.id,
        item=item.id,
        item_code=item.code,
        item_name=item.name,
        value_fen=item.price_fen,
        service_point=item.service_point_id,
        result_kind="screening",
        sequence=1,
        state="issued",
        valid_from=TODAY,
        expires_on=TODAY + dt.timedelta(days=365),
        issued_at=dt.datetime(2026, 3, 15, 2),
        version=0,
    ).execute()  # no beneficiary: an old voucher serves the episode's client
    heel = next(v for v in hunan.vouchers if v.item_code == "NEWBORN_SCREEN")
    metabolic = Voucher.get((Voucher.issuance == lyg.id) & (Voucher.item_code == "METABOLIC_SCREEN"))
    return ep, heel.code, metabolic.code


def test_second_heel_prick_in_the_data_is_refused_at_redemption(desk):
    _ep, heel, metabolic = plant_double_claim(desk)
    nurse = make_actor("nurse")
    redemption.redeem(nurse, heel, "NEWBORN", result="negative")
    with pytest.raises(Refused) as info:
        redemption.redeem(nurse, metabolic, "NEWBORN", result="negative")
    assert "已由湘佑新生包核销" in info.value.message
    assert Voucher.get(Voucher.code == metabolic).state == "issued"
    assert audit.verify_chain().ok


def test_the_check_lists_the_double_claim_and_who_may_see_it(desk):
    ep, heel, _metabolic = plant_double_claim(desk)
    redemption.redeem(make_actor("nurse"), heel, "NEWBORN", result="negative")
    [claim] = entitlements.double_claims(make_actor("finance"))
    assert claim.episode_id == ep.id and claim.service_key == "NEWBORN_SCREEN"
    assert claim.person_name_masked == "小*"
    assert sorted(v["package"] for v in claim.vouchers) == ["新生儿免费筛查包", "湘佑新生包"]
    assert claim.redeemed == 1
    with pytest.raises(NotPermitted):
        entitlements.double_claims(make_actor("nurse"))


def test_no_double_claim_in_clean_data(desk):
    ep = newborn(desk)
    issuance.issue_package(desk, ep.id, "HN-XS")
    issuance.issue_package(desk, ep.id, "LYG-XS")
    assert entitlements.double_claims(make_actor("finance")) == []


# --- per person ------------------------------------------------------------------------------------


def couple(desk, with_partner: bool = True, wife_birth: str = "19940512"):
    wife = woman(desk, birth=wife_birth)
    husband = None
    if with_partner:
        husband = clients.register_client(
            desk,
            id_type="resident",
            id_number=resident_id("19920303", "M"),
            name="李大明",
            phone="13900000000",
        ).client
    return episodes.open_prepregnancy(desk, wife.id, husband.id if husband else None), wife, husband


def test_each_partner_gets_their_own_premarital_and_preconception_vouchers(desk):
    ep, wife, husband = couple(desk)
    view = issuance.issue_package(desk, ep.id, "HN-BY")
    for item in ("MARRIAGE_EXAM", "PRECONCEPTION_EXAM"):
        people = sorted((v.client_id, v.client_name_masked) for v in view.vouchers if v.item_code == item)
        assert people == sorted([(wife.id, "王*红"), (husband.id, "李*明")])
    folic = [v for v in view.vouchers if v.item_code == "FOLIC_ACID"]
    assert {v.client_id for v in folic} == {wife.id}
    assert all(v.beneficiary_id for v in Voucher.select())


def test_the_partner_voucher_names_the_partner_at_the_point_of_use(desk):
    ep, wife, husband = couple(desk)
    view = issuance.issue_package(desk, ep.id, "HN-BY")
    his = next(v for v in view.vouchers if v.item_code == "MARRIAGE_EXAM" and v.client_id == husband.id)
    done = redemption.redeem(make_actor("nurse"), his.code, "MARRIAGE")
    assert "李*明" in done.message and done.voucher.client_name_masked == "李*明"
    assert done.voucher.holder_id == wife.id


def test_without_a_registered_partner_only_the_client_is_issued(desk):
    ep, wife, _ = couple(desk, with_partner=False)
    view = issuance.issue_package(desk, ep.id, "HN-BY")
    assert [v.client_id for v in view.vouchers if v.item_code == "MARRIAGE_EXAM"] == [wife.id]


# --- targeted items -------------------------------------------------------------------------------


def test_fertility_assessment_is_only_for_women_35_or_with_infertility_history(desk):
    ep, *_ = couple(desk, wife_birth="19940512")  # 31 at the start of the episode
    [result] = eligibility.check_eligibility(desk, ep.id, "HN-BY")
    assert any(
        n.startswith("生育力评估与健康指导（高龄、不孕）：限周期开始时年满35岁或已登记不孕史者")
        for n in result.notes
    )
    view = issuance.issue_package(desk, ep.id, "HN-BY")
    assert "FERTILITY_ASSESS" not in codes(view)
    assert view.not_targeted and "31岁" in view.not_targeted[0]


def test_women_35_at_the_start_of_the_episode_get_it(desk):
    ep, *_ = couple(desk, wife_birth="19910101")
    assert "FERTILITY_ASSESS" in codes(issuance.issue_package(desk, ep.id, "HN-BY"))


def test_a_recorded_infertility_history_gives_it_and_names_who_recorded_it(desk):
    ep, *_ = couple(desk)
    doctor = make_actor("frontdesk", full_name="刘医生")
    episodes.record_infertility_history(doctor, ep.id)
    row = Episode.get_by_id(ep.id)
    assert row.infertility_recorded_by_id == doctor.staff.id and row.infertility_recorded_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "episode.infertility").count() == 1
    assert "FERTILITY_ASSESS" in codes(issuance.issue_package(desk, ep.id, "HN-BY"))


def test_override_of_a_targeted_item_needs_a_supervisor_and_is_audited(desk):
    ep, *_ = couple(desk)
    with pytest.raises(NotPermitted):
        issuance.issue_package(desk, ep.id, "HN-BY", override_reason="门诊医生评估需要")
    assert Issuance.select().count() == 0
    view = issuance.issue_package(
        make_actor("supervisor"), ep.id, "HN-BY", override_reason="门诊医生评估需要"
    )
    assert "FERTILITY_ASSESS" in codes(view) and view.override_reason == "门诊医生评估需要"
    [event] = audit.list_events(make_actor("admin"), action="voucher.issue")
    assert any("限周期开始时年满35岁" in r for r in event.after["overridden"])


def test_infertility_history_belongs_to_a_pre_pregnancy_episode(desk):
    ep = pregnancy(desk, 10)
    with pytest.raises(Refused):
        episodes.record_infertility_history(desk, ep.id)


def test_each_twin_is_served_in_person(desk):
    mother = woman(desk, name="双胞胎妈妈")
    twins = [
        episodes.open_child(
            desk, clients.register_newborn(desk, mother.id, name=name, sex="F", birth_date=TODAY).id
        )
        for name in ("李一宝", "李二宝")
    ]
    first = issuance.issue_package(desk, twins[0].id, "LYG-XS")
    second = issuance.issue_package(desk, twins[1].id, "HN-XS")
    assert "NEWBORN_SCREEN" in codes(second) and second.covered == []  # the sister's heel-prick is hers
    assert {v.client_name_masked for v in first.vouchers} == {"李*宝"}
    assert {v.client_id for v in first.vouchers} == {twins[0].client_id}
    assert {v.client_id for v in second.vouchers} == {twins[1].client_id}
