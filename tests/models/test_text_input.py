"""Reasons typed at the desk: control characters are refused in Chinese on both databases."""

from __future__ import annotations

import pytest

from models import issuance, redemption, vouchers
from models.errors import InvalidInput
from models.schema import AuditEvent, Issuance, Voucher
from tests.helpers import make_actor
from tests.models.lifecycle import freeze, pregnancy

REASONS = ["客户放弃\x00", "\x1b[31m作废", "原因\x07"]


@pytest.fixture
def issued(db_url):
    freeze()
    desk, boss = make_actor("frontdesk"), make_actor("supervisor")
    episode = pregnancy(desk, 10)
    return desk, boss, issuance.issue_package(desk, episode.id, "HN-ZY")


def voucher_events() -> int:
    return AuditEvent.select().where(AuditEvent.entity.in_(("voucher", "issuance"))).count()


@pytest.mark.parametrize("reason", REASONS)
def test_control_characters_in_reasons_are_refused_and_change_nothing(issued, reason):
    desk, boss, view = issued
    code = view.vouchers[0].code
    before = voucher_events()
    with pytest.raises(InvalidInput, match="控制字符"):
        vouchers.void_voucher(desk, code, reason)
    with pytest.raises(InvalidInput, match="控制字符"):
        issuance.issue_package(boss, view.episode_id, "HN-BY", override_reason=reason)
    issuance.record_slip_print(desk, view.id)
    with pytest.raises(InvalidInput, match="控制字符"):
        issuance.record_slip_print(desk, view.id, reason)
    assert Voucher.get(Voucher.code == code).state == "issued"
    assert Issuance.select().count() == 1
    assert voucher_events() == before + 1  # the first, legitimate print only


def test_reversal_reason_with_a_nul_is_refused(issued):
    _desk, boss, view = issued
    nurse = make_actor("nurse")
    early = next(v for v in view.vouchers if v.item_code == "EARLY_TEST")
    redemption.redeem(nurse, early.code, "LAB")
    with pytest.raises(InvalidInput, match="控制字符"):
        redemption.reverse(boss, early.code, "录入错误\x00")
    assert Voucher.get(Voucher.code == early.code).state == "redeemed"


def test_staff_names_with_control_characters_are_refused(db_url):
    from models import staff
    from models.schema import Staff

    admin = make_actor("admin")
    with pytest.raises(InvalidInput, match="控制字符"):
        staff.add_staff(admin, "nurse9", "李\x00护士", frozenset({"nurse"}), "Good-Pass-2026")
    with pytest.raises(InvalidInput, match="控制字符"):
        staff.add_staff(admin, "nu\x1brse9", "李护士", frozenset({"nurse"}), "Good-Pass-2026")
    assert not Staff.select().where(Staff.username.contains("nurse9")).exists()
