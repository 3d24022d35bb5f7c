"""Windowed reads for the browse screens and the redeem screen's list of today's redemptions.

Every list is fetched in windows (``offset``/``limit``) with a separate ``count``: a screen never
loads a whole table. Sorting is by whitelisted columns only, with ``id`` as tie-breaker so that
windows do not overlap. Rows are plain dicts of display-ready values (personal data masked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from models import clock, search_watch
from models.clients import age_years
from models.codes import format_code
from models.episodes import KIND_LABELS as EPISODE_KIND_LABELS
from models.episodes import STATUS_LABELS as EPISODE_STATUS_LABELS
from models.identity import ID_TYPE_LABELS, SEX_LABELS
from models.masking import shown_birth_date
from models.money import format_fen
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name, mask_phone
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


# Sort keys an index delivers in order (a page is a short index scan). The others sort every
# filtered row for each page (~0.15 s at 1 M vouchers): the browser reads those off the GUI thread.
VOUCHER_SORT_INDEXED = frozenset({"issued_at", "code", "state", "expires_on"})


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
    after: tuple | None = None,
    backward: bool = False,
) -> list[dict]:
    """Rows ``offset`` .. ``offset+limit`` of the filtered vouchers, sorted.

    Keyset paging (no large OFFSET, which reads and discards every skipped row): ``after`` is
    the ``sort_key`` of a row already shown, and ``offset`` counts from the row after it. With
    ``backward`` the window lies *before* ``after`` (or before the end of the list when
    ``after`` is None): ``offset`` rows nearest to it are skipped, the ``limit`` rows before
    those are returned — still in display order. Each row carries its ``sort_key``
    ``(sort value, id)`` to seek from later.
    """
    require(actor, "client.read")
    column = VOUCHER_SORT.get(sort, Voucher.issued_at)
    scan_desc = descending != backward
    order = [column.desc(), Voucher.id.desc()] if scan_desc else [column.asc(), Voucher.id.asc()]
    query = _voucher_query(flt)
    if after is not None:
        value, last_id = after
        # (column, id) beyond the anchor; the plain range on ``column`` lets its index be used
        if scan_desc:
            query = query.where((column <= value) & ((column < value) | (Voucher.id < last_id)))
        else:
            query = query.where((column >= value) & ((column > value) | (Voucher.id > last_id)))
    keyed = list(
        query.select(Voucher.id, column)
        .order_by(*order)
        .offset(max(0, offset))
        .limit(min(max(0, limit), MAX_LIMIT))
        .tuples()
    )
    if backward:
        keyed.reverse()
    keys = {vid: (value, vid) for vid, value in keyed}
    ids = [vid for vid, _ in keyed]
    if not ids:
        return []
    # plain tuples of the shown columns: building five model objects per row cost ~3/4 of a page
    rows = (
        Voucher.select(
            Voucher.id,
            Voucher.code,
            Voucher.item_name,
            Voucher.value_fen,
            Voucher.state,
            Voucher.issued_at,
            Voucher.expires_on,
            Issuance.package_name,
            ServicePoint.name,
            Client.name,
            Client.id_number,
        )
        .join(Issuance)
        .join(Episode)
        .join(Client)
        .switch(Voucher)
        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
        .where(Voucher.id.in_(ids))
        .tuples()
    )
    by_id = {row[0]: row for row in rows}
    out = []
    for vid in ids:
        if vid not in by_id:  # deleted between the two reads
            continue
        _, code, item_name, value_fen, state, issued_at, expires_on, package, point, name, id_number = by_id[
            vid
        ]
        out.append(
            {
                "id": vid,
                "code": code,
                "code_display": format_code(code),
                "item_name": item_name,
                "package_name": package,
                "value_fen": value_fen,
                "value_text": format_fen(value_fen),
                "state": state,
                "state_label": STATE_LABELS.get(state, state),
                "service_point_name": point,
                "client_name_masked": mask_name(name),
                "client_id_masked": mask_id(id_number),
                "issued_at": clock.format_local(issued_at),
                "expires_on": expires_on.isoformat(),
                "sort_key": keys[vid],
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


# --- clients, episodes, issuances ------------------------------------------------------------------


def _window_ids(
    query: pw.ModelSelect, id_field: pw.Field, column: pw.Field, descending: bool, offset: int, limit: int
) -> list[int]:
    order = [column.desc(), id_field.desc()] if descending else [column.asc(), id_field.asc()]
    return [
        row.id
        for row in query.select(id_field)
        .order_by(*order)
        .offset(max(0, offset))
        .limit(min(max(0, limit), MAX_LIMIT))
    ]


def _local_range(first: dt.date | None, last: dt.date | None) -> tuple[dt.datetime, dt.datetime] | None:
    if not (first or last):
        return None
    return clock.local_day_bounds_utc(first or dt.date(2000, 1, 1), last or dt.date(2999, 12, 31))


@dataclass(frozen=True)
class ClientFilter:
    text: str = ""  # digits: full ID number or phone (exact); letters: pinyin initials; other: name contains
    sex: str | None = None
    residency: str | None = None


CLIENT_SORT = {
    "created_at": Client.created_at,
    "name": Client.name_pinyin,
    "birth_date": Client.birth_date,
    "id": Client.id,
}


def _client_query(flt: ClientFilter) -> pw.ModelSelect:
    query = Client.select()
    if flt.sex:
        query = query.where(Client.sex == flt.sex)
    if flt.residency:
        query = query.where(Client.residency == flt.residency)
    text = flt.text.strip()
    if text.isdigit() or (text[:-1].isdigit() and text[-1:] in "xX" and len(text) > 1):
        # a full number, exact: a prefix would let a list be walked digit by digit
        text = text.upper()
        query = query.where((Client.id_number == text) | (Client.phone == text))
    elif text.isascii() and text.isalpha():
        query = query.where(
            Client.name_initials.startswith(text.lower()) | Client.name_pinyin.startswith(text.lower())
        )
    elif text:
        query = query.where(Client.name.contains(text))
    return query


def count_clients(actor: Actor, flt: ClientFilter) -> int:
    """How many clients match; a search by number is counted for roles without reveal."""
    require(actor, "client.read")
    if not any(ch.isdigit() for ch in flt.text):
        return _client_query(flt).count()
    search_watch.check_not_locked(actor)
    count = _client_query(flt).count()
    search_watch.record_search(actor, flt.text.strip().upper(), count > 0)
    return count


def _shown_birth(actor: Actor, birth: dt.date | None) -> str:
    """The birth date for roles with ``pii.reveal``, else the age (周岁) only."""
    if birth is None:
        return ""
    shown = shown_birth_date(actor, birth)
    return shown.isoformat() if shown else f"{age_years(birth)}岁"


def _episode_date(actor: Actor, episode: Episode) -> str:
    """A child's birth date (an age beside a masked ID number for roles without reveal), or the delivery date."""
    if episode.birth_date and episode.client.id_number:
        return _shown_birth(actor, episode.birth_date)
    day = episode.birth_date or episode.delivery_date
    return day.isoformat() if day else ""


