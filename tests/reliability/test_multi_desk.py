"""Several desks at once: N processes issuing and redeeming the same vouchers on one database."""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter

import pytest

from models import db
from models.schema import Issuance, Voucher
from tests.reliability import invariants, workers

DESKS = 4
SECONDS = 2.0
CJK = re.compile(r"[\u4e00-\u9fff]")


def run_desks(url: str, pairs, broken: bool = False, seconds: float = SECONDS) -> list[dict]:
    db.close()  # the parent holds no connection while the desks work
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Barrier(DESKS)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=workers.desk_worker, args=(url, i, seconds, pairs, go, results, broken))
        for i in range(DESKS)
    ]
    for proc in procs:
        proc.start()
    reports = [results.get(timeout=90) for _ in procs]
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    db.connect(url)
    return reports


@pytest.fixture
def pairs(db_url):
    found = workers.setup_battery(episodes_count=4, desks=DESKS)
    db.close()
    return found


@pytest.mark.slow
def test_desks_never_pay_twice_nor_lose_an_issuance(db_url, pairs):
    reports = run_desks(db_url, pairs)

    errors = [e for r in reports for e in r["errors"]]
    assert errors == [], "every failure is a clear refusal, never an exception (no 'database is locked')"
    refusals = [r for rep in reports for r in rep["refusals"]]
    assert all(CJK.search(message) for _, message in refusals), refusals[:5]

    created = [tuple(c[:2]) for r in reports for c in r["created"]]
    issued = {(i.episode_id, i.package_code) for i in Issuance.select()}
    assert len(created) == len(set(created)), "one issuance per episode and package, whoever asked"
    assert set(created) == issued and len(issued) == Issuance.select().count(), "no issuance lost or doubled"

    redeemed = [code for r in reports for code, _ in r["redeemed"]]
    doubled = [code for code, n in Counter(redeemed).items() if n > 1]
    assert doubled == [], f"vouchers redeemed twice: {doubled}"
    in_db = {v.code for v in Voucher.select(Voucher.code).where(Voucher.state == "redeemed")}
    assert set(redeemed) == in_db, "every redemption a desk was told about is in the database, and no other"

    assert invariants.problems() == []
    # the run really collided: desks were refused on vouchers another desk had just redeemed
    assert len(redeemed) >= 10 and sum(r["repeated"] for r in reports) > 0
    assert any("核销" in message for _, message in refusals)


@pytest.mark.slow
def test_the_battery_catches_a_redemption_without_its_state_check(sqlite_url):
    """Self-test: with ``state = 'issued'`` removed from redeem(), the same run must fail."""
    pairs = workers.setup_battery(episodes_count=2, desks=DESKS)
    reports = run_desks(sqlite_url, pairs, broken=True, seconds=1.0)
    redeemed = [code for r in reports for code, _ in r["redeemed"]]
    doubled = [code for code, n in Counter(redeemed).items() if n > 1]
    assert doubled, "the broken redemption paid a voucher twice and the battery saw it"
    assert any("ledger nets 2" in p or "ledger nets 3" in p for p in invariants.problems())
