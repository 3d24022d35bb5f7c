"""Hash-chained, sealed audit trail.

Every state change calls :func:`record` inside the same transaction as the change. The
event's digest covers the previous event's digest and its own canonical JSON, so changing,
removing or reordering rows breaks the chain at that event. Appends serialise on the single
``audit_head`` row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transactions are
already serial because they begin IMMEDIATE), so the chain stays linear with many desks.

From schema version 6 the digest is HMAC-SHA256 under the desk's audit key, which lives in a
key file outside the database (:mod:`models.audit_key`; ``key_id`` names the key), and each
event carries the images of the money rows it wrote (``row_state``, :mod:`models.audit_rows`).
Someone who can write the database but has no key cannot rebuild the chain after an edit: the
first rebuilt event fails. Events written before version 6 keep their public SHA-256 digest;
after the first sealed event an unsealed one is refused.

There is deliberately no service that edits or deletes events; from schema version 3 the
database itself refuses UPDATE and DELETE on ``audit_event`` (triggers), and ``audit_head``
only moves forward one step at a time. Someone with raw database access can drop those
triggers — :func:`verify_chain` then names the first event that was changed, removed or
reordered. Removing the newest events AND rewinding ``audit_head`` is caught by the recorded
chain heads and the head file (:mod:`models.chain_heads`); the money rows by replaying the
events (:mod:`models.audit_replay`, which ``ffdesk audit verify`` runs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models import audit_key, audit_rows, clock
from models.db import database, is_postgres
from models.errors import InvalidInput
from models.masking import mask_payload
from models.migrations import GENESIS_HASH, SEAL_VERSION
from models.permissions import Actor, require
from models.schema import AuditEvent, AuditHead


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _payload(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    staff_id: int | None,
    staff_name: str,
    workstation: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    *sealed: str | None,
) -> bytes:
    fields = [
        prev_hash,
        seq,
        at.isoformat(timespec="microseconds"),
        staff_id,
        staff_name,
        workstation,
        action,
        entity,
        entity_id,
        before,
        after,
        *sealed,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_hash(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    staff_id: int | None,
    staff_name: str,
    workstation: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
) -> str:
    """The public, unkeyed SHA-256 of an event written before migration 6."""
    payload = _payload(
        prev_hash, seq, at, staff_id, staff_name, workstation, action, entity, entity_id, before, after
    )
    return hashlib.sha256(payload).hexdigest()


def sealed_hash(
    key: bytes,
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    staff_id: int | None,
    staff_name: str,
    workstation: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    key_id: str,
    row_state: str | None,
) -> str:
    """HMAC-SHA256 under the desk's audit key: nobody without the key file can compute it."""
    payload = _payload(
        prev_hash,
        seq,
        at,
        staff_id,
        staff_name,
        workstation,
        action,
        entity,
        entity_id,
        before,
        after,
        key_id,
        row_state,
    )
    return hmac.digest(key, payload, "sha256").hex()


_sealed_db: Any = None  # the database object known to be at SEAL_VERSION or later


def sealing_active() -> bool:
    """Whether the connected database seals events (schema version ≥ 6); cached once true."""
    global _sealed_db
    obj = database.obj
    if obj is not None and obj is _sealed_db:
        return True
    from models.migrations import current_version

    if current_version() >= SEAL_VERSION:
        _sealed_db = obj
        return True
    return False


def row_images(rows: dict[str, Iterable[int]] | None) -> str | None:
    """JSON of the images of ``rows`` ({table: ids}) as they are now (inside the transaction)."""
    if not rows:
        return None
    state = {table: audit_rows.images(table, ids) for table, ids in rows.items() if ids}
    return _json(state) if state else None