def client_window(
    actor: Actor,
    flt: ClientFilter,
    offset: int,
    limit: int,
    sort: str = "created_at",
    descending: bool = True,
) -> list[dict]:
    """Clients ``offset`` .. ``offset+limit``, personal data masked (reveal goes through models.pii)."""
    require(actor, "client.read")
    if any(ch.isdigit() for ch in flt.text):
        search_watch.check_not_locked(actor)
    ids = _window_ids(
        _client_query(flt), Client.id, CLIENT_SORT.get(sort, Client.created_at), descending, offset, limit
    )
    if not ids:
        return []
    by_id = {c.id: c for c in Client.select().where(Client.id.in_(ids))}
    episodes = dict(
        Episode.select(Episode.client, pw.fn.COUNT(Episode.id).alias("n"))
        .where(Episode.client.in_(ids))
        .group_by(Episode.client)
        .tuples()
    )
    out = []
    for cid in ids:
        c = by_id[cid]
        out.append(
            {
                "id": c.id,
                "name_masked": mask_name(c.name),
                "id_type_label": ID_TYPE_LABELS.get(c.id_type, c.id_type),
                "id_masked": mask_id(c.id_number) if c.id_number else "",
                "phone_masked": mask_phone(c.phone) if c.phone else "",
                "sex_label": SEX_LABELS.get(c.sex, c.sex),
                "birth_date": _shown_birth(actor, c.birth_date),
                "episodes": int(episodes.get(c.id, 0)),
                "created_at": clock.format_local(c.created_at),
            }
        )
    return out


@dataclass(frozen=True)
class EpisodeFilter:
    kind: str | None = None
    status: str | None = None
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None


EPISODE_SORT = {
    "opened_at": Episode.opened_at,
    "kind": Episode.kind,
    "status": Episode.status,
    "edd": Episode.edd,
}


