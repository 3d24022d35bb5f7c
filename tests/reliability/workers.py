"""Functions that run in child processes (multiprocessing "spawn" imports them by name).

Each child connects on its own; results travel back through a Queue as plain data.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from models import audit, db


def keep_writing(url: str, seconds: float, started) -> None:
    """Append audit events (each in its own transaction) for ``seconds``; sets ``started`` first."""
    os.environ.setdefault("FFDESK_WORKSTATION", f"writer-{os.getpid()}")
    db.connect(url)
    started.set()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        db.run_in_transaction(lambda n=n: audit.record(None, "test.write", "test", n, after={"n": n}))
    db.close()


def long_transaction(url: str, rows: int, ready) -> None:
    """One transaction writing ``rows`` audit events slowly; ``ready`` is set half-way (then kill -9)."""
    db.connect(url)

    def work() -> None:
        for i in range(rows):
            audit.record(None, "test.partial", "test", i, after={"i": i})
            if i == rows // 2:
                db.database.execute_sql("SELECT 1")
                ready.set()
            time.sleep(0.01)

    db.run_in_transaction(work)
    db.close()


# --- the multi-desk battery ------------------------------------------------------------------------------

DESK_USER = "battery_desk{}"


def setup_battery(episodes_count: int, desks: int) -> list[tuple[int, str]]:
    """In the connected, migrated database: desks' staff and open pregnancies at 10 weeks.

    Returns the (episode id, package code) pairs the desks will issue, all eligible.
    """
    import datetime as dt
    import random

    from models import clients, clock, episodes
    from tests.helpers import make_actor, resident_id

    boss = None
    for i in range(desks):
        actor = make_actor("supervisor", username=DESK_USER.format(i))
        boss = boss or actor
    rng = random.Random(20260315)
    pairs: list[tuple[int, str]] = []
    lmp = clock.local_today() - dt.timedelta(days=70)
    for i in range(episodes_count):
        number = resident_id(f"199{i % 10}0{1 + i % 9}1{i % 10}", "F", rng=rng)
        client = clients.register_client(
            boss, id_type="resident", id_number=number, name=f"测试{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}"
        ).client
        episode = episodes.open_pregnancy(boss, client.id, lmp)
        pairs += [(episode.id, "HN-ZY"), (episode.id, "HN-YC")]
    return pairs


def _actor(index: int):
    from models import staff
    from models.schema import Staff

    return staff.actor_for(Staff.get(Staff.username == DESK_USER.format(index)))


def _break_redemption() -> None:
    """Mutation for the self-test: remove the ``state = 'issued'`` condition from redeem()."""
    import peewee as pw

    from models import redemption
    from models.schema import Voucher

    class WithoutStateCheck:
        state = type("AnyState", (), {"__eq__": lambda self, other: pw.SQL("1 = 1")})()

        def __getattr__(self, name):
            return getattr(Voucher, name)

    redemption.Voucher = WithoutStateCheck()


def _slow_audit(delay: float) -> None:
    """Make every transaction linger just before its audit event (a kill then lands mid-transaction)."""
    from models import audit

    original = audit.record

    def record(*args, **kwargs):
        time.sleep(delay)
        return original(*args, **kwargs)

    audit.record = record


def desk_worker(
    url: str,
    index: int,
    seconds: float,
    pairs: list[tuple[int, str]],
    go,
    results,
    broken: bool = False,
    audit_delay: float = 0.0,
    stop=None,
) -> None:
    """One desk issuing and redeeming for ``seconds`` (or until ``stop`` is set); reports everything it was told."""
    import random
    import traceback

    from models import issuance, redemption
    from models.errors import FfdeskError
    from models.schema import ServicePoint, Voucher

    os.environ["FFDESK_WORKSTATION"] = f"desk-{index}"
    if broken:
        _break_redemption()
    if audit_delay:
        _slow_audit(audit_delay)
    report: dict = {
        "index": index,
        "created": [],
        "repeated": 0,
        "redeemed": [],
        "refusals": [],
        "errors": [],
    }
    try:
        db.connect(url)
        actor = _actor(index)
        rng = random.Random(index)
        go.wait(60)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            try:
                if rng.random() < 0.3:
                    episode_id, package = rng.choice(pairs)
                    view = issuance.issue_package(actor, episode_id, package)
                    if view.created:
                        report["created"].append((episode_id, package, view.id))
                    else:
                        report["repeated"] += 1
                else:
                    # the same few vouchers on purpose: desks collide on them
                    candidates = list(
                        Voucher.select(Voucher.code, ServicePoint.code.alias("point"), Voucher.result_kind)
                        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
                        .where(Voucher.state.in_(["issued", "redeemed"]))
                        .order_by((Voucher.state == "redeemed"), Voucher.id)
                        .limit(4)
                        .dicts()
                    )
                    if not candidates:
                        continue
                    pick = rng.choice(candidates)
                    result = "negative" if pick["result_kind"] == "screening" else None
                    done = redemption.redeem(actor, pick["code"], pick["point"], result)
                    report["redeemed"].append((pick["code"], done.ledger_id))
            except FfdeskError as exc:
                report["refusals"].append((type(exc).__name__, exc.message))
            except Exception as exc:
                report["errors"].append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
    except Exception as exc:
        report["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
        results.put(report)


def crash_worker(url: str, index: int, pairs: list[tuple[int, str]], ready, audit_delay: float) -> None:
    """Issue and redeem without end (until killed), each transaction lingering before its audit event."""
    import random

    from models import issuance, redemption
    from models.errors import FfdeskError
    from models.schema import ServicePoint, Voucher

    _slow_audit(audit_delay)
    db.connect(url)
    actor = _actor(index)
    rng = random.Random()
    ready.set()
    while True:
        try:
            if rng.random() < 0.5:
                episode_id, package = rng.choice(pairs)
                issuance.issue_package(actor, episode_id, package)
            else:
                row = (
                    Voucher.select(Voucher.code, ServicePoint.code.alias("point"), Voucher.result_kind)
                    .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
                    .where(Voucher.state == "issued")
                    .order_by(Voucher.id)
                    .dicts()
                    .first()
                )
                if row:
                    result = "negative" if row["result_kind"] == "screening" else None
                    redemption.redeem(actor, row["code"], row["point"], result)
        except FfdeskError:
            pass


def stuck_worker(url: str, username: str, action: str, argument: tuple, ready) -> None:
    """Start ``action`` and hang inside its transaction, just before its audit event (then kill -9).

    By then the issuance and its vouchers, the redemption's UPDATE and ledger row, or the
    month's frozen snapshot have been written — but not committed.
    """
    from models import audit, issuance, periods, redemption, staff
    from models.schema import Staff

    def hang(*args, **kwargs):
        ready.set()
        time.sleep(60)

    audit.record = hang
    db.connect(url)
    actor = staff.actor_for(Staff.get(Staff.username == username))
    if action == "issue":
        issuance.issue_package(actor, *argument)
    elif action == "redeem":
        redemption.redeem(actor, *argument)
    elif action == "close":
        periods.close_month(actor, *argument)


def issue_codes(pairs: list[tuple[int, str]], count: int) -> list[tuple[str, str, str | None]]:
    """Issue the battery's packages until ``count`` vouchers exist; their (code, point, result)."""
    from models import issuance
    from models.schema import ServicePoint, Voucher

    actor = _actor(0)
    for episode_id, package in pairs:
        issuance.issue_package(actor, episode_id, package)
        if Voucher.select().count() >= count:
            break
    rows = (
        Voucher.select(Voucher.code, ServicePoint.code.alias("point"), Voucher.result_kind)
        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
        .order_by(Voucher.id)
        .limit(count)
        .dicts()
    )
    return [(r["code"], r["point"], "negative" if r["result_kind"] == "screening" else None) for r in rows]