def record(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = "",
    before: Any = None,
    after: Any = None,
    *,
    rows: dict[str, Iterable[int]] | None = None,
    _force_seal: bool = False,
) -> AuditEvent:
    """Append one event. Must be called inside the transaction that makes the change.

    ``rows`` names the money rows the change created, changed or deleted ({table: ids}); their
    images as they are now go into the event (``row_state``) for :mod:`models.audit_replay`.
    """
    if not database.in_transaction():
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    sealed = _force_seal or sealing_active()
    key_id, key = audit_key.current_key() if sealed else (None, b"")
    query = AuditHead.select().where(AuditHead.id == 1)
    if is_postgres():
        query = query.for_update()
    head = query.get()
    at = clock.utcnow()
    seq = head.seq + 1
    staff_id = actor.staff.id if actor else None
    staff_name = actor.staff.full_name if actor else "系统"
    workstation = actor.workstation if actor else ""
    before_json, after_json = _json(before), _json(after)
    common = (head.hash, seq, at, staff_id, staff_name, workstation, action, entity, str(entity_id))
    values: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "staff": staff_id,
        "staff_name": staff_name,
        "workstation": workstation,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": before_json,
        "after": after_json,
        "prev_hash": head.hash,
    }
    if sealed:
        row_state = row_images(rows)
        digest = sealed_hash(key, *common, before_json, after_json, key_id, row_state)
        values.update(key_id=key_id, row_state=row_state)
    else:
        digest = event_hash(*common, before_json, after_json)
    values["hash"] = digest
    AuditEvent.insert(**values).execute()
    AuditHead.update(seq=seq, hash=digest).where(AuditHead.id == 1).execute()
    return AuditEvent(**values)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    message: str = ""
    differences: list[Any] = field(default_factory=list)  # models.audit_replay.Difference
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "message": self.message,
            "differences": [d.to_dict() for d in self.differences],
            "notes": list(self.notes),
        }


def _has_seal_columns() -> bool:
    columns = {c.name for c in database.get_columns(AuditEvent._meta.table_name)}
    return "key_id" in columns


def iter_events(chunk: int = 5000) -> Iterator[tuple]:
    """Every event in seq order, ``chunk`` at a time, as tuples (raw SQL: no model overhead):
    (seq, at, staff_id, staff_name, workstation, action, entity, entity_id, before, after,
    prev_hash, hash, key_id, row_state) — the last two None on a database before migration 6."""
    extra = ', "key_id", "row_state"' if _has_seal_columns() else ", NULL, NULL"
    mark = "%s" if is_postgres() else "?"
    sql = (
        'SELECT "seq", "at", "staff_id", "staff_name", "workstation", "action", "entity", "entity_id", '
        f'"before", "after", "prev_hash", "hash"{extra} FROM "audit_event" WHERE "seq" > {mark} '
        f'ORDER BY "seq" LIMIT {int(chunk)}'
    )
    last = 0
    while True:
        rows = database.execute_sql(sql, (last,)).fetchall()
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1][0]


_q = json.encoder.encode_basestring  # type: ignore[attr-defined]  # '"…"' with CJK as is (C speed)