def _episode_query(flt: EpisodeFilter) -> pw.ModelSelect:
    query = Episode.select()
    if flt.kind:
        query = query.where(Episode.kind == flt.kind)
    if flt.status:
        query = query.where(Episode.status == flt.status)
    bounds = _local_range(flt.opened_from, flt.opened_to)
    if bounds:
        query = query.where((Episode.opened_at >= bounds[0]) & (Episode.opened_at < bounds[1]))
    return query


def count_episodes(actor: Actor, flt: EpisodeFilter) -> int:
    require(actor, "client.read")
    return _episode_query(flt).count()


def episode_window(
    actor: Actor,
    flt: EpisodeFilter,
    offset: int,
    limit: int,
    sort: str = "opened_at",
    descending: bool = True,
) -> list[dict]:
    require(actor, "client.read")
    ids = _window_ids(
        _episode_query(flt), Episode.id, EPISODE_SORT.get(sort, Episode.opened_at), descending, offset, limit
    )
    if not ids:
        return []
    rows = (
        Episode.select(Episode, Client)
        .join(Client, on=(Episode.client == Client.id))
        .where(Episode.id.in_(ids))
    )
    by_id = {e.id: e for e in rows}
    issued = dict(
        Issuance.select(Issuance.episode, pw.fn.COUNT(Issuance.id))
        .where(Issuance.episode.in_(ids))
        .group_by(Issuance.episode)
        .tuples()
    )
    out = []
    for eid in ids:
        e = by_id[eid]
        out.append(
            {
                "id": e.id,
                "kind_label": EPISODE_KIND_LABELS.get(e.kind, e.kind),
                "status_label": EPISODE_STATUS_LABELS.get(e.status, e.status),
                "client_name_masked": mask_name(e.client.name),
                "client_id_masked": mask_id(e.client.id_number) if e.client.id_number else "",
                "edd": e.edd.isoformat() if e.edd else "",
                "birth_date": _episode_date(actor, e),
                "issuances": int(issued.get(e.id, 0)),
                "opened_at": clock.format_local(e.opened_at),
            }
        )
    return out


@dataclass(frozen=True)
class IssuanceFilter:
    package_code: str | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    text: str = ""  # slip number contains


ISSUANCE_SORT = {
    "issued_at": Issuance.issued_at,
    "slip_no": Issuance.slip_no,
    "package": Issuance.package_code,
}


def _issuance_query(flt: IssuanceFilter) -> pw.ModelSelect:
    query = Issuance.select()
    if flt.package_code:
        query = query.where(Issuance.package_code == flt.package_code)
    bounds = _local_range(flt.issued_from, flt.issued_to)
    if bounds:
        query = query.where((Issuance.issued_at >= bounds[0]) & (Issuance.issued_at < bounds[1]))
    if flt.text.strip():
        query = query.where(Issuance.slip_no.contains(flt.text.strip().upper()))
    return query


def count_issuances(actor: Actor, flt: IssuanceFilter) -> int:
    require(actor, "client.read")
    return _issuance_query(flt).count()


def issuance_window(
    actor: Actor,
    flt: IssuanceFilter,
    offset: int,
    limit: int,
    sort: str = "issued_at",
    descending: bool = True,
) -> list[dict]:
    require(actor, "client.read")
    ids = _window_ids(
        _issuance_query(flt),
        Issuance.id,
        ISSUANCE_SORT.get(sort, Issuance.issued_at),
        descending,
        offset,
        limit,
    )
    if not ids:
        return []
    rows = (
        Issuance.select(Issuance, Episode, Client, Staff)
        .join(Episode)
        .join(Client)
        .switch(Issuance)
        .join(Staff, on=(Issuance.issued_by == Staff.id))
        .where(Issuance.id.in_(ids))
    )
    by_id = {i.id: i for i in rows}
    totals = {
        iid: (int(n), int(v or 0))
        for iid, n, v in Voucher.select(
            Voucher.issuance, pw.fn.COUNT(Voucher.id), pw.fn.SUM(Voucher.value_fen)
        )
        .where(Voucher.issuance.in_(ids))
        .group_by(Voucher.issuance)
        .tuples()
    }
    out = []
    for iid in ids:
        i = by_id[iid]
        count, value = totals.get(iid, (0, 0))
        out.append(
            {
                "id": i.id,
                "slip_no": i.slip_no,
                "package_name": i.package_name,
                "client_name_masked": mask_name(i.episode.client.name),
                "vouchers": count,
                "value_fen": value,
                "value_text": format_fen(value),
                "issued_by": i.issued_by.full_name,
                "print_count": i.print_count,
                "issued_at": clock.format_local(i.issued_at),
            }
        )
    return out
