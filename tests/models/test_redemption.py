"""Redemption, reversal, void and expiry: the whole life of a voucher and every refusal."""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from models import audit, clients, clock, episodes, issuance, redemption, vouchers
from models.errors import InvalidInput, NotFound, NotPermitted, Refused
from models.schema import LedgerEntry, Period, Voucher
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, at_local, freeze, pregnancy, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


@pytest.fixture
def nurse(desk):
    return make_actor("nurse", full_name="护士李梅")


@pytest.fixture
def boss(desk):
    return make_actor("supervisor", full_name="主管周华")


def issued(desk, code="HN-ZY", weeks=10):
    ep = pregnancy(desk, weeks)
    return issuance.issue_package(desk, ep.id, code)


def ledger_total() -> int:
    return LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).scalar() or 0


def redeemed_value() -> int:
    return Voucher.select(pw.fn.SUM(Voucher.value_fen)).where(Voucher.state == "redeemed").scalar() or 0


def test_whole_life_of_a_voucher(desk, nurse, boss):
    slip = issued(desk)
    v = next(v for v in slip.vouchers if v.item_code == "EARLY_TEST")
    typed = "　" + v.code_display.replace("-", " ")  # as a person types it
    done = redemption.redeem(nurse, typed, "lab")
    assert done.voucher.state == "redeemed" and done.voucher.state_label == "已核销"
    assert done.amount_fen == v.value_fen and done.period == "2026-03" and done.posted_on == TODAY
    assert "王*红" in done.message and v.value_text in done.message
    with pytest.raises(Refused) as info:
        redemption.redeem(make_actor("nurse", full_name="护士王兰"), v.code, "LAB")
    assert "检验科" in info.value.message and "护士李梅" in info.value.message
    assert clock.format_local(clock.utcnow()) in info.value.message
    clock.set_now(at_local(TODAY + dt.timedelta(days=3)))
    back = redemption.reverse(boss, v.code, "患者未做检查，误扫")
    assert back.amount_fen == -v.value_fen and back.voucher.state == "issued"
    again = redemption.redeem(nurse, v.code, "LAB")
    assert again.voucher.redeemed_by == "护士李梅"
    shown = vouchers.get_voucher(desk, v.code)
    assert [(e.kind, e.amount_fen) for e in shown.ledger] == [
        ("redeem", v.value_fen),
        ("reverse", -v.value_fen),
        ("redeem", v.value_fen),
    ]
    assert shown.ledger_net_fen == v.value_fen
    assert len(shown.history) == 4
    assert ledger_total() == redeemed_value()
    assert audit.verify_chain().ok


def test_refusals_each_with_its_error(desk, nurse):
    slip = issued(desk)
    v = next(v for v in slip.vouchers if v.item_code == "EARLY_TEST")
    typo = v.code[:-1] + str((int(v.code[-1]) + 1) % 10)  # one digit mistyped
    with pytest.raises(InvalidInput) as info:
        redemption.redeem(nurse, typo, "LAB")
    assert info.value.details.get("typo") and info.value.exit_code == 2
    from models.codes import new_code

    with pytest.raises(NotFound) as info:
        redemption.redeem(nurse, new_code(), "LAB")
    assert info.value.exit_code == 5
    with pytest.raises(Refused, match="应在检验科核销") as info:
        redemption.redeem(nurse, v.code, "US")
    assert info.value.exit_code == 3
    with pytest.raises(NotFound):
        redemption.redeem(nurse, v.code, "NOWHERE")
    with pytest.raises(NotPermitted):
        redemption.redeem(desk, v.code, "LAB")
    assert Voucher.get(Voucher.code == v.code).state == "issued"


def test_void_then_redeem_is_refused(desk, nurse):
    slip = issued(desk)
    v = slip.vouchers[0]
    with pytest.raises(InvalidInput):
        vouchers.void_voucher(desk, v.code, "  ")
    voided = vouchers.void_voucher(desk, v.code, "服务对象放弃")
    assert voided.state_label == "已作废" and voided.void_reason == "服务对象放弃"
    with pytest.raises(Refused, match="作废"):
        redemption.redeem(nurse, v.code, v.service_point)
    with pytest.raises(Refused):
        vouchers.void_voucher(desk, v.code, "再次作废")
    assert Voucher.select().count() == len(slip.vouchers)  # nothing deleted


