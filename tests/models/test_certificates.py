"""Birth medical certificates: stock accounting, issuance rules, void register, data validation."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from models import audit, certificates, clock
from models import settings as app_settings
from models.errors import InvalidInput, NotFound, NotPermitted, Refused
from models.schema import (
    AuditEvent,
    BirthCertificate,
    CertificateBatch,
    CertificateForm,
    Client,
    Episode,
    FamilyLink,
    Setting,
)
from tests.helpers import make_actor, resident_id

NOW = dt.datetime(2026, 3, 10, 2, 0)  # 10:00 in Shanghai
DESK = "一号台"


def make_child_episode(
    name: str = "李小宝", sex: str = "M", born: dt.date = dt.date(2026, 3, 5), with_parents: bool = False
) -> Episode:
    """A child client and episode created directly (the lifecycle services are not needed here)."""
    child = Client.create(
        id_type="none", id_number=None, name=name, sex=sex, birth_date=born, created_at=clock.utcnow()
    )
    if with_parents:
        mother = Client.create(
            id_type="resident",
            id_number=MOTHER_ID,
            name="王丽",
            sex="F",
            birth_date=dt.date(1995, 6, 1),
            ethnicity="汉族",
            created_at=clock.utcnow(),
        )
        FamilyLink.create(kind="mother_child", from_client=mother, to_client=child, created_at=clock.utcnow())
    return Episode.create(kind="child", client=child, birth_date=born, opened_at=clock.utcnow())


MOTHER_ID = resident_id("19950601", "F", rng=random.Random(1))
FATHER_ID = resident_id("19930101", "M", rng=random.Random(2))


def sample_data(**newborn: object) -> dict:
    data = {
        "newborn": {
            "name": "李小宝",
            "sex": "男",
            "birth_time": "2026-03-05 08:30",
            "gestational_weeks": 39,
            "weight_g": 3250,
            "length_cm": 50,
            "health": "良好",
            "birthplace": {"province": "湖南省", "city": "长沙市", "county": "天心区"},
        },
        "mother": {
            "name": "王丽",
            "age": 30,
            "nationality": "中国",
            "ethnicity": "汉",
            "id_number": MOTHER_ID,
        },
        "father": {
            "name": "李强",
            "age": 33,
            "nationality": "中国",
            "ethnicity": "土家族",
            "id_number": FATHER_ID,
        },
        "institution": "长沙市妇幼保健院",
        "issued_on": "2026-03-10",
    }
    data["newborn"].update(newborn)
    return data


@pytest.fixture
def env(db_url):
    clock.set_now(NOW)
    sup = make_actor("supervisor", full_name="赵主管")
    desk = make_actor("frontdesk", full_name="钱发证")
    return sup, desk


def stock(sup, first=1, last=10, desk=DESK):
    certificates.receive(sup, "R", 430000000 + first, 430000000 + last)
    certificates.assign(sup, f"R{430000000 + first}", f"R{430000000 + last}", desk)


# --- stock --------------------------------------------------------------------------------------


def test_receive_creates_every_serial_in_the_configured_format(env):
    sup, _ = env
    batch = certificates.receive(sup, "r", 430000001, 430000005, note="卫健委第1批")
    assert (batch.first_serial, batch.last_serial, batch.count) == ("R430000001", "R430000005", 5)
    forms = certificates.list_forms()
    assert [f.serial for f in forms] == [f"R43000000{i}" for i in range(1, 6)]
    assert {f.state for f in forms} == {"on_hand"} and {f.desk for f in forms} == {None}
    assert AuditEvent.select().where(AuditEvent.action == "certificate.receive").count() == 1


def test_receive_refuses_overlap_bad_prefix_and_huge_ranges(env):
    sup, desk = env
    certificates.receive(sup, "R", 100, 200)
    with pytest.raises(Refused, match="重叠"):
        certificates.receive(sup, "R", 200, 210)
    certificates.receive(sup, "S", 100, 200)  # another prefix is another range
    with pytest.raises(InvalidInput, match="前缀"):
        certificates.receive(sup, "RS", 1, 2)
    with pytest.raises(InvalidInput, match="一次最多"):
        certificates.receive(sup, "T", 1, 1_000_000)
    with pytest.raises(InvalidInput, match="9 位数字"):
        certificates.receive(sup, "T", 1, 10**9)
    with pytest.raises(NotPermitted):
        certificates.receive(desk, "T", 1, 2)


def test_serial_format_setting_changes_what_receive_accepts(env):
    sup, _ = env
    admin = make_actor("admin")
    certificates.set_serial_format(admin, 2, 8)
    with pytest.raises(InvalidInput, match="2 位字母"):
        certificates.receive(sup, "R", 1, 2)
    batch = certificates.receive(sup, "HN", 1, 2)
    assert batch.first_serial == "HN00000001"
    with pytest.raises(NotPermitted):
        certificates.set_serial_format(sup, 1, 9)
    app_settings.put(admin, "certificate_serial_format", "[A-Z]+")  # a pattern without fixed digits
    with pytest.raises(InvalidInput, match="无法用于号段入库"):
        certificates.receive(sup, "R", 3, 4)


def test_assign_only_on_hand_forms_and_reports_missing(env):
    sup, _ = env
    certificates.receive(sup, "R", 1, 10)
    assert certificates.assign(sup, "R000000001", "R000000005", DESK) == 5
    assert certificates.next_serial(DESK) == "R000000001"
    with pytest.raises(NotFound, match="R000000011"):
        certificates.assign(sup, "R000000009", "R000000011", DESK)
    certificates.void_form(sup, "R000000007", "运输中污损", approver=sup)
    with pytest.raises(Refused, match="R000000007"):
        certificates.assign(sup, "R000000006", "R000000008", "二号台")


def test_compress_serials_reads_ranges():
    assert certificates.compress_serials(["R03", "R01", "R02", "R07", "S01"]) == ["R01–R03", "R07", "S01"]


# --- issuance ------------------------------------------------------------------------------------


def test_first_issue_takes_the_lowest_serial_of_the_desk(env):
    sup, desk = env
    stock(sup, 1, 3)
    certificates.receive(sup, "R", 430000100, 430000100)  # store room, not at the desk
    episode = make_child_episode()
    view = certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    assert view.serial == "R430000001" and view.kind_label == "首次签发"
    assert view.data["newborn"]["sex"] == "M" and view.data["mother"]["ethnicity"] == "汉族"
    assert certificates.get_form("R430000001").state == "issued"
    assert certificates.next_serial(DESK) == "R430000002"
    assert certificates.current_certificate(episode.id).serial == "R430000001"
    assert audit.verify_chain().ok


def test_second_first_issue_is_refused_and_reissue_replace_need_reason(env):
    sup, desk = env
    stock(sup, 1, 5)
    episode = make_child_episode()
    with pytest.raises(Refused, match="尚无有效"):
        certificates.issue(desk, episode.id, "reissue", sample_data(), desk=DESK, reason="遗失")
    first = certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    with pytest.raises(Refused, match="已有出生医学证明 R430000001"):
        certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    with pytest.raises(InvalidInput, match="补发须填写原因"):
        certificates.issue(desk, episode.id, "reissue", sample_data(), desk=DESK)
    with pytest.raises(InvalidInput, match="补发须注明被取代的证件编号（当前证件为 R430000001）"):
        certificates.issue(desk, episode.id, "reissue", sample_data(), desk=DESK, reason="遗失")
    lost = certificates.issue(
        desk,
        episode.id,
        "reissue",
        sample_data(),
        desk=DESK,
        reason="家长遗失，已登报声明",
        replaces="r430000001",
    )
    assert (lost.serial, lost.replaces_serial, lost.reason) == (
        "R430000002",
        first.serial,
        "家长遗失，已登报声明",
    )
    fixed = certificates.issue(
        desk,
        episode.id,
        "replace",
        sample_data(name="李宝儿"),
        desk=DESK,
        reason="更正新生儿姓名",
        replaces="R430000002",
    )
    assert fixed.replaces_serial == "R430000002"
    assert certificates.current_certificate(episode.id).data["newborn"]["name"] == "李宝儿"
    assert [c.kind for c in certificates.certificates_of_episode(episode.id)] == [
        "first",
        "reissue",
        "replace",
    ]


def test_voiding_a_misprinted_certificate_allows_a_new_first_issue(env):
    sup, desk = env
    stock(sup, 1, 5)
    episode = make_child_episode()
    certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    certificates.void_form(desk, "R430000001", "打印错位", approver=sup)
    assert certificates.current_certificate(episode.id) is None
    again = certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    assert again.serial == "R430000002"
    with pytest.raises(Refused, match="已作废"):
        certificates.record_print(desk, "R430000001")


def reissue(desk, episode_id: int, replaces: str | None, kind: str = "reissue", reason: str = "家长遗失"):
    return certificates.issue(
        desk, episode_id, kind, sample_data(), desk=DESK, reason=reason, replaces=replaces
    )


def test_a_reissue_voids_the_form_it_supersedes_in_the_same_transaction(env):
    sup, desk = env
    stock(sup, 1, 5)
    episode = make_child_episode()
    certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    lost = reissue(desk, episode.id, "R430000001", reason="家长遗失，已登报声明")
    old = certificates.get_form("R430000001")
    assert lost.replaces_serial == "R430000001" and old.state == "voided"
    assert old.void_reason == "已补发，由 R430000002 取代：家长遗失，已登报声明"
    assert old.void_approved_by == "钱发证" and old.voided_at == NOW
    events = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)][-2:]
    assert events == ["certificate.issue", "certificate.void"]
    assert certificates.superseded_by("R430000001") == "R430000002"
    assert certificates.current_certificate(episode.id).serial == "R430000002"
    assert audit.verify_chain().ok


def test_a_superseded_form_is_neither_replaced_again_nor_printed(env):
    sup, desk = env
    stock(sup, 1, 5)
    episode = make_child_episode()
    certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    reissue(desk, episode.id, "R430000001")
    before = certificates.next_serial(DESK)
    for kind in ("reissue", "replace"):
        with pytest.raises(
            Refused, match=r"证件 R430000001 已被 R430000002 取代，不能再..；当前证件为 R430000002"
        ):
            reissue(desk, episode.id, "R430000001", kind=kind)
    with pytest.raises(Refused, match="R430000999 不是该新生儿的当前证件，不能再补发；当前证件为 R430000002"):
        reissue(desk, episode.id, "R430000999")
    assert certificates.next_serial(DESK) == before, "a refused replacement takes no blank form"
    with pytest.raises(Refused, match="R430000001 已被 R430000002 取代，不能打印"):
        certificates.record_print(desk, "R430000001")
    assert certificates.record_print(desk, "R430000002").serial == "R430000002"


def test_voiding_the_current_form_never_brings_a_superseded_one_back(env):
    sup, desk = env
    stock(sup, 1, 6)
    episode = make_child_episode()
    certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    reissue(desk, episode.id, "R430000001")  # reported lost
    certificates.void_form(desk, "R430000002", "打印错位", approver=sup)  # the re-issue misprinted
    assert certificates.current_certificate(episode.id) is None
    with pytest.raises(Refused, match="已被 R430000002 取代"):
        certificates.record_print(desk, "R430000001")
    with pytest.raises(Refused, match="补发证件 R430000002 已作废，请再次补发并注明取代 R430000002"):
        certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    with pytest.raises(Refused, match="当前证件为 R430000002"):
        reissue(desk, episode.id, "R430000001")
    again = reissue(desk, episode.id, "R430000002", reason="补发件打印错位，重新补发")
    assert (
        again.serial == "R430000003" and certificates.current_certificate(episode.id).serial == again.serial
    )
    states = {f.serial: f.state for f in certificates.list_forms()}
    assert [states[f"R43000000{i}"] for i in range(1, 5)] == ["voided", "voided", "issued", "on_hand"]


def test_a_legacy_superseded_form_left_issued_stays_superseded(env):
    """Databases from before the fix hold superseded forms still 'issued': they never come back."""
    sup, desk = env
    stock(sup, 1, 5)
    episode = make_child_episode()
    certificates.issue(desk, episode.id, "first", sample_data(), desk=DESK)
    reissue(desk, episode.id, "R430000001")
    CertificateForm.update(state="issued", void_reason=None, voided_at=None, void_approved_by=None).where(
        CertificateForm.serial == "R430000001"
    ).execute()
    certificates.void_form(desk, "R430000002", "污损", approver=sup)
    assert certificates.current_certificate(episode.id) is None
    with pytest.raises(Refused, match="已被 R430000002 取代"):
        certificates.record_print(desk, "R430000001")


def test_issue_with_a_given_serial_and_desk_rules(env):
    sup, desk = env
    stock(sup, 1, 5)
    certificates.assign(sup, "R430000004", "R430000005", "二号台")
    e1, e2, e3 = make_child_episode(), make_child_episode("张一", "F"), make_child_episode("张二", "F")
    view = certificates.issue(desk, e1.id, "first", sample_data(), desk=DESK, serial="r43000 0003")
    assert view.serial == "R430000003"
    with pytest.raises(Refused, match="已分配给 二号台"):
        certificates.issue(
            desk, e2.id, "first", sample_data(name="张一", sex="女"), desk=DESK, serial="R430000004"
        )
    with pytest.raises(Refused, match="已签发"):
        certificates.issue(
            desk, e2.id, "first", sample_data(name="张一", sex="女"), desk=DESK, serial="R430000003"
        )
    with pytest.raises(Refused, match="没有可用"):
        certificates.issue(desk, e3.id, "first", sample_data(name="张二", sex="女"), desk="三号台")
    # Nothing of the refused attempts consumed a form.
    assert [f.serial for f in certificates.list_forms(state="on_hand", desk=DESK)] == [
        "R430000001",
        "R430000002",
    ]


def test_issue_refuses_non_child_episode_and_contradicting_registration(env):
    sup, desk = env
    stock(sup)
    mother = Client.create(
        id_type="resident", id_number=MOTHER_ID, name="王丽", sex="F", created_at=clock.utcnow()
    )
    pregnancy = Episode.create(kind="pregnancy", client=mother, opened_at=clock.utcnow())
    with pytest.raises(Refused, match="不是新生儿"):
        certificates.issue(desk, pregnancy.id, "first", sample_data(), desk=DESK)
    girl = make_child_episode("李小宝", "F")
    with pytest.raises(InvalidInput, match="性别与登记信息不符") as exc:
        certificates.issue(desk, girl.id, "first", sample_data(), desk=DESK)
    assert exc.value.details["field"] == "newborn.sex"
    other_day = make_child_episode(born=dt.date(2026, 3, 4))
    with pytest.raises(InvalidInput, match="登记为 2026-03-04"):
        certificates.issue(desk, other_day.id, "first", sample_data(), desk=DESK)
    with pytest.raises(NotFound):
        certificates.issue(desk, 99999, "first", sample_data(), desk=DESK)
    assert certificates.next_serial(DESK) == "R430000001"


def test_nurse_cannot_issue_and_void_needs_a_supervisor(env):
    sup, desk = env
    stock(sup)
    nurse = make_actor("nurse")
    with pytest.raises(NotPermitted):
        certificates.issue(nurse, make_child_episode().id, "first", sample_data(), desk=DESK)
    with pytest.raises(NotPermitted, match="批准作废"):
        certificates.void_form(desk, "R430000001", "污损", approver=desk)
    with pytest.raises(InvalidInput, match="作废原因"):
        certificates.void_form(desk, "R430000001", " ", approver=sup)
    view = certificates.void_form(desk, "R430000001", "污损", approver=sup)
    assert (view.state, view.void_reason, view.void_approved_by) == ("voided", "污损", "赵主管")
    event = AuditEvent.select().where(AuditEvent.action == "certificate.void").get()
    assert event.staff_name == "钱发证" and json.loads(event.after)["approved_by"] == sup.staff.username


def test_destroy_only_voided_forms_with_witness_and_sane_date(env):
    sup, _ = env
    stock(sup)
    with pytest.raises(Refused, match="只有已作废"):
        certificates.destroy_form(sup, "R430000001", dt.date(2026, 3, 10), "孙监销")
    certificates.void_form(sup, "R430000001", "污损", approver=sup)
    with pytest.raises(InvalidInput, match="监销人"):
        certificates.destroy_form(sup, "R430000001", dt.date(2026, 3, 10), "")
    with pytest.raises(InvalidInput, match="早于作废日期"):
        certificates.destroy_form(sup, "R430000001", dt.date(2026, 3, 9), "孙监销")
    with pytest.raises(InvalidInput, match="晚于今天"):
        certificates.destroy_form(sup, "R430000001", dt.date(2026, 3, 11), "孙监销")
    view = certificates.destroy_form(sup, "R430000001", dt.date(2026, 3, 10), "孙监销")
    assert (view.state, view.destroy_witness, view.destroyed_on) == (
        "destroyed",
        "孙监销",
        dt.date(2026, 3, 10),
    )
    with pytest.raises(Refused, match="已销毁"):
        certificates.void_form(sup, "R430000001", "再作废", approver=sup)


# --- reports -------------------------------------------------------------------------------------


def test_stock_report_partitions_serials_by_state_for_a_period(env):
    sup, desk = env
    clock.set_now(dt.datetime(2026, 2, 1, 2))
    certificates.receive(sup, "R", 1, 10)
    certificates.assign(sup, "R000000001", "R000000006", DESK)
    certificates.void_form(sup, "R000000010", "到货破损", approver=sup)
    clock.set_now(dt.datetime(2026, 3, 2, 2))
    certificates.receive(sup, "R", 11, 15)
    certificates.issue(
        desk,
        make_child_episode(born=dt.date(2026, 3, 1)).id,
        "first",
        sample_data(birth_time="2026-03-01 09:00") | {"issued_on": "2026-03-02"},
        desk=DESK,
    )
    certificates.void_form(sup, "R000000002", "打印错位", approver=sup)
    certificates.destroy_form(sup, "R000000010", dt.date(2026, 3, 2), "孙监销")

    march = certificates.stock_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert march.balanced and march.received_total == 15
    assert march.count(march.opening) == {"on_hand": 9, "issued": 0, "voided": 1, "destroyed": 0}
    assert march.closing["issued"] == ["R000000001"]
    assert march.closing["voided"] == ["R000000002"]
    assert march.closing["destroyed"] == ["R000000010"]
    assert len(march.closing["on_hand"]) == 12
    assert {k: len(v) for k, v in march.movements.items()} == {
        "received": 5,
        "issued": 1,
        "voided": 1,
        "destroyed": 1,
    }
    assert march.on_hand_by_desk == {DESK: 4, "": 8}
    assert march.to_dict()["closing_serials"]["on_hand"] == ["R000000003–R000000009", "R000000011–R000000015"]

    february = certificates.stock_report(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert february.received_total == 10
    assert february.count(february.closing) == {"on_hand": 9, "issued": 0, "voided": 1, "destroyed": 0}


def test_stock_report_is_unbalanced_when_a_form_row_is_missing(env):
    sup, _ = env
    certificates.receive(sup, "R", 1, 3)
    CertificateForm.delete().where(CertificateForm.serial == "R000000002").execute()  # simulated tampering
    report = certificates.stock_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert not report.balanced and report.received_total == 3


def test_annual_usage_counts_by_local_month_and_kind(env):
    sup, desk = env
    clock.set_now(dt.datetime(2026, 1, 31, 17, 0))  # 2026-02-01 01:00 in Shanghai
    stock(sup, 1, 10)
    episode = make_child_episode(born=dt.date(2026, 1, 30))
    data = sample_data(birth_time="2026-01-30 22:10") | {"issued_on": "2026-02-01"}
    certificates.issue(desk, episode.id, "first", data, desk=DESK)
    clock.set_now(dt.datetime(2026, 5, 3, 2))
    certificates.issue(desk, episode.id, "reissue", data, desk=DESK, reason="遗失", replaces="R430000001")
    certificates.void_form(sup, "R430000003", "污损", approver=sup)
    certificates.void_form(sup, "R430000004", "污损", approver=sup)
    certificates.void_form(sup, "R430000005", "打印错位", approver=sup)
    stats = certificates.annual_usage(2026)
    assert stats.months[1]["received"] == 0 and stats.months[2]["received"] == 10
    assert stats.months[2]["issued"] == 1 and stats.months[2]["first"] == 1
    assert stats.months[5] | {} == {
        "received": 0, "issued": 1, "first": 0, "reissue": 1, "replace": 0, "voided": 3, "destroyed": 0
    }  # fmt: skip
    assert stats.totals["issued"] == 2 and stats.void_reasons == {"污损": 2, "打印错位": 1}
    assert stats.void_rate_permille == 600  # 3 voided of 5 used
    assert certificates.annual_usage(2025).totals["issued"] == 0


# --- data validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (("newborn", "name"), "", "newborn.name", "请填写新生儿姓名"),
        (("newborn", "name"), "李2宝", "newborn.name", "数字或符号"),
        (("newborn", "sex"), "未知", "newborn.sex", "男"),
        (("newborn", "birth_time"), "2026-03-05", "newborn.birth_time", "时、分"),
        (("newborn", "birth_time"), "2026-02-30 08:00", "newborn.birth_time", "不是有效时间"),
        (("newborn", "birth_time"), "2026-03-11 08:00", "newborn.birth_time", "晚于今天"),
        (("newborn", "gestational_weeks"), 19, "newborn.gestational_weeks", "20–45 周"),
        (("newborn", "gestational_weeks"), 46, "newborn.gestational_weeks", "20–45 周"),
        (("newborn", "gestational_weeks"), "三十", "newborn.gestational_weeks", "整数"),
        (("newborn", "weight_g"), 9000, "newborn.weight_g", "出生体重"),
        (("newborn", "length_cm"), 5, "newborn.length_cm", "出生身长"),
        (("newborn", "health"), "很好", "newborn.health", "良好"),
        (("newborn", "birthplace"), {"province": "湖南省"}, "newborn.birthplace.city", "出生地点（市）"),
        (("mother", "age"), 31, "mother.age", "按证件，新生儿出生时母亲为 30 岁"),
        (("mother", "age"), 8, "mother.age", "12–60 岁"),
        (("mother", "id_number"), "430102199506011234", "mother.id_number", "母亲"),
        (("mother", "ethnicity"), "火星", "mother.ethnicity", "56 个民族"),
        (("father", "name"), "", "father.name", "请填写父亲姓名"),
        (("institution",), "", "institution", "接生机构"),
        (("issued_on",), "2026-03-04", "issued_on", "早于出生日期"),
        (("issued_on",), "2026-03-11", "issued_on", "晚于今天"),
    ],
)
def test_validation_names_the_field_in_chinese(path, value, field, message):
    clock.set_now(NOW)
    data = copy.deepcopy(sample_data())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidInput, match=message) as exc:
        certificates.validate_data(data)
    assert exc.value.details["field"] == field


def test_validation_normalises_and_allows_missing_father_and_foreign_mother():
    clock.set_now(NOW)
    data = sample_data(sex="F", gestational_weeks="３８")
    data["father"] = {"name": "", "age": ""}
    data["mother"] = {
        "name": "Anna·Smith",
        "age": 28,
        "nationality": "英国",
        "id_type": "passport",
        "id_number": "k1234567",
    }
    clean = certificates.validate_data(data)
    assert clean["father"] is None
    assert clean["newborn"]["sex"] == "F" and clean["newborn"]["gestational_weeks"] == 38
    assert clean["mother"]["id_number"] == "K1234567" and clean["mother"]["ethnicity"] == ""
    values = certificates.print_values(clean, "R430000001")
    assert values["newborn.sex"] == "女" and values["father.name"] == ""
    assert (values["newborn.birth.hour"], values["newborn.birth.minute"]) == ("8", "30")


def test_draft_from_episode_fills_child_and_mother(env):
    Setting.create(key="institution_name", value="长沙市妇幼保健院")
    episode = make_child_episode(with_parents=True)
    draft = certificates.draft_from_episode(episode.id)
    assert draft["newborn"] == {"name": "李小宝", "sex": "M", "birth_time": "2026-03-05"}
    assert draft["mother"]["name"] == "王丽" and draft["mother"]["age"] == 30
    assert draft["institution"] == "长沙市妇幼保健院"


def test_calibration_is_stored_per_printer_and_bounded(env):
    _, desk = env
    assert certificates.get_calibration("HP-1") == certificates.Calibration(0, 0)
    certificates.set_calibration(desk, "HP-1", 1.25, -2)
    assert certificates.get_calibration("HP-1") == certificates.Calibration(1.2, -2.0)
    assert certificates.get_calibration("HP-2") == certificates.Calibration(0, 0)
    with pytest.raises(InvalidInput, match="±30"):
        certificates.set_calibration(desk, "HP-1", 31, 0)


# --- random sequences keep the books balanced ------------------------------------------------------


class StockMachine(RuleBasedStateMachine):
    """Random receive/assign/issue/void/destroy over a few days, checked against a plain model."""

    sup = desk = None
    episodes: ClassVar[list[int]] = []

    def __init__(self) -> None:
        super().__init__()
        BirthCertificate.update(replaces=None).execute()  # a replacement points at its predecessor
        for model in (BirthCertificate, CertificateForm, CertificateBatch):
            model.delete().execute()
        self.day = dt.date(2026, 1, 5)
        clock.set_now(dt.datetime.combine(self.day, dt.time(2)))
        self.next_number = 1
        self.state: dict[str, str] = {}
        self.desk_of: dict[str, str | None] = {}
        self.history: dict[str, dict[str, dt.date]] = {}
        self.head: dict[int, str | None] = dict.fromkeys(self.episodes)  # newest of the chain
        self.chain: dict[int, list[str]] = {e: [] for e in self.episodes}
        self.kind_of: dict[str, str] = {}

    def _serials(self, state: str, desk: str | None = None) -> list[str]:
        return sorted(
            s for s, now in self.state.items() if now == state and (desk is None or self.desk_of[s] == desk)
        )

    def _data(self) -> dict:
        return sample_data(birth_time="2026-01-02 08:00") | {"issued_on": self.day.isoformat()}

    @rule(count=st.integers(1, 4))
    def receive(self, count: int) -> None:
        first = self.next_number
        certificates.receive(self.sup, "R", first, first + count - 1)
        for n in range(first, first + count):
            serial = f"R{n:09d}"
            self.state[serial], self.desk_of[serial] = "on_hand", None
            self.history[serial] = {"received": self.day}
        self.next_number += count

    @precondition(lambda self: self.state)
    @rule(data=st.data(), desk=st.sampled_from(["A台", "B台"]))
    def assign(self, data, desk: str) -> None:
        serial = data.draw(st.sampled_from(sorted(self.state)))
        if self.state[serial] != "on_hand":
            with pytest.raises(Refused):
                certificates.assign(self.sup, serial, serial, desk)
            return
        certificates.assign(self.sup, serial, serial, desk)
        self.desk_of[serial] = desk

    @rule(index=st.integers(0, 2), desk=st.sampled_from(["A台", "B台"]))
    def issue(self, index: int, desk: str) -> None:
        episode = self.episodes[index]
        head = self.head[episode]
        if head is None or (self.state[head] != "issued" and self.kind_of[head] == "first"):
            kind, replaces = "first", None
        else:
            kind, replaces = "reissue", head
        available = self._serials("on_hand", desk)
        older = [s for s in self.chain[episode] if s != head]
        if kind == "reissue" and older:  # naming a superseded form is refused and takes no blank form
            with pytest.raises(Refused, match=f"当前证件为 {head}"):
                certificates.issue(
                    self.desk, episode, kind, self._data(), desk=desk, reason="遗失补发", replaces=older[-1]
                )
            assert self._serials("on_hand", desk) == available
        if not available:
            with pytest.raises(Refused):
                certificates.issue(
                    self.desk, episode, kind, self._data(), desk=desk, reason="遗失补发", replaces=replaces
                )
            return
        view = certificates.issue(
            self.desk, episode, kind, self._data(), desk=desk, reason="遗失补发", replaces=replaces
        )
        assert view.serial == available[0] and view.replaces_serial == replaces
        self.state[view.serial] = "issued"
        self.history[view.serial]["issued"] = self.day
        if replaces and self.state[replaces] == "issued":  # voided with the re-issue, same day
            self.state[replaces] = "voided"
            self.history[replaces]["voided"] = self.day
        self.head[episode], self.kind_of[view.serial] = view.serial, kind
        self.chain[episode].append(view.serial)

    @precondition(lambda self: self.state)
    @rule(data=st.data())
    def void(self, data) -> None:
        serial = data.draw(st.sampled_from(sorted(self.state)))
        if self.state[serial] not in ("on_hand", "issued"):
            with pytest.raises(Refused):
                certificates.void_form(self.desk, serial, "污损", approver=self.sup)
            return
        certificates.void_form(self.desk, serial, "污损", approver=self.sup)
        self.state[serial] = "voided"  # a superseded certificate never comes back
        self.history[serial]["voided"] = self.day

    @precondition(lambda self: "voided" in self.state.values())
    @rule(data=st.data())
    def destroy(self, data) -> None:
        serial = data.draw(st.sampled_from(self._serials("voided")))
        certificates.destroy_form(self.sup, serial, self.day, "孙监销")
        self.state[serial] = "destroyed"
        self.history[serial]["destroyed"] = self.day

    @rule()
    def next_day(self) -> None:
        self.day += dt.timedelta(days=1)
        clock.set_now(dt.datetime.combine(self.day, dt.time(2)))

    @invariant()
    def books_balance_serial_by_serial(self) -> None:
        report = certificates.stock_report(dt.date(2026, 1, 1), self.day)
        assert report.balanced and report.received_total == len(self.state)
        for state in certificates.STATES:
            assert report.closing[state] == self._serials(state)
        for episode, head in self.head.items():
            current = certificates.current_certificate(episode)
            held = head if head and self.state[head] == "issued" else None
            assert (current.serial if current else None) == held

    @invariant()
    def a_past_period_shows_the_states_of_its_last_day(self) -> None:
        if self.day.day < 6:
            return
        cut = self.day - dt.timedelta(days=1)
        report = certificates.stock_report(dt.date(2026, 1, 5), cut)
        expected: dict[str, list[str]] = {s: [] for s in certificates.STATES}
        for serial, events in self.history.items():
            passed = [
                name
                for name in ("received", "issued", "voided", "destroyed")
                if events.get(name, cut + dt.timedelta(1)) <= cut
            ]
            if passed:
                expected["on_hand" if passed[-1] == "received" else passed[-1]].append(serial)
        assert report.closing == {s: sorted(v) for s, v in expected.items()}


def test_random_stock_sequences_keep_every_serial_accounted_for(env):
    sup, desk = env
    StockMachine.sup, StockMachine.desk = sup, desk
    StockMachine.episodes = [make_child_episode(born=dt.date(2026, 1, 2)).id for _ in range(3)]
    run_state_machine_as_test(
        StockMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


def test_two_issues_at_once_at_one_desk_take_different_serials(env):
    import threading

    from models.db import database

    sup, desk = env
    stock(sup, 1, 5)
    episodes = [make_child_episode().id, make_child_episode().id, make_child_episode().id]
    start = threading.Barrier(len(episodes))
    results: list[object] = []

    def work(episode_id: int) -> None:
        try:
            start.wait()
            results.append(certificates.issue(desk, episode_id, "first", sample_data(), desk=DESK).serial)
        except Exception as exc:  # collected and asserted below
            results.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=work, args=(e,)) for e in episodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["R430000001", "R430000002", "R430000003"]  # type: ignore[type-var]
    assert certificates.next_serial(DESK) == "R430000004"
