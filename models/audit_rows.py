"""Row images: the money rows an audit event creates or changes, as the event records them.

Every event that writes a money row carries that row's state after the change (its "image":
the listed columns, in order, as plain JSON values), so that :mod:`models.audit_replay` can
replay the events and name every row that was changed, added or deleted outside ffdesk. A row
the change deleted has the image ``null``.

Columns that change without an event on purpose (a sign-in's ``failed_logins``, a slip's
``print_count``) are not part of the image.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import peewee as pw

from models.db import database, is_postgres

# table → the columns of its image (the same order as models.demo_bulk writes them)
COLUMNS: dict[str, tuple[str, ...]] = {
    "issuance": (
        "episode_id", "package_id", "package_code", "package_name", "slip_no", "issued_at",
        "issued_by_id", "workstation", "override_reason", "override_by_id",
    ),
    "voucher": (
        "code", "issuance_id", "item_id", "item_code", "item_name", "value_fen",
        "service_point_id", "result_kind", "sequence", "state", "valid_from", "expires_on",
        "issued_at", "redeemed_at", "redeemed_by_id", "redeemed_point_id", "result", "voided_at",
        "voided_by_id", "void_reason", "follow_up_of_id", "version",
    ),
    "ledger_entry": (
        "voucher_id", "kind", "amount_fen", "posted_on", "period", "created_at", "staff_id",
        "service_point_id", "package_code", "item_code", "reason", "workstation",
    ),
    "staff": ("username", "full_name", "active", "password_hash", "must_change_password", "service_point"),
    "staff_role": ("staff_id", "role"),
    "catalog_version": (
        "label", "source_name", "checksum", "region", "note", "effective_from", "loaded_at",
        "loaded_by_id", "active",
    ),
    "certificate_batch": (
        "prefix", "first_number", "last_number", "digits", "received_on", "received_by_id", "note",
    ),
    "certificate_form": (
        "serial", "batch_id", "state", "desk", "updated_at", "void_reason", "voided_at",
        "void_approved_by_id", "destroyed_on", "destroy_witness",
    ),
}  # fmt: skip

# Chinese names for messages
TABLE_LABELS = {
    "issuance": "发券记录",
    "voucher": "电子券",
    "ledger_entry": "核销台账",
    "staff": "员工账号",
    "staff_role": "员工角色",
    "catalog_version": "目录版本",
    "certificate_batch": "出生医学证明入库批次",
    "certificate_form": "出生医学证明空白证",
}


def canon(value: Any) -> Any:
    """One spelling per value on both databases: times with microseconds, dates ISO, booleans 0/1."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # SQLite keeps datetimes as text, without the fraction when it is zero
        if len(value) == 19 and value[10] in " T" and value[4] == "-" and value[13] == ":":
            return value[:10] + " " + value[11:] + ".000000"
        if len(value) == 26 and value[10] == "T" and value[4] == "-":
            return value[:10] + " " + value[11:]
        return value
    return str(value)


def image(values: Iterable[Any]) -> list[Any]:
    return [canon(v) for v in values]


def _kinds(table: str) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, converter) of the columns whose spelling differs between the databases."""
    from models.schema import ALL_MODELS

    model = next(m for m in ALL_MODELS if m._meta.table_name == table)
    fields = {f.column_name: f for f in model._meta.sorted_fields}
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, column in enumerate(COLUMNS[table]):
        field = fields[column]
        if column in SECRET_COLUMNS:
            out.append((i, secret_digest))
        elif isinstance(field, (pw.DateTimeField, pw.DateField, pw.BooleanField)):
            out.append((i, canon))
    return out


# Kept in the image only as a digest: the audit table is append-only and read by auditors, so a
# password hash must not be copied into it; a changed hash still changes the digest.
SECRET_COLUMNS = frozenset({"password_hash"})


def secret_digest(value: Any) -> str:
    return "sha256:" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:32]


_SECRET_POSITIONS = {
    table: [i for i, column in enumerate(columns) if column in SECRET_COLUMNS]
    for table, columns in COLUMNS.items()
}


def from_event(table: str, img: list[Any] | None) -> list[Any] | None:
    """An image as an event recorded it, in today's spelling: events sealed before secrets were
    kept as digests carry the password hash itself (it is compared through its digest)."""
    positions = _SECRET_POSITIONS.get(table)
    if not positions or img is None:
        return img
    for i in positions:
        value = img[i]
        if value is not None and not (isinstance(value, str) and value.startswith("sha256:")):
            img = [*img[:i], secret_digest(value), *img[i + 1 :]]
    return img


_FIXES: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}


def imager(table: str) -> Callable[[Sequence[Any]], list[Any]]:
    """A fast :func:`image` for rows of ``table`` (only time, date and boolean columns converted)."""
    fixes = _FIXES.get(table)
    if fixes is None:
        fixes = _FIXES[table] = _kinds(table)

    def img(values: Sequence[Any]) -> list[Any]:
        out = list(values)
        for i, convert in fixes:
            value = out[i]
            if value is not None:
                out[i] = convert(value)
        return out

    return img


def _select(table: str) -> str:
    columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
    return f'SELECT "id", {columns} FROM "{table}"'


def _mark() -> str:
    return "%s" if is_postgres() else "?"


def images(table: str, ids: Iterable[int]) -> dict[str, list[Any] | None]:
    """``{id: image}`` of the rows now in the database; a missing row (deleted) is ``None``."""
    wanted = sorted({int(i) for i in ids})
    found: dict[str, list[Any] | None] = {str(i): None for i in wanted}
    img = imager(table)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        marks = ", ".join(_mark() for _ in part)
        for row in database.execute_sql(f'{_select(table)} WHERE "id" IN ({marks})', part).fetchall():
            found[str(row[0])] = img(row[1:])
    return found


def stream(table: str, chunk: int = 5000) -> Iterator[tuple[int, list[Any]]]:
    """Every row of ``table`` in id order, read ``chunk`` rows at a time: (id, image)."""
    last = 0
    sql = f'{_select(table)} WHERE "id" > {_mark()} ORDER BY "id" LIMIT {int(chunk)}'
    img = imager(table)
    while True:
        rows = database.execute_sql(sql, (last,)).fetchall()
        for row in rows:
            yield row[0], img(row[1:])
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def count(table: str) -> int:
    return int(database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
