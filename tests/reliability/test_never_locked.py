"""SQLite never answers "database is locked": many processes on the same codes, a month close
while desks work (issue 13 point 7). Every write transaction there is ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import time

import pytest

from desktop.cli import main as cli_main
from models import clock, db
from models.schema import AuditEvent, Period
from tests.helpers import PASSWORD, make_actor, resident_id
from tests.reliability import invariants, workers

CJK = re.compile(r"[\u4e00-\u9fff]")
CHURNERS = 8
CODES = 20


def start(ctx, target, count: int, *args) -> tuple[list, object, object]:
    """``count`` processes of ``target(url, index, *rest, go, results)``; they begin together."""
    go = ctx.Barrier(count)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(args[0], i, *args[1:], go, results)) for i in range(count)]
    for proc in procs:
        proc.start()
    return procs, results, go  # the caller keeps ``go`` alive until every child has opened it


def collect(procs, results) -> list[dict]:
    reports = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    return reports


@pytest.mark.slow
def test_eight_processes_redeeming_reversing_voiding_the_same_codes_never_see_a_lock(sqlite_url):
    pairs = workers.setup_battery(episodes_count=4, desks=CHURNERS)
    codes = workers.issue_codes(pairs, CODES)
    assert len(codes) == CODES
    db.close()  # the parent holds no connection while the processes work

    ctx = multiprocessing.get_context("spawn")
    procs, results, _go = start(ctx, workers.churn_worker, CHURNERS, sqlite_url, 3.0, codes)
    reports = collect(procs, results)
    db.connect(sqlite_url)

    errors = [e for r in reports for e in r["errors"]]
    assert errors == [], f"only results and Chinese refusals, never 'database is locked': {errors[:2]}"
    refusals = [m for r in reports for m in r["refusals"]]
    assert all(CJK.search(m) for m in refusals), refusals[:5]
    done = {k: sum(r["done"].get(k, 0) for r in reports) for k in ("redeem", "reverse", "void")}
    assert done["redeem"] >= 10 and done["reverse"] >= 5, f"the processes really collided: {done}"
    assert invariants.problems() == []


def months_before(today: dt.date, count: int) -> list[str]:
    """The ``count`` months before ``today``'s month, oldest first."""
    months, first = [], today.replace(day=1)
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(clock.month_of(first))
    return months[::-1]


@pytest.mark.slow
def _a_package_issued_in(month: str) -> None:
    """Data in ``month``: months close in order from the first month with data (issue 14)."""
    from models import clients, episodes, issuance

    clock.set_now(dt.datetime.fromisoformat(f"{month}-15 02:00"))
    try:
        boss = make_actor("supervisor", username="early")
        number = resident_id("19900101", "F")
        client = clients.register_client(boss, id_type="resident", id_number=number, name="测试早").client
        episode = episodes.open_pregnancy(boss, client.id, clock.local_today() - dt.timedelta(days=70))
        issuance.issue_package(boss, episode.id, "HN-ZY")
    finally:
        clock.set_now(None)


def test_close_month_while_four_desks_work_never_fails_with_a_lock(sqlite_url, monkeypatch, capsys):
    _a_package_issued_in(months_before(clock.local_today(), 3)[0])
    pairs = workers.setup_battery(episodes_count=4, desks=4)
    make_actor("finance", username="closer")
    events_before = AuditEvent.select().count()
    db.close()

    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()  # the desks work until every close is done (60 s at most)
    go = ctx.Barrier(4)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=workers.desk_worker, args=(sqlite_url, i, 60.0, pairs, go, results), kwargs={"stop": stop}
        )
        for i in range(4)
    ]
    for proc in procs:
        proc.start()
    db.connect(sqlite_url)
    deadline = time.monotonic() + 60
    while AuditEvent.select().count() < events_before + 10:  # the desks are writing
        assert time.monotonic() < deadline, "the desks never started"
        time.sleep(0.05)
    db.close()

    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    months = months_before(clock.local_today(), 3)
    codes = []
    for month in months:
        codes.append(cli_main(["--db", sqlite_url, "report", "close-month", month, "--as", "closer"]))
    desks_still_working = all(proc.is_alive() for proc in procs)
    stop.set()
    err = capsys.readouterr().err
    reports = collect(procs, results)

    assert codes == [0, 0, 0], err
    assert "locked" not in err and "Traceback" not in err
    assert desks_still_working, "the closes ran while the desks worked"
    assert [e for r in reports for e in r["errors"]] == []
    db.connect(sqlite_url)
    assert {p.month for p in Period.select() if p.state == "closed"} == set(months)
    assert invariants.problems() == []
