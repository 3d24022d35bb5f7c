"""Month close: months in order, from the first month with data, never ahead of the server's date;
nothing dated lands in a closed month — on SQLite and PostgreSQL (issue 14, points 1–3)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from desktop.cli import main
from models import certificates, clients, clock, episodes, issuance, periods, redemption, vouchers
from models.errors import Refused
from models.schema import AuditEvent, LedgerEntry, Period
from tests.helpers import PASSWORD, make_actor, resident_id


def at(local: str) -> None:
    clock.set_now(dt.datetime.fromisoformat(local).replace(tzinfo=clock.LOCAL_TZ))


@pytest.fixture
def books(db_url):
    """Vouchers issued and one redeemed in September 2026, another redeemed in November; today 5 December."""
    desk, nurse, boss, clerk = (make_actor(r) for r in ("frontdesk", "nurse", "supervisor", "finance"))
    at("2026-09-10 09:30")
    woman = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19950203", "F"), name="李晓梅"
    ).client
    episode = episodes.open_pregnancy(desk, woman.id, dt.date(2026, 8, 1))
    slip = issuance.issue_package(desk, episode.id, "HN-ZY")
    codes = {v.item_code: v.code for v in slip.vouchers}
    redemption.redeem(nurse, codes["EARLY_TEST"], "LAB")
    at("2026-11-05 10:00")
    second = next(v for v in slip.vouchers if v.item_code != "EARLY_TEST" and v.result_kind != "screening")
    redemption.redeem(nurse, second.code, second.service_point)
    at("2026-12-05 10:00")
    return {"desk": desk, "nurse": nurse, "boss": boss, "clerk": clerk, "codes": codes, "slip": slip}


def closed_months() -> list[str]:
    return [p.month for p in Period.select().where(Period.state == "closed").order_by(Period.month)]


def test_months_close_in_order_from_the_first_month_with_data(books):
    clerk = books["clerk"]
    refusals = {
        "1999-01": "1999-01 没有任何业务数据，不能月结（最早的数据在 2026-09）",
        "2026-08": "2026-08 没有任何业务数据",
        "2026-10": "请先结账 2026-09：月份必须按顺序月结",
        "2026-11": "请先结账 2026-10：月份必须按顺序月结，下一个应月结的是 2026-09",
        "2026-12": "2026-12 尚未结束，不能月结（今天是 2026-12-05，只能月结 2026-11 及以前的月份）",
        "2027-01": "2027-01 尚未结束",
    }
    for month, message in refusals.items():
        with pytest.raises(Refused) as refused:
            periods.close_month(clerk, month)
        assert message in refused.value.message
    assert closed_months() == [], "a refusal changes nothing"
    assert not AuditEvent.select().where(AuditEvent.action == "period.close").exists()

    periods.close_month(clerk, "2026-09")  # the first month with data needs no month before it
    periods.close_month(clerk, "2026-10")  # a month without business still closes, in its turn
    periods.close_month(clerk, "2026-11")
    assert closed_months() == ["2026-09", "2026-10", "2026-11"]
    with pytest.raises(Refused, match="2026-10 已于 2026-12-05 10:00 月结，不能重复月结"):
        periods.close_month(clerk, "2026-10")
    assert not hasattr(periods, "reopen_month")


def test_a_month_with_only_blank_forms_received_is_a_first_month_with_data(db_url):
    clerk, admin = make_actor("finance"), make_actor("admin")
    at("2026-07-20 10:00")
    certificates.receive(admin, "R", 1, 10)
    at("2026-08-03 10:00")
    with pytest.raises(Refused, match="最早的数据在 2026-07"):
        periods.close_month(clerk, "2026-06")
    assert periods.close_month(clerk, "2026-07").state == "closed"


def test_corrections_post_to_the_open_month_and_say_so(books):
    periods.close_month(books["clerk"], "2026-09")
    back = redemption.reverse(books["boss"], books["codes"]["EARLY_TEST"], "复核后冲正")
    assert (back.posted_on, back.period) == (dt.date(2026, 12, 5), "2026-12")
    snapshot = json.loads(Period.get(Period.month == "2026-09").snapshot)["totals"]
    assert snapshot["reversed_count"] == 0 and snapshot["redeemed_count"] == 1


def test_nothing_dated_lands_in_a_closed_month(books):
    clerk, boss = books["clerk"], books["boss"]
    admin = make_actor("admin")
    periods.close_month(clerk, "2026-09")
    periods.close_month(clerk, "2026-10")
    with pytest.raises(Refused, match="入库日期 2026-10-31 所在的 2026-10 已月结，不能记入已结账的月份"):
        certificates.receive(admin, "R", 1, 10, received_on=dt.date(2026, 10, 31))
    with pytest.raises(Refused, match="2026-09 已月结"):
        certificates.receive(admin, "R", 1, 10, received_on=dt.date(2026, 9, 1))
    with pytest.raises(Refused, match="2026-08 已月结"):  # before the first closed month is closed too
        certificates.receive(admin, "R", 1, 10, received_on=dt.date(2026, 8, 1))
    assert certificates.list_batches() == []
    batch = certificates.receive(admin, "R", 1, 10, received_on=dt.date(2026, 11, 2))
    assert batch.received_on == dt.date(2026, 11, 2)
    certificates.void_form(admin, "R000000001", "运输破损", approver=boss)
    with pytest.raises(Refused, match="销毁日期 2026-10-30 所在的 2026-10 已月结"):
        certificates.destroy_form(admin, "R000000001", dt.date(2026, 10, 30), "孙监销")
    assert certificates.get_form("R000000001").state == "voided"

    # the server's clock went back into October: nothing may land there
    at("2026-10-31 23:59")
    last = next(v for v in reversed(books["slip"].vouchers) if v.result_kind != "screening")
    with pytest.raises(Refused, match="作废日期 2026-10-31 所在的 2026-10 已月结"):
        vouchers.void_voucher(books["desk"], last.code, "客户放弃")
    with pytest.raises(Refused, match="发券日期 2026-10-31 所在的 2026-10 已月结"):
        issuance.issue_package(books["desk"], books["slip"].episode_id, "LYG-CQ")
    # a redemption then posts to the first open month and says so
    done = redemption.redeem(books["nurse"], last.code, last.service_point)
    assert done.period == "2026-11" and "2026-10 已月结，记入 2026-11" in done.message


def test_the_day_comes_from_the_database_server_not_the_desk_clock(db_url, monkeypatch):
    clerk, admin, desk, nurse = (make_actor(r) for r in ("finance", "admin", "frontdesk", "nurse"))
    server_today = clock.server_today()
    woman = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19950203", "F"), name="李晓梅"
    ).client
    pregnancy = episodes.open_pregnancy(desk, woman.id, server_today - dt.timedelta(days=70))
    desk_clock = dt.datetime(2031, 1, 1, 4, 0)  # this desk's clock is years ahead
    monkeypatch.setattr(clock, "utcnow", lambda: desk_clock)
    assert clock.local_today() == dt.date(2031, 1, 1) and clock.server_today() == server_today
    this_month = clock.month_of(server_today)
    with pytest.raises(Refused, match=f"{this_month} 尚未结束，不能月结（今天是 {server_today}"):
        periods.close_month(clerk, this_month)
    assert certificates.receive(admin, "R", 1, 2).received_on == server_today
    slip = issuance.issue_package(desk, pregnancy.id, "HN-ZY")
    assert slip.issued_at.startswith(server_today.isoformat())  # shown in local time
    assert {v.valid_from for v in slip.vouchers} == {server_today}
    item = next(v for v in slip.vouchers if v.result_kind != "screening")
    done = redemption.redeem(nurse, item.code, item.service_point)
    assert (done.posted_on, done.period) == (server_today, this_month)
    with pytest.raises(Exception, match="晚于今天"):
        certificates.receive(admin, "R", 3, 4, received_on=server_today + dt.timedelta(days=1))


def test_close_month_from_the_command_line_says_why_not(books, monkeypatch, capsys, db_url):
    monkeypatch.setenv("FFDESK_DB", db_url)
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    user = books["clerk"].staff.username
    assert main(["report", "close-month", "2026-10", "--as", user]) == 3
    assert "请先结账 2026-09" in capsys.readouterr().err
    assert main(["report", "close-month", "2026-09", "--as", user, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "closed"
    assert LedgerEntry.select().where(LedgerEntry.period == "2026-10").count() == 0