def test_redeemed_voucher_cannot_be_voided_and_only_redeemed_can_be_reversed(desk, nurse, boss):
    slip = issued(desk)
    v, other = slip.vouchers[0], slip.vouchers[1]
    redemption.redeem(
        nurse, v.code, v.service_point, result="negative" if v.result_kind == "screening" else None
    )
    with pytest.raises(Refused, match="冲正"):
        vouchers.void_voucher(desk, v.code, "想作废")
    with pytest.raises(Refused, match="只有已核销的券可以冲正"):
        redemption.reverse(boss, other.code, "误操作")
    with pytest.raises(NotPermitted):
        redemption.reverse(nurse, v.code, "误操作")
    with pytest.raises(InvalidInput):
        redemption.reverse(boss, v.code, "")


def test_expired_at_point_of_use_and_by_sweep(desk, nurse):
    slip = issued(desk)  # HN-ZY: 120 days of validity
    first, second = slip.vouchers[0], slip.vouchers[1]
    last_day = first.expires_on
    clock.set_now(at_local(last_day, hour=23))
    assert redemption.redeem(
        nurse, second.code, second.service_point, "negative" if second.result_kind == "screening" else None
    )
    clock.set_now(at_local(last_day + dt.timedelta(days=1), hour=0))
    with pytest.raises(Refused, match="过期") as info:
        redemption.redeem(nurse, first.code, first.service_point)
    assert info.value.details["state"] == "expired"
    assert Voucher.get(Voucher.code == first.code).state == "expired"  # recorded although refused
    swept = vouchers.expire_overdue(None)
    assert swept == len(slip.vouchers) - 2
    assert Voucher.select().where(Voucher.state == "expired").count() == len(slip.vouchers) - 1
    assert vouchers.expire_overdue(None) == 0
    assert audit.verify_chain().ok


def test_screening_result_required_and_positive_issues_follow_up_once(desk, nurse, boss):
    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    ep = episodes.open_child(desk, baby.id)
    slip = issuance.issue_package(desk, ep.id, "LYG-XS")
    heart = next(v for v in slip.vouchers if v.item_code == "HEART_SCREEN")
    with pytest.raises(InvalidInput, match="录入结果"):
        redemption.redeem(nurse, heart.code, "HEART")
    done = redemption.redeem(nurse, heart.code, "HEART", result="阳性")
    assert done.voucher.result_label == "阳性"
    assert [f.item_code for f in done.follow_ups] == ["ECHO_FOLLOWUP"]
    echo = done.follow_ups[0]
    assert echo.follow_up_of == heart.code and echo.value_fen == 60000
    redemption.reverse(boss, heart.code, "结果录错")
    redemption.redeem(nurse, heart.code, "HEART", result="positive")
    assert Voucher.select().where(Voucher.item_code == "ECHO_FOLLOWUP").count() == 1
    hearing = next(v for v in slip.vouchers if v.item_code == "HEARING_SCREEN")
    assert redemption.redeem(nurse, hearing.code, "HEARING", result="positive").follow_ups == []
    with pytest.raises(InvalidInput, match="不是筛查项目"):
        redemption.redeem(nurse, echo.code, "HEART", result="negative")
    assert redemption.redeem(nurse, echo.code, "HEART").voucher.state == "redeemed"
    assert issuance.get_issuance(desk, slip.id).total_value_fen == slip.total_value_fen + 60000


def test_closed_month_never_changes(desk, nurse, boss):
    slip = issued(desk)
    v = slip.vouchers[0]
    clock.set_now(at_local(dt.date(2026, 3, 31), hour=23))
    redemption.redeem(nurse, v.code, v.service_point, "negative" if v.result_kind == "screening" else None)
    assert LedgerEntry.get().period == "2026-03"
    assert Period.get(Period.month == "2026-03").state == "open"  # the posting made the row to lock
    Period.update(state="closed").where(Period.month == "2026-03").execute()
    Period.create(month="2026-04", state="closed")
    clock.set_now(at_local(dt.date(2026, 3, 31), hour=23) + dt.timedelta(minutes=30))
    back = redemption.reverse(boss, v.code, "月底误扫")
    assert back.posted_on == dt.date(2026, 3, 31) and back.period == "2026-05"
    assert "2026-03 已月结，记入 2026-05" in back.message
    march = (
        LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).where(LedgerEntry.period == "2026-03").scalar()
    )
    assert march == v.value_fen