def churn_worker(url: str, index: int, seconds: float, codes: list, go, results) -> None:
    """Redeem, reverse and void the same few codes for ``seconds``; reports what it was told.

    Every outcome must be a result or a Chinese refusal (``FfdeskError``); anything else —
    "database is locked" above all — lands in ``errors``.
    """
    import random
    import traceback

    from models import redemption, vouchers
    from models.errors import FfdeskError

    os.environ["FFDESK_WORKSTATION"] = f"churn-{index}"
    report: dict = {"index": index, "done": Counter(), "refusals": [], "errors": []}
    try:
        db.connect(url)
        actor = _actor(index)
        rng = random.Random(index)
        go.wait(60)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            code, point, result = rng.choice(codes)
            action = rng.choices(["redeem", "reverse", "void"], weights=[6, 5, 1])[0]
            try:
                if action == "redeem":
                    redemption.redeem(actor, code, point, result)
                elif action == "reverse":
                    redemption.reverse(actor, code, "冲正测试")
                else:
                    vouchers.void_voucher(actor, code, "作废测试")
                report["done"][action] += 1
            except FfdeskError as exc:
                report["refusals"].append(exc.message)
            except Exception as exc:
                report["errors"].append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
    except Exception as exc:
        report["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
        report["done"] = dict(report["done"])
        results.put(report)


# --- desks posting while finance closes the month ----------------------------------------------------------


def _freeze(now_iso: str) -> None:
    """This process's clock (the stand-in for the server's) at a local Shanghai time."""
    import datetime as dt

    from models import clock

    clock.set_now(dt.datetime.fromisoformat(now_iso).replace(tzinfo=clock.LOCAL_TZ))


def _unlock_periods() -> None:
    """Mutation for the self-test: period rows neither created nor locked (the code before issue 14)."""
    from models import periods

    periods.LOCKING = False


def close_race_desk(
    url: str, index: int, now_iso: str, seconds: float, go, results, unlocked: bool, delay: float, closed=None
) -> None:
    """A desk at ``now_iso`` (23:59:5x on the month's last day) redeeming and reversing at random.

    Reports every posting it was told about: (ledger id, kind, amount, period, message).
    """
    import random
    import traceback

    from models import redemption
    from models.errors import FfdeskError
    from models.schema import ServicePoint, Voucher

    os.environ["FFDESK_WORKSTATION"] = f"desk-{index}"
    _freeze(now_iso)
    if unlocked:
        _unlock_periods()
    if delay:
        _slow_audit(delay)
    report: dict = {"index": index, "postings": [], "refusals": [], "errors": []}
    try:
        db.connect(url)
        actor = _actor(index)
        rng = random.Random(index)
        go.wait(60)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if closed is not None and closed.is_set():  # work on a little after the close, then stop
                deadline = min(deadline, time.monotonic() + 0.5)
                closed = None
            pick = rng.choice(
                list(
                    Voucher.select(
                        Voucher.code, Voucher.state, Voucher.result_kind, ServicePoint.code.alias("point")
                    )
                    .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
                    .where(Voucher.state.in_(["issued", "redeemed"]))
                    .dicts()
                )
            )
            try:
                if pick["state"] == "issued":
                    result = "negative" if pick["result_kind"] == "screening" else None
                    done = redemption.redeem(actor, pick["code"], pick["point"], result)
                else:
                    done = redemption.reverse(actor, pick["code"], "月末核对冲正")
                report["postings"].append((done.ledger_id, done.amount_fen, done.period, done.message))
            except FfdeskError as exc:
                report["refusals"].append((type(exc).__name__, exc.message))
            except Exception as exc:
                report["errors"].append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
    except Exception as exc:
        report["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
        results.put(report)


def close_race_finance(
    url: str, username: str, month: str, now_iso: str, after: float, go, results, unlocked: bool, closed=None
) -> None:
    """Finance at ``now_iso`` closing ``month`` ``after`` seconds into the desks' run."""
    from models import periods, staff
    from models.schema import Staff

    _freeze(now_iso)
    if unlocked:
        _unlock_periods()
    report: dict = {"closed_at": None, "errors": []}
    try:
        db.connect(url)
        actor = staff.actor_for(Staff.get(Staff.username == username))
        go.wait(60)
        time.sleep(after)
        period = periods.close_month(actor, month)
        report["closed_at"] = period.closed_at
        if closed is not None:
            closed.set()
    except Exception as exc:
        report["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
        results.put(report)


# --- desks replacing the same birth certificate at once ----------------------------------------------------


def replace_worker(
    url: str,
    username: str,
    episode_id: int,
    data: dict,
    replaces: str,
    now_iso: str,
    go,
    results,
    broken: bool,
) -> None:
    """Replace the certificate on ``replaces`` (a damaged form); reports the new serial or the refusal."""
    from models import certificates, staff
    from models.errors import FfdeskError
    from models.schema import Staff

    _freeze(now_iso)
    if broken:  # the code before issue 14: replace whatever is current, whatever the desk named
        certificates._superseded = lambda kind, head, named: head
    outcome: dict = {"serial": None, "refusal": None, "error": None}
    try:
        db.connect(url)
        actor = staff.actor_for(Staff.get(Staff.username == username))
        go.wait(60)
        view = certificates.issue(
            actor, episode_id, "replace", data, desk="一号台", reason="证件污损换发", replaces=replaces
        )
        outcome["serial"] = view.serial
    except FfdeskError as exc:
        outcome["refusal"] = exc.message
    except Exception as exc:
        outcome["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        db.close()
        results.put(outcome)
