"""Verify proves the money: replay the events and compare every money row with them.

One pass over the events (seq order, in chunks) checks the sealed chain and keeps, for each
money row, the sequence number and a fingerprint of the image its latest event gives. Then one
pass per money table (id order, in chunks) compares each row with that fingerprint. A row
changed outside ffdesk, a row with no event (inserted by SQL) and an event whose row is gone
(deleted by SQL) are each named — table, record, field, value found, value the events give —
by reading back the one event that gave the expected image. Memory: 16 bytes per row id.

Then the chain is checked against every recorded head (``chain_head``) and the head file
beside the backups (:mod:`models.chain_heads`).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models import audit, audit_rows, chain_heads, migrations
from models.db import database, is_postgres

Progress = Callable[[int, int], None]
MAX_NAMED = 50
_DELETED = ("\x00deleted",)


def _fingerprint(img: list[Any] | None) -> int:
    # SipHash with this process's random key: a row cannot be crafted to match another image
    return hash(_DELETED if img is None else tuple(img))


@dataclass(frozen=True)
class Difference:
    table: str
    record: int
    field: str  # a column, or "(整行)" for a row that should not / should exist
    found: Any
    expected: Any  # what the events give
    seq: int | None  # the event that gives the expected value

    @property
    def message(self) -> str:
        label = audit_rows.TABLE_LABELS.get(self.table, self.table)
        where = f"{label}（{self.table}）#{self.record}"
        source = f"审计事件 #{self.seq}" if self.seq else "审计事件"
        if self.field == "(整行)":
            if self.expected is None and self.seq is None:
                return f"{where}：没有任何审计事件记录它（在 ffdesk 之外插入）"
            if self.expected is None:
                return f"{where}：{source} 记录它已删除，但它仍在数据库中"
            return f"{where}：已不在数据库中，但{source} 记录了它（在 ffdesk 之外删除）"
        return f"{where} 字段 {self.field}：数据库中为 {self.found!r}，{source} 给出的值为 {self.expected!r}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "record": self.record,
            "field": self.field,
            "found": self.found,
            "expected": self.expected,
            "seq": self.seq,
            "message": self.message,
        }


class _Expected:
    """Per row id: the seq of its latest event (negated once the row was seen) and its fingerprint."""

    def __init__(self) -> None:
        self.seq = array("q")
        self.fp = array("q")

    def set(self, row_id: int, seq: int, fp: int) -> None:
        if row_id >= len(self.seq):
            grow = max(row_id + 1, 2 * len(self.seq)) - len(self.seq)
            self.seq.extend([0] * grow)
            self.fp.extend([0] * grow)
        self.seq[row_id] = seq
        self.fp[row_id] = fp


class _Replay:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.expected = {table: _Expected() for table in audit_rows.COLUMNS}
        self.differences: list[Difference] = []
        self.count = 0  # every difference, also those beyond MAX_NAMED
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 5000 == 0 or self.done >= self.total):
            self.progress(min(self.done, self.total), self.total)

    def take(self, seq: int, row_state: str) -> None:
        for table, rows in json.loads(row_state).items():
            store = self.expected.get(table)
            if store is None:
                continue
            for row_id, img in rows.items():
                store.set(int(row_id), seq, _fingerprint(audit_rows.from_event(table, img)))

    def differ(self, diff: Difference) -> None:
        self.count += 1
        if len(self.differences) < MAX_NAMED:
            self.differences.append(diff)

    def compare(self, table: str) -> None:
        store = self.expected[table]
        seqs, fps = store.seq, store.fp
        deleted = _fingerprint(None)
        size = len(seqs)
        for row_id, img in audit_rows.stream(table):
            self.tick()
            seq = seqs[row_id] if row_id < size else 0
            if seq <= 0:
                self.differ(Difference(table, row_id, "(整行)", img, None, None))
                continue
            seqs[row_id] = -seq
            fp = _fingerprint(img)
            if fp == fps[row_id]:
                continue
            if fps[row_id] == deleted:
                self.differ(Difference(table, row_id, "(整行)", img, None, seq))
            else:
                want_img = _event_image(seq, table, row_id)
                for name, found, want in zip(audit_rows.COLUMNS[table], img, want_img, strict=True):
                    if found != want:
                        self.differ(Difference(table, row_id, name, found, want, seq))
        for row_id in range(size):
            seq = seqs[row_id]
            if seq > 0 and fps[row_id] != deleted:
                self.differ(Difference(table, row_id, "(整行)", None, _event_image(seq, table, row_id), seq))


def _event_image(seq: int, table: str, row_id: int) -> list[Any]:
    mark = "%s" if is_postgres() else "?"
    row = database.execute_sql(
        f'SELECT "row_state" FROM "audit_event" WHERE "seq" = {mark}', (seq,)
    ).fetchone()
    return audit_rows.from_event(table, json.loads(row[0])[table][str(row_id)])


def voucher_disagreement(voucher_id: int, issuance_id: int) -> list[Difference]:
    """The cheap check before paying: this voucher against its own latest event (the redemption,
    void, reversal… that named it, else its issuance). Empty when they agree or when the voucher's
    events carry no image (written before migration 6)."""
    mark = "%s" if is_postgres() else "?"
    row = database.execute_sql(
        f'SELECT "seq", "row_state" FROM "audit_event" WHERE "row_state" IS NOT NULL AND '
        f'(("entity" = {mark} AND "entity_id" = {mark}) OR ("entity" = {mark} AND "entity_id" = {mark})) '
        'ORDER BY "seq" DESC LIMIT 1',
        ("voucher", str(voucher_id), "issuance", str(issuance_id)),
    ).fetchone()
    if row is None:
        return []
    want = json.loads(row[1]).get("voucher", {}).get(str(voucher_id))
    if want is None:
        return []
    found = audit_rows.images("voucher", [voucher_id])[str(voucher_id)]
    if found is None:
        return []
    return [
        Difference("voucher", voucher_id, name, f, w, row[0])
        for name, f, w in zip(audit_rows.COLUMNS["voucher"], found, want, strict=True)
        if f != w
    ]


def _event_count() -> int:
    return int(database.execute_sql('SELECT COUNT(*) FROM "audit_event"').fetchone()[0])


def _check_heads(hashes: dict[int, str], last_seq: int, use_head_file: bool) -> str | None:
    """The chain against every recorded head and the head file (None when they agree)."""
    for seq, digest, kind, label in chain_heads.recorded_heads():
        actual = hashes.get(seq)
        if actual is None:
            return f"{_KIND.get(kind, kind)}（{label}）记录的链头 #{seq} 已不在审计链中（审计链在 #{last_seq} 结束）：最新的事件被删除"
        if not actual.startswith(digest):
            return (
                f"{_KIND.get(kind, kind)}（{label}）记录的链头 #{seq} 摘要 {digest} 与审计链不符：事件被替换"
            )
    entry = chain_heads.file_head() if use_head_file else None
    if entry is not None:
        seq, digest = int(entry.get("seq", 0)), str(entry.get("digest", ""))
        actual = hashes.get(seq)
        where = f"本机链头文件 {chain_heads.head_file()}（{entry.get('at', '')}）"
        if actual is None and seq > 0:
            return (
                f"{where}记录审计链已到 #{seq}，但数据库中的审计链在 #{last_seq} 结束：最新的事件被删除、链头被回退"
                "（如确是从备份恢复，请用 ffdesk restore 恢复，它会更新链头文件）"
            )
        if actual is not None and not actual.startswith(digest):
            return f"{where}记录的链头 #{seq} 摘要 {digest} 与审计链不符：事件被替换或整条链被重建"
    return None


_KIND = {"daily_close": "日结", "month_close": "月结", "backup": "备份"}


def verify_all(progress: Progress | None = None, use_head_file: bool = True) -> audit.VerifyResult:
    """The chain (sealed), its recorded heads and head file, and every money row replayed.

    ``use_head_file`` False: a backup being checked or just restored (the head file describes
    the database before it)."""
    version = migrations.current_version()
    replay_rows = version >= audit.SEAL_VERSION
    tables = list(audit_rows.COLUMNS) if replay_rows else []
    total = _event_count() + sum(audit_rows.count(t) for t in tables)
    replay = _Replay(progress, total)
    wanted = {seq for seq, *_ in chain_heads.recorded_heads()}
    entry = chain_heads.file_head() if use_head_file else None
    if entry is not None:
        wanted.add(int(entry.get("seq", 0)))
    hashes: dict[int, str] = {}
    walker = audit.new_walker()
    for event in audit.iter_events():
        problem = walker.check(event)
        if problem:
            return audit.VerifyResult(False, walker.checked, walker.expected_seq, problem)
        seq, row_state = event[0], event[13]
        if seq in wanted:
            hashes[seq] = event[11]
        if row_state is not None:
            replay.take(seq, row_state)
        replay.tick()
    broken = walker.finish()
    if broken is not None:
        return broken
    checked = walker.checked
    problem = _check_heads(hashes, checked, use_head_file)
    if problem:
        return audit.VerifyResult(False, checked, None, problem)
    notes: list[str] = []
    if not replay_rows:
        notes.append(f"数据库结构版本 {version} 的审计事件没有记录行内容：只核对了审计链，未逐行核对金额数据")
    else:
        baseline = _baseline_note()
        if baseline:
            notes.append(baseline)
    for table in tables:
        replay.compare(table)
    if replay.progress is not None:
        replay.progress(replay.total, replay.total)
    if replay.count:
        first = replay.differences[0]
        more = (
            f"（共 {replay.count} 处不符，列出前 {len(replay.differences)} 处）" if replay.count > 1 else ""
        )
        return audit.VerifyResult(
            False,
            checked,
            first.seq,
            f"金额数据与审计事件不符{more}：{first.message}",
            differences=replay.differences,
            notes=notes,
        )
    rows = replay.done - checked
    message = f"审计链完整，共 {checked} 条事件" + (
        f"；{rows} 行金额数据与审计事件一致" if replay_rows else ""
    )
    return audit.VerifyResult(True, checked, None, message, notes=notes)


def _baseline_note() -> str | None:
    mark = "%s" if is_postgres() else "?"
    row = database.execute_sql(
        f'SELECT MIN("seq"), COUNT(*) FROM "audit_event" WHERE "action" = {mark}', ("audit.baseline",)
    ).fetchone()
    if not row or not row[1]:
        return None
    return f"审计事件 #{row[0]} 起的 {row[1]} 条基线事件记录了升级到封印审计链时已有的金额行：此前的改动无法逐行核对"
