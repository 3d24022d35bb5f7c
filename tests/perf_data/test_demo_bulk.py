"""The bulk generator's data keeps the rules the services keep (both backends, 2,000 vouchers)."""

from __future__ import annotations

import datetime as dt

import pytest

from models import audit_replay, clock, demo_bulk, finance, identity
from models.db import database
from models.schema import AuditEvent, Client, Voucher

N = 2000
NOW = dt.datetime(2026, 3, 18, 6, 0)  # UTC, 14:00 in Shanghai


@pytest.fixture
def bulk(db_url):
    clock.set_now(NOW)
    return demo_bulk.generate(N, seed=7)


def scalar(sql: str, params: tuple = ()) -> int:
    return int(database.execute_sql(sql, params).fetchone()[0] or 0)


def test_counts_and_mix(bulk):
    assert N <= Voucher.select().count() == bulk.vouchers < N + 20
    states = dict(database.execute_sql('SELECT "state", COUNT(*) FROM "voucher" GROUP BY "state"').fetchall())
    assert set(states) == {"issued", "redeemed", "voided", "expired"}
    assert 0.5 < states["redeemed"] / N < 0.7
    assert bulk.reversed > 0 and len(bulk.closed_months) >= 3
    assert scalar('SELECT COUNT(*) FROM "family_link"') > 0
    kinds = {r[0] for r in database.execute_sql('SELECT DISTINCT "kind" FROM "episode"').fetchall()}
    assert kinds == {"prepregnancy", "pregnancy", "child"}


def test_voucher_states_agree_with_net_ledger(bulk):
    rows = database.execute_sql(
        'SELECT v."state", COALESCE(SUM(CASE WHEN l."kind" = \'redeem\' THEN 1 WHEN l."kind" = \'reverse\' THEN -1 ELSE 0 END), 0) AS net, '
        'COALESCE(SUM(l."amount_fen"), 0), v."value_fen" '
        'FROM "voucher" v LEFT JOIN "ledger_entry" l ON l."voucher_id" = v."id" GROUP BY v."id", v."state", v."value_fen"'
    ).fetchall()
    for state, net, amount, value in rows:
        assert net == (1 if state == "redeemed" else 0)
        assert amount == (value if state == "redeemed" else 0)
    # Periods are the local month of the posting day, and no row is posted into the future.
    assert (
        scalar(
            'SELECT COUNT(*) FROM "ledger_entry" WHERE "period" <> SUBSTR(CAST("posted_on" AS TEXT), 1, 7)'
        )
        == 0
    )
    assert scalar('SELECT COUNT(*) FROM "ledger_entry" WHERE "posted_on" > %s' if database.obj.param == "%s"
                  else 'SELECT COUNT(*) FROM "ledger_entry" WHERE "posted_on" > ?', (clock.local_today(),)) == 0  # fmt: skip


def test_reconciliation_totals_equal_raw_sql(bulk):
    month = bulk.closed_months[-1]
    first, last = finance.month_bounds(month)
    totals = finance.compute_reconciliation(first, last, month=month).totals()
    p = database.obj.param
    redeemed = database.execute_sql(
        f'SELECT COUNT(*), COALESCE(SUM("amount_fen"), 0) FROM "ledger_entry" WHERE "period" = {p} AND "kind" = \'redeem\'',
        (month,),
    ).fetchone()
    reversed_ = database.execute_sql(
        f'SELECT COUNT(*), COALESCE(-SUM("amount_fen"), 0) FROM "ledger_entry" WHERE "period" = {p} AND "kind" = \'reverse\'',
        (month,),
    ).fetchone()
    start, end = clock.local_day_bounds_utc(first, last)
    issued = database.execute_sql(
        f'SELECT COUNT(*), COALESCE(SUM("value_fen"), 0) FROM "voucher" WHERE "issued_at" >= {p} AND "issued_at" < {p}',
        (start, end),
    ).fetchone()
    voided = database.execute_sql(
        f'SELECT COUNT(*), COALESCE(SUM("value_fen"), 0) FROM "voucher" WHERE "voided_at" >= {p} AND "voided_at" < {p}',
        (start, end),
    ).fetchone()
    assert (totals.redeemed_count, totals.redeemed_fen) == tuple(int(x) for x in redeemed)
    assert (totals.reversed_count, totals.reversed_fen) == tuple(int(x) for x in reversed_)
    assert (totals.issued_count, totals.issued_fen) == tuple(int(x) for x in issued)
    assert (totals.voided_count, totals.voided_fen) == tuple(int(x) for x in voided)
    assert totals.redeemed_count > 0 and totals.issued_count > 0


def test_audit_chain_verifies_and_covers_every_change(bulk):
    result = audit_replay.verify_all()  # the sealed chain and every money row replayed from it
    assert result.ok, result.message
    assert "行金额数据与审计事件一致" in result.message
    assert AuditEvent.select().where(AuditEvent.action == "voucher.issue").count() == bulk.issuances
    redeems = AuditEvent.select().where(AuditEvent.action == "voucher.redeem").count()
    assert redeems == scalar('SELECT COUNT(*) FROM "ledger_entry" WHERE "kind" = \'redeem\'')
    assert AuditEvent.select().where(AuditEvent.action == "period.close").count() == len(bulk.closed_months)
    # In time order: a later sequence number never has an earlier time (the database's own
    # set-up events, written at the real time before the clock was set back, aside).
    own = ("audit.seal_start", "catalog.load")
    times = [
        e.at
        for e in AuditEvent.select(AuditEvent.at)
        .where(AuditEvent.action.not_in(own))
        .order_by(AuditEvent.seq)
    ]
    assert times == sorted(times)


def test_every_id_number_validates_and_pinyin_matches(bulk):
    from models.pinyin import pinyin_keys

    clients = list(Client.select())
    assert len(clients) == bulk.clients
    for client in clients:
        if client.id_number is not None:
            checked = identity.validate_resident_id(client.id_number)
            assert checked.birth_date == client.birth_date and checked.sex == client.sex
        assert (client.name_pinyin, client.name_initials) == pinyin_keys(client.name)


def test_a_second_run_adds_to_the_same_database(bulk):
    more = demo_bulk.generate(500, seed=8)
    assert Voucher.select().count() == bulk.vouchers + more.vouchers
    assert more.closed_months == []  # the months of the first run stay closed, nothing posted into them
    assert audit_replay.verify_all().ok
