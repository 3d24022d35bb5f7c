"""Audit trail: events, the hash chain under concurrent desks, tamper detection, DB guards."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import time

import peewee
import pytest

from models import audit, db, staff
from models.db import database, is_postgres, run_in_transaction
from models.errors import InvalidInput, NotPermitted
from models.schema import AuditEvent, AuditHead, Staff
from tests.helpers import make_actor


def write_events(actor, count: int, action: str = "test.event") -> None:
    for i in range(count):
        with database.atomic():
            audit.record(actor, action, "thing", i, before={"n": i}, after={"n": i + 1, "名": "张小丽"})


def seqs() -> list[int]:
    return [e.seq for e in AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq)]


def drop_guards() -> None:
    """What someone with raw database access would do before tampering."""
    if is_postgres():
        database.execute_sql('ALTER TABLE "audit_event" DISABLE TRIGGER USER')
        database.execute_sql('ALTER TABLE "audit_head" DISABLE TRIGGER USER')
    else:
        for name in (
            "audit_event_no_update",
            "audit_event_no_delete",
            "audit_head_forward",
            "audit_head_no_delete",
        ):
            database.execute_sql(f'DROP TRIGGER "{name}"')


def raw(sql: str, *params) -> None:
    with database.atomic():
        database.execute_sql(sql, params)


# --- events --------------------------------------------------------------------------------------


def test_event_names_who_where_what_and_before_after(db_url, monkeypatch):
    monkeypatch.setenv("FFDESK_WORKSTATION", "B超室-2")
    actor = make_actor("nurse", full_name="王护士")
    with database.atomic():
        event = audit.record(
            actor, "voucher.redeem", "voucher", 42, before={"state": "issued"}, after={"state": "redeemed"}
        )
    stored = AuditEvent.get(AuditEvent.seq == event.seq)
    assert stored.staff_id == actor.staff.id
    assert stored.staff_name == "王护士"
    assert stored.workstation == "B超室-2"
    assert (stored.action, stored.entity, stored.entity_id) == ("voucher.redeem", "voucher", "42")
    assert json.loads(stored.before) == {"state": "issued"}
    assert json.loads(stored.after) == {"state": "redeemed"}
    assert AuditHead.get_by_id(1).seq == stored.seq


def test_record_outside_a_transaction_is_a_programming_error(db_url):
    with pytest.raises(RuntimeError):
        audit.record(None, "test.event", "thing", 1)


def test_event_rolls_back_with_the_change(db_url):
    actor = make_actor("admin")
    before = seqs()
    with pytest.raises(ZeroDivisionError), database.atomic():
        audit.record(actor, "test.event", "thing", 1)
        _ = 1 / 0
    assert seqs() == before
    assert audit.verify_chain().ok


def test_list_events_newest_first_with_filters(db_url):
    auditor = make_actor("finance")
    write_events(auditor, 3, action="test.alpha")
    write_events(auditor, 2, action="test.beta")
    listed = audit.list_events(auditor, limit=4)
    assert [e.seq for e in listed] == sorted(seqs(), reverse=True)[:4]
    assert [e.action for e in audit.list_events(auditor, action="test.alpha")] == ["test.alpha"] * 3
    assert len(audit.list_events(auditor, action="test.")) == 5
    assert audit.list_events(auditor, action="test.beta")[0].after == {"n": 2, "名": "张小丽"}
    assert [e.entity_id for e in audit.list_events(auditor, entity="thing", entity_id=0)] == ["0", "0"]
    with pytest.raises(InvalidInput):
        audit.list_events(auditor, limit=0)


def test_reading_and_verifying_the_trail_needs_audit_read(db_url):
    nurse = make_actor("nurse")
    with pytest.raises(NotPermitted):
        audit.list_events(nurse)
    with pytest.raises(NotPermitted):
        audit.verify(nurse)
    assert audit.verify(make_actor("supervisor")).ok


# --- the database refuses edits ---------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET staff_name = 'someone else' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 1",
        "DELETE FROM audit_event",
        "UPDATE audit_head SET seq = seq - 1, hash = 'x'",
        "DELETE FROM audit_head",
    ],
)
def test_database_refuses_to_change_or_delete_audit_rows(db_url, statement):
    write_events(make_actor("admin"), 3)
    before = [(e.seq, e.staff_name, e.hash) for e in AuditEvent.select().order_by(AuditEvent.seq)]
    with pytest.raises(peewee.DatabaseError, match=r"append-only|only moves forward"):
        raw(statement)
    assert [(e.seq, e.staff_name, e.hash) for e in AuditEvent.select().order_by(AuditEvent.seq)] == before
    assert audit.verify_chain().ok


# --- tampering with raw SQL is found ------------------------------------------------------------

K = 5


def _change_after(k: int, last: int) -> int:
    raw(f"UPDATE audit_event SET after = '{{\"n\": 999}}' WHERE seq = {k}")
    return k


def _change_staff(k: int, last: int) -> int:
    other = Staff.select(peewee.fn.MAX(Staff.id)).scalar()
    raw(f"UPDATE audit_event SET staff_id = {int(other)} WHERE seq = {k}")
    return k


def _change_time(k: int, last: int) -> int:
    raw(
        f"UPDATE audit_event SET at = at - INTERVAL '1 hour' WHERE seq = {k}"
        if is_postgres()
        else f"UPDATE audit_event SET at = datetime(at, '-1 hour') WHERE seq = {k}"
    )
    return k


def _change_workstation(k: int, last: int) -> int:
    raw(f"UPDATE audit_event SET workstation = 'elsewhere' WHERE seq = {k}")
    return k


def _delete(k: int, last: int) -> int:
    raw(f"DELETE FROM audit_event WHERE seq = {k}")
    return k


def _swap(k: int, last: int) -> int:
    with database.atomic():
        database.execute_sql(f"UPDATE audit_event SET seq = -1 WHERE seq = {k}")
        database.execute_sql(f"UPDATE audit_event SET seq = {k} WHERE seq = {k + 2}")
        database.execute_sql(f"UPDATE audit_event SET seq = {k + 2} WHERE seq = -1")
    return k


def _delete_last(k: int, last: int) -> int:
    raw(f"DELETE FROM audit_event WHERE seq = {last}")
    return last


def _rehash(k: int, last: int) -> int:
    """Change event k and recompute its hash with the public SHA-256: events are sealed with the
    key file's HMAC key, so event k itself no longer verifies."""
    e = AuditEvent.get(AuditEvent.seq == k)
    digest = audit.event_hash(
        e.prev_hash,
        e.seq,
        e.at,
        e.staff_id,
        e.staff_name,
        e.workstation,
        e.action,
        e.entity,
        e.entity_id,
        e.before,
        '{"n": 0}',
    )
    raw(f"UPDATE audit_event SET after = '{{\"n\": 0}}', hash = '{digest}' WHERE seq = {k}")
    return k