def _iso(value: Any) -> str:
    """``at`` as :func:`_payload` spells it (``isoformat(timespec="microseconds")``), cheaply."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] in " T":
            return value[:10] + "T" + value[11:]
        if len(value) == 19 and value[10] in " T":
            return value[:10] + "T" + value[11:] + ".000000"
    return _as_datetime(value).isoformat(timespec="microseconds")


def _fast_payload(prev: str, seq: int, at: str, staff_id: int | None, *texts: str | None) -> bytes:
    """:func:`_payload` for a verifier walking a million events: the same bytes without building
    a JSON encoder per event (checked against it in tests/models/test_audit.py)."""
    head = f"[{_q(prev)},{seq},{_q(at)},{'null' if staff_id is None else int(staff_id)}"
    rest = "".join(",null" if t is None else "," + _q(t) for t in texts)
    return (head + rest + "]").encode("utf-8")


def _as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


class ChainWalker:
    """Checks each event in turn: sequence, link to the previous event, digest (sealed or not).

    ``check(event)`` returns None or the message naming what is wrong with that event.
    """

    def __init__(self, ring: audit_key.KeyRing, sealed_schema: bool) -> None:
        self.ring = ring
        self.sealed_schema = sealed_schema
        self.prev_hash = GENESIS_HASH
        self.expected_seq = 1
        self.checked = 0
        self.seen_sealed = False

    def check(self, event: tuple) -> str | None:
        seq, at, staff_id, name, ws, action, entity, entity_id, before, after, prev, digest, key_id, rows = (
            event
        )
        if seq != self.expected_seq:
            return f"审计事件 #{self.expected_seq} 缺失或顺序被改动"

        def what() -> str:
            return f"{action} {entity}#{entity_id}，{clock.format_local(_as_datetime(at), True)}"

        common = (self.prev_hash, seq, _iso(at), staff_id, name, ws, action, entity, entity_id, before, after)
        if key_id is None:
            if self.seen_sealed or rows is not None:
                return f"审计事件 #{seq}（{what()}）没有封印：审计链从这里起被人用公开算法重建或插入"
            expected = hashlib.sha256(_fast_payload(*common)).hexdigest()
        else:
            key = self.ring.key(key_id)
            if key is None:
                return audit_key.missing_message(key_id)
            self.seen_sealed = True
            expected = hmac.digest(key, _fast_payload(*common, key_id, rows), "sha256").hex()
        if prev != self.prev_hash or not hmac.compare_digest(digest, expected):
            return f"审计事件 #{seq}（{what()}）被篡改、重建或顺序被改动（封印不符）"
        self.prev_hash = digest
        self.expected_seq += 1
        self.checked += 1
        return None

    def finish(self) -> VerifyResult | None:
        """After the last event: the chain against ``audit_head`` (None when they agree)."""
        checked = self.checked
        if self.sealed_schema and checked and not self.seen_sealed:
            return VerifyResult(False, checked, 1, "审计链中没有任何封印事件：整条链可能已被人用公开算法重建")
        head = AuditHead.get_or_none(AuditHead.id == 1)
        if head is not None and head.seq > checked:
            return VerifyResult(
                False,
                checked,
                checked + 1,
                f"审计事件 #{checked + 1} 起缺失（末尾被删除）：应有 {head.seq} 条，实有 {checked} 条",
            )
        if head is not None and head.seq < checked:
            return VerifyResult(
                False, checked, head.seq + 1, f"审计事件 #{head.seq + 1} 起是链头之外多出的事件（被插入）"
            )
        if head is not None and head.hash != self.prev_hash:
            return VerifyResult(
                False, checked, head.seq, f"审计事件 #{head.seq} 与链头记录的哈希不符（被替换）"
            )
        return None


def new_walker() -> ChainWalker:
    from models.migrations import current_version

    return ChainWalker(audit_key.load(), current_version() >= SEAL_VERSION)


def verify_chain() -> VerifyResult:
    """Walk the chain in ``seq`` order; name the first event that was changed, removed, reordered
    or rebuilt without the key."""
    walker = new_walker()
    for event in iter_events():
        problem = walker.check(event)
        if problem:
            return VerifyResult(False, walker.checked, walker.expected_seq, problem)
    return walker.finish() or VerifyResult(
        True, walker.checked, None, f"审计链完整，共 {walker.checked} 条事件"
    )


def verify(actor: Actor, progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """The whole check for a signed-in person holding ``audit.read``: the chain, its recorded
    heads and head file, and every money row replayed from the events (:mod:`models.audit_replay`)."""
    require(actor, "audit.read")
    from models import audit_replay

    return audit_replay.verify_all(progress)


def rotate_key(actor: Actor) -> tuple[str, str | None]:
    """``ffdesk audit rotate-key`` (settings.manage): a new sealing key; old keys stay for verifying.

    The event that records the rotation is the first one sealed with the new key. Every other
    desk then needs the new key file (export-key / import-key) to verify the events after it.
    """
    require(actor, "settings.manage")
    from models.db import run_in_transaction

    new_id, old_id = audit_key.rotate()
    run_in_transaction(
        lambda: record(
            actor, "audit.rotate_key", "database", "", after={"key_id": new_id, "previous": old_id}
        )
    )
    return new_id, old_id


@dataclass(frozen=True)
class EventView:
    """One audit event for lists (times as stored: naive UTC; format with models.clock)."""

    seq: int
    at: dt.datetime
    staff_id: int | None
    staff_name: str
    workstation: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": clock.format_local(self.at, seconds=True),
            "staff_id": self.staff_id,
            "staff_name": self.staff_name,
            "workstation": self.workstation,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
        }


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def list_events(
    actor: Actor,
    limit: int = 50,
    action: str | None = None,
    entity: str | None = None,
    entity_id: Any = None,
    staff_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[EventView]:
    """The newest events first, filtered. ``action`` ending in ``.`` or ``*`` matches a prefix
    (``staff.`` → every staff event). ``since``/``until`` are naive UTC, [since, until)."""
    require(actor, "audit.read")
    if limit < 1 or limit > 10000:
        raise InvalidInput("条数应在 1 到 10000 之间")
    query = AuditEvent.select().order_by(AuditEvent.seq.desc()).limit(limit)
    if action:
        if action.endswith(("*", ".")):
            query = query.where(AuditEvent.action.startswith(action.rstrip("*")))
        else:
            query = query.where(AuditEvent.action == action)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == str(entity_id))
    if staff_id is not None:
        query = query.where(AuditEvent.staff == staff_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return [
        EventView(
            seq=e.seq,
            at=e.at,
            staff_id=e.staff_id,
            staff_name=e.staff_name,
            workstation=e.workstation,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            before=mask_payload(actor, e.entity, _loads(e.before)),
            after=mask_payload(actor, e.entity, _loads(e.after)),
        )
        for e in query
    ]
