"""Windowed reads for the browse screens and the redeem screen's list of today's redemptions.

Every list is fetched in windows (``offset``/``limit``) with a separate ``count``: a screen never
loads a whole table. Sorting is by whitelisted columns only, with ``id`` as tie-breaker so that
windows do not overlap. Rows are plain dicts of display-ready values (personal data masked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from models import clock
from models.codes import format_code
from models.money import format_fen
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name
from models.schema import Client, Episode, Issuance, LedgerEntry, ServicePoint, Staff, Voucher
from models.vouchers import STATE_LABELS

MAX_LIMIT = 1000


@dataclass(frozen=True)
class VoucherFilter:
    state: str | None = None
    package_code: str | None = None
    service_point: str | None = None  # code
    issued_from: dt.date | None = None  # local dates, inclusive
    issued_to: dt.date | None = None
    text: str = ""  # code prefix


VOUCHER_SORT = {
    "issued_at": Voucher.issued_at,
    "code": Voucher.code,
    "item_name": Voucher.item_name,
    "value_fen": Voucher.value_fen,
    "state": Voucher.state,
    "expires_on": Voucher.expires_on,
}


def _voucher_query(flt: VoucherFilter) -> pw.ModelSelect:
    query = Voucher.select()
    if flt.state:
        query = query.where(Voucher.state == flt.state)
    if flt.package_code:
        query = query.join(Issuance).where(Issuance.package_code == flt.package_code).switch(Voucher)
    if flt.service_point:
        point = ServicePoint.select(ServicePoint.id).where(ServicePoint.code == flt.service_point)
        query = query.where(Voucher.service_point.in_(point))
    if flt.issued_from or flt.issued_to:
        first = flt.issued_from or dt.date(2000, 1, 1)
        last = flt.issued_to or dt.date(2999, 12, 31)
        start, end = clock.local_day_bounds_utc(first, last)
        query = query.where((Voucher.issued_at >= start) & (Voucher.issued_at < end))
    digits = "".join(ch for ch in flt.text if ch.isdigit())
    if digits:
        query = query.where(Voucher.code.startswith(digits))
    return query


def count_vouchers(actor: Actor, flt: VoucherFilter) -> int:
    require(actor, "client.read")
    return _voucher_query(flt).count()


def voucher_window(
    actor: Actor,
    flt: VoucherFilter,
    offset: int,
    limit: int,
    sort: str = "issued_at",
    descending: bool = True,
) -> list[dict]:
    """Rows ``offset`` .. ``offset+limit`` of the filtered vouchers, sorted."""
    require(actor, "client.read")
    column = VOUCHER_SORT.get(sort, Voucher.issued_at)
    order = [column.desc(), Voucher.id.desc()] if descending else [column.asc(), Voucher.id.asc()]
    ids = [
        v.id
        for v in _voucher_query(flt)
        .select(Voucher.id)
        .order_by(*order)
        .offset(max(0, offset))
        .limit(min(max(0, limit), MAX_LIMIT))
    ]
    if not ids:
        return []
    rows = (
        Voucher.select(Voucher, Issuance, Episode, Client, ServicePoint)
        .join(Issuance)
        .join(Episode)
        .join(Client)
        .switch(Voucher)
        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
        .where(Voucher.id.in_(ids))
    )
    by_id = {v.id: v for v in rows}
    out = []
    for vid in ids:
        v = by_id[vid]
        client = v.issuance.episode.client
        out.append(
            {
                "id": v.id,
                "code": v.code,
                "code_display": format_code(v.code),
                "item_name": v.item_name,
                "package_name": v.issuance.package_name,
                "value_fen": v.value_fen,
                "value_text": format_fen(v.value_fen),
                "state": v.state,
                "state_label": STATE_LABELS.get(v.state, v.state),
                "service_point_name": v.service_point.name,
                "client_name_masked": mask_name(client.name),
                "client_id_masked": mask_id(client.id_number),
                "issued_at": clock.format_local(v.issued_at),
                "expires_on": v.expires_on.isoformat(),
            }
        )
    return out


def redemptions_today(actor: Actor, point_code: str, day: dt.date | None = None) -> list[dict]:
    """Ledger rows posted at ``point_code`` on ``day`` (local), newest first — the nurse's list."""
    require(actor, "voucher.redeem")
    day = day or clock.local_today()
    start, end = clock.local_day_bounds_utc(day, day)
    point = ServicePoint.select(ServicePoint.id).where(ServicePoint.code == point_code)
    rows = (
        LedgerEntry.select(LedgerEntry, Voucher, Staff)
        .join(Voucher)
        .switch(LedgerEntry)
        .join(Staff)
        .where(
            (LedgerEntry.service_point.in_(point))
            & (LedgerEntry.created_at >= start)
            & (LedgerEntry.created_at < end)
        )
        .order_by(LedgerEntry.id.desc())
        .limit(MAX_LIMIT)
    )
    return [
        {
            "ledger_id": e.id,
            "kind": e.kind,
            "code": e.voucher.code,
            "code_display": format_code(e.voucher.code),
            "item_name": e.voucher.item_name,
            "amount_fen": e.amount_fen,
            "amount_text": format_fen(e.amount_fen),
            "at": clock.format_local(e.created_at),
            "staff_name": e.staff.full_name,
            "state": e.voucher.state,
        }
        for e in rows
    ]
