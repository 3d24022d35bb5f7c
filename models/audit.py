"""Hash-chained audit trail.

Every state change calls :func:`record` inside the same transaction as the change. The
event's hash covers the previous event's hash and its own canonical JSON, so changing,
removing or reordering rows breaks the chain at that event. Appends serialise on the single
``audit_head`` row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transactions are
already serial because they begin IMMEDIATE), so the chain stays linear with many desks.

There is deliberately no service that edits or deletes events; from schema version 3 the
database itself refuses UPDATE and DELETE on ``audit_event`` (triggers), and ``audit_head``
only moves forward one step at a time. Someone with raw database access can drop those
triggers — :func:`verify_chain` then names the first event that was changed, removed or
reordered. (Removing the newest events AND rewinding ``audit_head`` cannot be seen from the
database alone; keep the printed daily head hash for that.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from models import clock
from models.db import database, is_postgres
from models.errors import InvalidInput
from models.masking import mask_payload
from models.migrations import GENESIS_HASH
from models.permissions import Actor, require
from models.schema import AuditEvent, AuditHead


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


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
    payload = json.dumps(
        [
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
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    actor: Actor | None, action: str, entity: str, entity_id: Any = "", before: Any = None, after: Any = None
) -> AuditEvent:
    """Append one event. Must be called inside the transaction that makes the change."""
    if not database.in_transaction():
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
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
    digest = event_hash(
        head.hash,
        seq,
        at,
        staff_id,
        staff_name,
        workstation,
        action,
        entity,
        str(entity_id),
        before_json,
        after_json,
    )
    event = AuditEvent.create(
        seq=seq,
        at=at,
        staff=staff_id,
        staff_name=staff_name,
        workstation=workstation,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before_json,
        after=after_json,
        prev_hash=head.hash,
        hash=digest,
    )
    AuditHead.update(seq=seq, hash=digest).where(AuditHead.id == 1).execute()
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "message": self.message,
        }


def verify_chain() -> VerifyResult:
    """Walk the chain in ``seq`` order; name the first event that was changed, removed or reordered."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.select().order_by(AuditEvent.seq).iterator():
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"审计事件 #{expected_seq} 缺失或顺序被改动")
        stored_at = (
            event.at if isinstance(event.at, dt.datetime) else dt.datetime.fromisoformat(str(event.at))
        )
        digest = event_hash(
            prev_hash,
            event.seq,
            stored_at,
            event.staff_id,
            event.staff_name,
            event.workstation,
            event.action,
            event.entity,
            event.entity_id,
            event.before,
            event.after,
        )
        if event.prev_hash != prev_hash or event.hash != digest:
            what = f"{event.action} {event.entity}#{event.entity_id}，{clock.format_local(stored_at, True)}"
            return VerifyResult(
                False, checked, event.seq, f"审计事件 #{event.seq}（{what}）被篡改或顺序被改动（哈希不符）"
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
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
    if head is not None and head.hash != prev_hash:
        return VerifyResult(False, checked, head.seq, f"审计事件 #{head.seq} 与链头记录的哈希不符（被替换）")
    return VerifyResult(True, checked, None, f"审计链完整，共 {checked} 条事件")


def verify(actor: Actor) -> VerifyResult:
    """:func:`verify_chain` for a signed-in person holding ``audit.read``."""
    require(actor, "audit.read")
    return verify_chain()


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
