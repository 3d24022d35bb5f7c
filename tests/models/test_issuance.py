"""Issuance: one transaction, copied values, self-paid upgrades, idempotent, overrides."""

from __future__ import annotations

import pytest

from models import audit, catalog, issuance
from models.codes import check_code
from models.errors import NotPermitted, Refused
from models.schema import AuditEvent, Issuance, ServiceItem, Voucher
from tests.helpers import make_actor
from tests.models.lifecycle import freeze, pregnancy


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def test_issue_creates_one_voucher_per_basic_use(desk):
    ep = pregnancy(desk, 10)
    view = issuance.issue_package(desk, ep.id, "HN-YC")
    items = catalog.package_view(catalog.get_package("HN-YC")).items
    basic = [i for i in items if i.tier == "basic"]
    assert view.created
    assert len(view.vouchers) == sum(i.quantity for i in basic)  # 5 prenatal checks + 4 others
    assert view.total_value_fen == sum(i.price_fen * i.quantity for i in basic)
    assert [s.code for s in view.self_paid] == ["REMOTE_FHR"]
    assert {v.state_label for v in view.vouchers} == {"未使用"}
    assert view.slip_no.startswith("FS20260315-")
    assert all(check_code(v.code) == v.code for v in view.vouchers)
    prenatal = [v for v in view.vouchers if v.item_code == "PRENATAL_CHECK"]
    assert [v.sequence for v in prenatal] == [1, 2, 3, 4, 5]
    assert {str(v.expires_on) for v in view.vouchers} == {"2027-01-09"}  # 300 days of validity
    assert view.client_name_masked == "王*红"
    assert AuditEvent.select().where(AuditEvent.action == "voucher.issue").count() == 1
    assert audit.verify_chain().ok


def test_follow_up_items_are_not_issued_up_front(desk):
    from models import clients, episodes
    from tests.models.lifecycle import TODAY, woman

    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    ep = episodes.open_child(desk, baby.id)
    view = issuance.issue_package(desk, ep.id, "LYG-XS")
    assert sorted(v.item_code for v in view.vouchers) == [
        "HEARING_SCREEN",
        "HEART_SCREEN",
        "METABOLIC_SCREEN",
    ]
    assert view.conditional == [
        "超声心动图诊断（筛查阳性者）：待筛查结果（先天性心脏病筛查阳性或高风险后发放）"
    ]


def test_second_issue_returns_the_same_issuance(desk):
    ep = pregnancy(desk, 10)
    first = issuance.issue_package(desk, ep.id, "HN-ZY")
    again = issuance.issue_package(make_actor("frontdesk"), ep.id, "hn-zy")
    assert not again.created
    assert again.id == first.id and again.slip_no == first.slip_no
    assert [v.code for v in again.vouchers] == [v.code for v in first.vouchers]
    assert Issuance.select().count() == 1
    assert Voucher.select().count() == len(first.vouchers)


def test_catalog_change_does_not_alter_issued_vouchers(desk):
    ep = pregnancy(desk, 10)
    view = issuance.issue_package(desk, ep.id, "HN-ZY")
    ServiceItem.update(price_fen=999_999, name="改名").execute()
    again = issuance.get_issuance(desk, view.id)
    assert [(v.item_name, v.value_fen) for v in again.vouchers] == [
        (v.item_name, v.value_fen) for v in view.vouchers
    ]


def test_ineligible_is_refused_unless_supervisor_overrides(desk):
    ep = pregnancy(desk, 20)
    with pytest.raises(Refused) as info:
        issuance.issue_package(desk, ep.id, "HN-ZY")
    assert "孕20+0周" in info.value.message
    assert info.value.exit_code == 3
    with pytest.raises(NotPermitted):
        issuance.issue_package(desk, ep.id, "HN-ZY", override_reason="外院转入")
    boss = make_actor("supervisor")
    view = issuance.issue_package(boss, ep.id, "HN-ZY", override_reason="外院转入，早孕期已在外院建档")
    assert view.created and view.override_by == boss.name
    event = AuditEvent.select().where(AuditEvent.action == "voucher.issue").get()
    assert "外院转入" in event.after and "孕20+0周" in event.after


def test_nurse_cannot_issue(desk):
    ep = pregnancy(desk, 10)
    with pytest.raises(NotPermitted):
        issuance.issue_package(make_actor("nurse"), ep.id, "HN-ZY")


def test_slip_print_and_reprint_reason(desk):
    ep = pregnancy(desk, 10)
    view = issuance.issue_package(desk, ep.id, "HN-ZY")
    assert issuance.record_slip_print(desk, view.id) == 1
    from models.errors import InvalidInput

    with pytest.raises(InvalidInput):
        issuance.record_slip_print(desk, view.id)
    assert issuance.record_slip_print(desk, view.id, "打印机卡纸") == 2
