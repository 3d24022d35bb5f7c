"""Crashes: kill -9 inside transactions leaves a sound database with nothing half done."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import time

import pytest

from models import audit, certificates, clock, db, issuance, periods
from models.schema import AuditEvent, Issuance, LedgerEntry, Period, ServicePoint, Voucher
from tests.helpers import make_actor
from tests.reliability import invariants, workers

ctx = multiprocessing.get_context("spawn")


def kill_when(proc, ready, timeout: float = 30) -> None:
    assert ready.wait(timeout), "the child never reached the point to kill it at"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert proc.exitcode == -signal.SIGKILL


def run_and_kill(url: str, *args) -> None:
    db.close()
    ready = ctx.Event()
    proc = ctx.Process(target=workers.stuck_worker, args=(url, *args, ready))
    proc.start()
    kill_when(proc, ready)
    db.connect(url)


@pytest.mark.slow
def test_kill_during_a_long_transaction_leaves_nothing(db_url):
    before = audit.verify_chain()
    db.close()
    ready = ctx.Event()
    proc = ctx.Process(target=workers.long_transaction, args=(db_url, 200, ready))
    proc.start()
    kill_when(proc, ready)
    db.connect(db_url)
    assert invariants.integrity_problems() == []
    assert AuditEvent.select().where(AuditEvent.action == "test.partial").count() == 0
    assert audit.verify_chain() == before
    # and the database takes writes again at once (no lock left behind)
    make_actor("admin")
    assert audit.verify_chain().ok


@pytest.mark.slow
def test_kill_inside_issuance_redemption_and_month_close(db_url):
    pairs = workers.setup_battery(episodes_count=2, desks=1)
    desk = workers.DESK_USER.format(0)
    actor = workers._actor(0)
    make_actor("finance", username="battery_fin")

    # issuance: killed after the issuance and vouchers were written, before commit
    episode_id, package = pairs[0]
    run_and_kill(db_url, desk, "issue", (episode_id, package))
    assert not Issuance.select().where(Issuance.episode == episode_id).exists()
    assert Voucher.select().count() == 0
    assert invariants.problems() == []

    # redemption: killed after the conditional UPDATE and the ledger row
    issuance.issue_package(actor, *pairs[1])
    voucher = Voucher.select().join(ServicePoint, on=(Voucher.service_point == ServicePoint.id)).first()
    result = "negative" if voucher.result_kind == "screening" else None
    run_and_kill(db_url, desk, "redeem", (voucher.code, voucher.service_point.code, result))
    assert Voucher.get_by_id(voucher.id).state == "issued"
    assert LedgerEntry.select().count() == 0
    assert invariants.problems() == []

    # month close: killed after the frozen snapshot was written; last month holds data (blank
    # forms received on its last day), so it is the first month that may be closed
    last_day = clock.local_today().replace(day=1) - dt.timedelta(days=1)
    last_month = clock.month_of(last_day)
    certificates.receive(make_actor("admin"), "R", 1, 10, received_on=last_day)
    run_and_kill(db_url, "battery_fin", "close", (last_month,))
    assert not Period.select().where((Period.month == last_month) & (Period.state == "closed")).exists()
    assert invariants.problems() == []
    # everything works again afterwards
    from models import staff
    from models.schema import Staff

    periods.close_month(staff.actor_for(Staff.get(Staff.username == "battery_fin")), last_month)
    assert periods.is_closed(last_month)
    assert invariants.problems() == []


@pytest.mark.slow
def test_kill_at_random_points_while_issuing_and_redeeming(db_url):
    pairs = workers.setup_battery(episodes_count=6, desks=1)
    rng = random.Random()
    db.close()
    for _round in range(3):
        ready = ctx.Event()
        proc = ctx.Process(target=workers.crash_worker, args=(db_url, 0, pairs, ready, 0.02))
        proc.start()
        assert ready.wait(30)
        time.sleep(rng.uniform(0.1, 0.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
        db.connect(db_url)
        assert invariants.problems() == []
        db.close()
    db.connect(db_url)
    assert Issuance.select().count() > 0, "the worker did get work done between the kills"
