"""Desks racing each other: several processes redeem the same vouchers and issue the same package.

Each process connects on its own (multiprocessing 'spawn') to the same SQLite file or
PostgreSQL database and starts at a barrier, so the requests really collide.
"""

from __future__ import annotations

import multiprocessing as mp
import random

import peewee as pw
import pytest

from models import audit, issuance
from models.schema import Issuance, LedgerEntry, Voucher
from tests.helpers import make_actor
from tests.models.lifecycle import pregnancy

PROCESSES = 4
pytestmark = pytest.mark.slow


def _redeem_worker(url, username, targets, seed, barrier, results):
    from models import db, redemption, staff
    from models.errors import Refused

    db.connect(url)
    actor = staff.actor_for(staff.get_staff(username))
    order = list(targets)
    random.Random(seed).shuffle(order)
    won, refused = [], []
    barrier.wait(timeout=60)
    for code, point, result in order:
        try:
            redemption.redeem(actor, code, point, result)
            won.append(code)
        except Refused as exc:
            refused.append((code, exc.details.get("state")))
    db.close()
    results.put((username, won, refused))


def _issue_worker(url, username, episode_id, package, barrier, results):
    from models import db, issuance, staff

    db.connect(url)
    actor = staff.actor_for(staff.get_staff(username))
    barrier.wait(timeout=60)
    view = issuance.issue_package(actor, episode_id, package)
    db.close()
    results.put((view.id, view.created, sorted(v.code for v in view.vouchers)))


def _issue_worker_on_test_day(url, username, episode_id, package, barrier, results):
    from tests.models.lifecycle import freeze

    freeze()  # the clock of the lifecycle tests, in this process too
    _issue_worker(url, username, episode_id, package, barrier, results)


def _run(target, args_for):
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(i), barrier, results)) for i in range(PROCESSES)]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def test_racing_redemptions_have_exactly_one_winner_each(db_url):
    desk = make_actor("frontdesk")
    nurses = [make_actor("nurse", username=f"racer{i}").staff.username for i in range(PROCESSES)]
    view = issuance.issue_package(desk, pregnancy(desk, 12).id, "HN-YC")
    targets = [
        (v.code, v.service_point, "negative" if v.result_kind == "screening" else None) for v in view.vouchers
    ]

    out = _run(_redeem_worker, lambda i: (db_url, nurses[i], targets, i))

    winners: dict[str, list[str]] = {}
    for username, won, refused in out:
        for code in won:
            winners.setdefault(code, []).append(username)
        assert {state for _, state in refused} <= {"redeemed"}
        assert len(won) + len(refused) == len(targets)
    assert sorted(winners) == sorted(code for code, _, _ in targets)
    assert all(len(names) == 1 for names in winners.values())
    redeems = LedgerEntry.select().where(LedgerEntry.kind == "redeem")
    assert redeems.count() == len(targets)
    assert LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).scalar() == view.total_value_fen
    assert Voucher.select().where(Voucher.state == "redeemed").count() == len(targets)
    assert audit.verify_chain().ok


def test_racing_issuance_gives_one_set_of_vouchers(db_url):
    desk = make_actor("frontdesk")
    users = [make_actor("frontdesk", username=f"desk{i}").staff.username for i in range(PROCESSES)]
    episode_id = pregnancy(desk, 8).id

    out = _run(_issue_worker, lambda i: (db_url, users[i], episode_id, "HN-ZY"))

    assert len({issuance_id for issuance_id, _, _ in out}) == 1
    assert sum(created for _, created, _ in out) == 1
    assert len({tuple(codes) for _, _, codes in out}) == 1
    assert Issuance.select().count() == 1
    assert Voucher.select().count() == len(out[0][2])
    assert audit.verify_chain().ok


def test_racing_issuance_of_two_newborn_packages_holds_one_heel_prick(db_url):
    from models import clients, episodes
    from tests.models.lifecycle import TODAY, freeze, woman

    freeze()
    desk = make_actor("frontdesk")
    users = [make_actor("frontdesk", username=f"nb{i}").staff.username for i in range(PROCESSES)]
    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    episode_id = episodes.open_child(desk, baby.id).id
    packages = ["HN-XS", "LYG-XS"]

    out = _run(_issue_worker_on_test_day, lambda i: (db_url, users[i], episode_id, packages[i % 2]))

    assert Issuance.select().count() == 2
    heel = Voucher.select().where(Voucher.item_code.in_(["NEWBORN_SCREEN", "METABOLIC_SCREEN"]))
    assert heel.count() == 1, [v.item_code for v in heel]
    assert len({issuance_id for issuance_id, _, _ in out}) == 2
    assert audit.verify_chain().ok
