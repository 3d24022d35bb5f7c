"""Chain heads kept where a database insider cannot quietly rewind them.

Deleting the newest events and setting ``audit_head`` back leaves a chain that is consistent
with itself. Three witnesses outside that pair catch it:

- the ``chain_head`` table (append-only): a daily close, a month close and a backup record the
  head (sequence number and a 16-digit short digest) they were made at;
- the paper: the daily-close sheet and the month close print that head (``#1234 · 3f9a…``);
- the head file ``audit-heads.json`` beside the backups (outside the database): the newest head
  this desk has seen after each close or backup, per database.

``models.audit_replay`` checks the chain against every recorded head and the head file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import clock
from models import db as dbmod
from models.private_files import write_private
from models.schema import AuditHead, ChainHead

SHORT = 16  # hex digits of the digest printed and recorded
HEAD_FILE_NAME = "audit-heads.json"


@dataclass(frozen=True)
class Head:
    seq: int
    digest: str  # short digest

    @property
    def text(self) -> str:
        """As printed on paper: ``#1234 · 3f9a0c…`` (groups of four for reading aloud)."""
        groups = " ".join(self.digest[i : i + 4] for i in range(0, len(self.digest), 4))
        return f"#{self.seq} · {groups}"


def current_head() -> Head:
    head = AuditHead.get_by_id(1)
    return Head(int(head.seq), head.hash[:SHORT])


def record_head(kind: str, label: str) -> Head:
    """Inside the transaction of a close: store the head it was made at (after its own event)."""
    head = current_head()
    ChainHead.create(
        seq=head.seq, digest=head.digest, kind=kind, label=label[:32], recorded_at=clock.utcnow()
    )
    return head


def record_close_head(kind: str, label: str) -> Head:
    """A close that writes nothing else (the daily close): record the head, then the head file."""
    from models.db import run_in_transaction

    head = run_in_transaction(lambda: record_head(kind, label))
    update_head_file(kind)
    return head


def recorded_heads() -> list[tuple[int, str, str, str]]:
    """(seq, digest, kind, label) of every recorded head, oldest first."""
    if not dbmod.database.table_exists(ChainHead._meta.table_name):
        return []
    rows = ChainHead.select(ChainHead.seq, ChainHead.digest, ChainHead.kind, ChainHead.label).order_by(
        ChainHead.id
    )
    return [(int(r.seq), r.digest, r.kind, r.label) for r in rows]


def head_of(kind: str, label: str) -> Head | None:
    """The head a close recorded (for reprinting its paper), or None."""
    if not dbmod.database.table_exists(ChainHead._meta.table_name):
        return None
    row = (
        ChainHead.select()
        .where((ChainHead.kind == kind) & (ChainHead.label == label))
        .order_by(ChainHead.id.desc())
        .first()
    )
    return Head(int(row.seq), row.digest) if row else None


# --- the head file ---------------------------------------------------------------------------------


def head_file() -> Path:
    from models.backup import backup_dir  # late: backup imports a lot

    return backup_dir() / HEAD_FILE_NAME


def _database_key() -> str:
    from models.backup import connected_url

    url = connected_url() or ""
    if "@" in url and "://" in url:  # no password in the file
        scheme, rest = url.split("://", 1)
        url = f"{scheme}://{rest.split('@', 1)[1]}"
    return url


def _read() -> dict[str, Any]:
    try:
        data = json.loads(head_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def file_head() -> dict[str, Any] | None:
    """The head file's entry for the connected database: {seq, digest, at, kind}."""
    entry = _read().get(_database_key())
    return entry if isinstance(entry, dict) else None


def update_head_file(kind: str, *, allow_rewind: bool = False) -> Head:
    """After a committed close or backup (or a restore, with ``allow_rewind``): remember the head."""
    head = current_head()
    data = _read()
    key = _database_key()
    old = data.get(key)
    if isinstance(old, dict) and int(old.get("seq", 0)) > head.seq and not allow_rewind:
        return head  # never move the witness backwards; verify will name the gap
    data[key] = {
        "seq": head.seq,
        "digest": head.digest,
        "at": clock.format_local(clock.utcnow(), True),
        "kind": kind,
    }
    write_private(head_file(), json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    return head