@pytest.mark.parametrize(
    "tamper",
    [_change_after, _change_staff, _change_time, _change_workstation, _delete, _swap, _delete_last, _rehash],
)
def test_verify_names_the_first_tampered_event(db_url, tamper):
    actor = make_actor("admin")
    make_actor("nurse")  # somebody else to blame
    write_events(actor, 8)
    last = max(seqs())
    assert audit.verify_chain().ok
    assert audit.verify_chain().checked == last
    drop_guards()
    expected = tamper(K, last)
    result = audit.verify_chain()
    assert not result.ok
    assert result.first_bad_seq == expected
    assert f"#{expected}" in result.message


# --- concurrent desks ------------------------------------------------------------------------------

WORKERS = 4
PER_WORKER = 25


def _desk(url: str, worker: int, staff_id: int, ready, start) -> None:
    os.environ["FFDESK_WORKSTATION"] = f"desk-{worker}"
    db.connect(url)
    actor = staff.actor_for(Staff.get_by_id(staff_id))
    ready.release()
    start.wait(60)
    for i in range(PER_WORKER):

        def work(i: int = i) -> None:
            audit.record(actor, "test.concurrent", "desk", worker, after={"i": i})

        run_in_transaction(work)
        time.sleep(0.002)  # let the other desks in between, as real desks would
    db.close()


@pytest.mark.slow
def test_chain_stays_linear_with_four_desks_writing_at_once(db_url):
    actor = make_actor("frontdesk")
    first = max(seqs())
    db.close()
    ctx = multiprocessing.get_context("spawn")
    ready, start = ctx.Semaphore(0), ctx.Event()
    desks = [
        ctx.Process(target=_desk, args=(db_url, w, actor.staff.id, ready, start)) for w in range(WORKERS)
    ]
    for p in desks:
        p.start()
    for _ in desks:  # every desk connected and waiting: then all start at once
        assert ready.acquire(timeout=60)
    start.set()
    for p in desks:
        p.join(120)
    assert [p.exitcode for p in desks] == [0] * WORKERS
    db.connect(db_url)
    assert seqs() == list(range(1, first + WORKERS * PER_WORKER + 1))
    result = audit.verify_chain()
    assert result.ok, result.message
    rows = list(AuditEvent.select().where(AuditEvent.action == "test.concurrent").order_by(AuditEvent.seq))
    for w in range(WORKERS):
        mine = [json.loads(e.after)["i"] for e in rows if e.workstation == f"desk-{w}"]
        assert mine == list(range(PER_WORKER))
    # the desks really interleaved (otherwise this test proves nothing about locking)
    order = [e.workstation for e in rows]
    assert sum(1 for a, b in itertools.pairwise(order) if a != b) > WORKERS


def test_the_verifier_fast_payload_is_the_recorded_payload():
    """The walker's string-built payload gives exactly the bytes models.audit hashes on record."""
    import datetime as dt

    at = dt.datetime(2026, 3, 15, 2, 0, 0, 120)
    texts = ("王护士", 'ws "1"\n', "voucher.redeem", "voucher", "42", None, '{"a": "乙"}', "k1", None)
    for staff_id in (None, 7):
        slow = audit._payload("ab" * 32, 9, at, staff_id, *texts)
        for spelled in (str(at), at.isoformat(), at):
            assert audit._fast_payload("ab" * 32, 9, audit._iso(spelled), staff_id, *texts) == slow
    whole = dt.datetime(2026, 3, 15, 2, 0)
    assert audit._iso(str(whole)) == whole.isoformat(timespec="microseconds")
