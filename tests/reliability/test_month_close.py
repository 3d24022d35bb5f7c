"""Desks redeeming and reversing at 23:59:5x on the month's last day while finance closes it.

Each process has its own frozen clock (the stand-in for the server's): the desks are still on
30 November, finance is already on 1 December. Whatever the interleaving, the closed month's
frozen snapshot must equal the ledger rows of that month, to the fen, and a desk whose posting
committed after the close must have been told it went to December.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import peewee as pw
import pytest

from models import catalog, clock, db, issuance, redemption
from models.schema import LedgerEntry, Period, ServicePoint, Voucher
from tests.helpers import make_actor
from tests.reliability import invariants, workers

DESKS = 4
SECONDS = 20.0  # at most: the desks stop half a second after the close
CLOSE_AFTER = 0.7  # seconds into the desks' work
MONTH = "2026-11"
DESK_CLOCKS = ["2026-11-30 23:59:55", "2026-11-30 23:59:57", "2026-11-30 23:59:58", "2026-11-30 23:59:59"]
FINANCE_CLOCK = "2026-12-01 00:00:02"


def prepare() -> None:
    """Desks' staff, finance, 4 pregnancies with 20 vouchers on 30 November, half redeemed."""
    clock.set_now(dt.datetime(2026, 11, 30, 9, 0, tzinfo=clock.LOCAL_TZ))
    pairs = workers.setup_battery(episodes_count=4, desks=DESKS)
    make_actor("finance", username="close_fin")
    desk = workers._actor(0)
    for episode_id, package in pairs:
        if package == "HN-ZY":
            issuance.issue_package(desk, episode_id, package)
    rows = (
        Voucher.select(Voucher.code, Voucher.result_kind, ServicePoint.code.alias("point"))
        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
        .order_by(Voucher.id)
        .dicts()
    )
    for row in list(rows)[::2]:
        redemption.redeem(
            desk, row["code"], row["point"], "negative" if row["result_kind"] == "screening" else None
        )
    clock.set_now(None)


def race(url: str, unlocked: bool = False, delay: float = 0.03) -> tuple[list[dict], dict]:
    """Run the desks and finance at once; returns (desk reports, finance report)."""
    db.close()
    ctx = multiprocessing.get_context("spawn")
    go, closed = ctx.Barrier(DESKS + 1), ctx.Event()
    results, closing = ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(
            target=workers.close_race_desk,
            args=(url, i, DESK_CLOCKS[i], SECONDS, go, results, unlocked, delay, closed),
        )
        for i in range(DESKS)
    ]
    procs.append(
        ctx.Process(
            target=workers.close_race_finance,
            args=(url, "close_fin", MONTH, FINANCE_CLOCK, CLOSE_AFTER, go, closing, unlocked, closed),
        )
    )
    for proc in procs:
        proc.start()
    reports = [results.get(timeout=90) for _ in range(DESKS)]
    finance = closing.get(timeout=90)
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    db.connect(url)
    return reports, finance


def ledger_of(month: str) -> dict[str, tuple[int, int]]:
    """kind → (rows, fen) of the ledger rows posted to ``month``."""
    query = (
        LedgerEntry.select(LedgerEntry.kind, pw.fn.COUNT(LedgerEntry.id), pw.fn.SUM(LedgerEntry.amount_fen))
        .where(LedgerEntry.period == month)
        .group_by(LedgerEntry.kind)
        .tuples()
    )
    return {kind: (int(n), int(fen)) for kind, n, fen in query}


def snapshot_of(month: str) -> dict[str, tuple[int, int]]:
    totals = json.loads(Period.get(Period.month == month).snapshot)["totals"]
    return {
        "redeem": (totals["redeemed_count"], totals["redeemed_fen"]),
        "reverse": (totals["reversed_count"], -totals["reversed_fen"]),
    }


@pytest.mark.slow
def test_nothing_slips_into_a_month_while_it_closes(db_url):
    prepare()
    reports, finance = race(db_url)

    assert finance["errors"] == [] and finance["closed_at"] is not None
    assert [e for r in reports for e in r["errors"]] == []
    ledger = ledger_of(MONTH)
    assert snapshot_of(MONTH) == {k: ledger.get(k, (0, 0)) for k in ("redeem", "reverse")}, (
        "snapshot = ledger"
    )

    told = [p for r in reports for p in r["postings"]]
    november = [p for p in told if p[2] == MONTH]
    december = [p for p in told if p[2] == "2026-12"]
    assert november and december, "the close really landed in the middle of the desks' work"
    assert len(november) + len(december) == len(told)
    periods_in_db = dict(LedgerEntry.select(LedgerEntry.id, LedgerEntry.period).tuples())
    assert all(periods_in_db[ledger_id] == period for ledger_id, _, period, _ in told), "told = posted"
    assert all("2026-11 已月结，记入 2026-12" in message for *_, message in december)
    assert all("已月结" not in message for *_, message in november)
    assert invariants.problems() == []


@pytest.mark.slow
def test_the_race_catches_a_close_that_locks_nothing(pg_url):
    """Self-test: without the period row lock, postings slip in behind the snapshot (PostgreSQL)."""
    catalog.load_catalog(catalog.default_catalog_path())
    prepare()
    _reports, finance = race(pg_url, unlocked=True, delay=0.1)
    assert finance["errors"] == []
    ledger = ledger_of(MONTH)
    assert snapshot_of(MONTH) != {k: ledger.get(k, (0, 0)) for k in ("redeem", "reverse")}
