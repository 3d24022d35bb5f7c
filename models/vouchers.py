"""Vouchers: lookup by code, what a screen shows about one, its history, void and expiry.

States: issued → redeemed (→ issued again by a reversal), issued → voided, issued → expired.
Expiry is enforced at the point of use: a voucher past ``expires_on`` is switched to
``expired`` when someone tries to use it, or by the :func:`expire_overdue` sweep. Every change
is one conditional UPDATE on the current state plus an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import peewee as pw

from models import audit, clock
from models.codes import check_code, format_code
from models.db import run_in_transaction
from models.errors import FfdeskError, InvalidInput, NotFound, NotPermitted, Refused
from models.money import format_fen
from models.periods import ensure_open
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name
from models.schema import Client, Episode, Issuance, LedgerEntry, ServicePoint, Staff, Voucher
from models.text import one_line

STATE_LABELS: dict[str, str] = {
    "issued": "未使用",
    "redeemed": "已核销",
    "voided": "已作废",
    "expired": "已过期",
}
RESULT_LABELS: dict[str, str] = {"negative": "阴性", "positive": "阳性", "high_risk": "高风险"}
TRIGGER_RESULTS = ("positive", "high_risk")  # results that issue a screening's follow-up items
LEDGER_KIND_LABELS: dict[str, str] = {"redeem": "核销", "reverse": "冲正"}
READ_PERMISSIONS = ("client.read", "report.read")


def require_read(actor: Actor | None) -> Actor:
    """Voucher details are readable by anyone who may read clients or finance reports."""
    held = [p for p in READ_PERMISSIONS if actor is not None and actor.can(p)]
    return require(actor, held[0] if held else READ_PERMISSIONS[0])


@dataclass
class LedgerView:
    id: int
    kind: str
    kind_label: str
    amount_fen: int
    posted_on: dt.date
    period: str
    created_at: str  # local time
    staff_name: str
    service_point: str
    service_point_name: str
    reason: str | None


@dataclass
class HistoryEntry:
    at: str  # local time
    what: str  # Chinese sentence
    staff_name: str


@dataclass
class VoucherView:
    """One voucher as the desk, a nurse or finance sees it (client masked; money in fen)."""

    id: int
    code: str
    code_display: str
    state: str
    state_label: str
    item_code: str
    item_name: str
    value_fen: int
    value_text: str
    result_kind: str
    result: str | None
    result_label: str | None
    service_point: str
    service_point_name: str
    package_code: str
    package_name: str
    issuance_id: int
    slip_no: str
    episode_id: int
    client_id: int  # the person this voucher serves (a partner, a newborn), checked at the point of use
    client_name_masked: str
    client_id_masked: str
    sequence: int
    valid_from: dt.date
    expires_on: dt.date
    issued_at: str
    redeemed_at: str | None
    redeemed_by: str | None
    redeemed_point: str | None
    redeemed_point_name: str | None
    voided_at: str | None
    voided_by: str | None
    void_reason: str | None
    follow_up_of: str | None  # code of the screening voucher whose positive result issued this one
    version: int
    holder_id: int = 0  # the episode's client (differs from client_id for a partner's voucher)
    ledger: list[LedgerView] = field(default_factory=list)
    ledger_net_fen: int = 0
    history: list[HistoryEntry] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class _Names:
    """Per-call caches of staff names and service points, so a list of vouchers costs few queries."""

    def __init__(self) -> None:
        self.staff: dict[int, str] = {}
        self.points: dict[int, ServicePoint] = {}

    def staff_name(self, staff_id: int | None) -> str | None:
        if staff_id is None:
            return None
        if staff_id not in self.staff:
            self.staff[staff_id] = Staff.select(Staff.full_name).where(Staff.id == staff_id).scalar() or "?"
        return self.staff[staff_id]

    def point(self, point_id: int | None) -> ServicePoint | None:
        if point_id is None:
            return None
        if point_id not in self.points:
            self.points[point_id] = ServicePoint.get_by_id(point_id)
        return self.points[point_id]


Beneficiary = Client.alias()


def voucher_query(where: pw.Expression) -> pw.ModelSelect:
    """Vouchers with their issuance, episode, client, person served and service point in one query."""
    return (
        Voucher.select(Voucher, Issuance, Episode, Client, ServicePoint, Beneficiary)
        .join(Issuance)
        .join(Episode)
        .join(Client, on=(Episode.client == Client.id))
        .switch(Voucher)
        .join(ServicePoint, on=(Voucher.service_point == ServicePoint.id))
        .switch(Voucher)
        .join(Beneficiary, pw.JOIN.LEFT_OUTER, on=(Voucher.beneficiary == Beneficiary.id))
        .where(where)
    )


def ledger_view(entry: LedgerEntry, names: _Names | None = None) -> LedgerView:
    names = names or _Names()
    point = names.point(entry.service_point_id)
    return LedgerView(
        id=entry.id,
        kind=entry.kind,
        kind_label=LEDGER_KIND_LABELS.get(entry.kind, entry.kind),
        amount_fen=entry.amount_fen,
        posted_on=entry.posted_on,
        period=entry.period,
        created_at=clock.format_local(entry.created_at, seconds=True),
        staff_name=names.staff_name(entry.staff_id) or "",
        service_point=point.code,
        service_point_name=point.name,
        reason=entry.reason,
    )


def voucher_view(voucher: Voucher, detail: bool = False, names: _Names | None = None) -> VoucherView:
    """The view of a voucher row; ``detail`` adds its ledger rows and history.

    Rows from :func:`voucher_query` need no further queries for the client and the package;
    pass one ``names`` cache when building many views.
    """
    names = names or _Names()
    issuance: Issuance = voucher.issuance
    episode: Episode = issuance.episode
    client: Client = episode.client
    person: Client = voucher.beneficiary if voucher.beneficiary_id else client
    point = names.point(voucher.service_point_id)
    redeemed_point = names.point(voucher.redeemed_point_id)
    view = VoucherView(
        id=voucher.id,
        code=voucher.code,
        code_display=format_code(voucher.code),
        state=voucher.state,
        state_label=STATE_LABELS.get(voucher.state, voucher.state),
        item_code=voucher.item_code,
        item_name=voucher.item_name,
        value_fen=voucher.value_fen,
        value_text=format_fen(voucher.value_fen),
        result_kind=voucher.result_kind,
        result=voucher.result,
        result_label=RESULT_LABELS.get(voucher.result or ""),
        service_point=point.code,
        service_point_name=point.name,
        package_code=issuance.package_code,
        package_name=issuance.package_name,
        issuance_id=issuance.id,
        slip_no=issuance.slip_no,
        episode_id=episode.id,
        client_id=person.id,
        client_name_masked=mask_name(person.name),
        client_id_masked=mask_id(person.id_number),
        sequence=voucher.sequence,
        valid_from=voucher.valid_from,
        expires_on=voucher.expires_on,
        issued_at=clock.format_local(voucher.issued_at),
        redeemed_at=clock.format_local(voucher.redeemed_at) or None,
        redeemed_by=names.staff_name(voucher.redeemed_by_id),
        redeemed_point=redeemed_point.code if redeemed_point else None,
        redeemed_point_name=redeemed_point.name if redeemed_point else None,
        voided_at=clock.format_local(voucher.voided_at) or None,
        voided_by=names.staff_name(voucher.voided_by_id),
        void_reason=voucher.void_reason,
        follow_up_of=(
            Voucher.select(Voucher.code).where(Voucher.id == voucher.follow_up_of_id).scalar()
            if voucher.follow_up_of_id
            else None
        ),
        version=voucher.version,
        holder_id=client.id,
    )
    if detail:
        entries = list(LedgerEntry.select().where(LedgerEntry.voucher == voucher.id).order_by(LedgerEntry.id))
        view.ledger = [ledger_view(e, names) for e in entries]
        view.ledger_net_fen = sum(e.amount_fen for e in entries)
        view.history = _history(voucher, issuance, view.ledger, names)
    return view


def load_view(voucher_id: int, detail: bool = False) -> VoucherView:
    """The view of one voucher by id, loaded with one joined query."""
    return voucher_view(voucher_query(Voucher.id == voucher_id).get(), detail=detail)


def _history(
    voucher: Voucher, issuance: Issuance, ledger: list[LedgerView], names: _Names
) -> list[HistoryEntry]:
    """Life of the voucher from its own columns and ledger rows (indexed; no audit-table scan)."""
    events = [
        HistoryEntry(
            clock.format_local(voucher.issued_at, seconds=True),
            f"发放（券单 {issuance.slip_no}）" + ("，筛查阳性后追加" if voucher.follow_up_of_id else ""),
            names.staff_name(issuance.issued_by_id) or "",
        )
    ]
    for entry in ledger:
        if entry.kind == "redeem":
            what = f"在{entry.service_point_name}核销 {format_fen(entry.amount_fen)}，记入 {entry.period}"
        else:
            what = f"冲正 {format_fen(entry.amount_fen)}，记入 {entry.period}，原因：{entry.reason or ''}"
        events.append(HistoryEntry(entry.created_at, what, entry.staff_name))
    if voucher.voided_at is not None:
        events.append(
            HistoryEntry(
                clock.format_local(voucher.voided_at, seconds=True),
                f"作废，原因：{voucher.void_reason or ''}",
                names.staff_name(voucher.voided_by_id) or "",
            )
        )
    if voucher.state == "expired":
        events.append(HistoryEntry(voucher.expires_on.isoformat(), "有效期已过，券已过期", "系统"))
    events.sort(key=lambda e: e.at)
    return events


def find_voucher(text: str) -> Voucher:
    """The voucher for a code as typed or scanned.

    A wrong check digit raises InvalidInput with ``typo=True`` (exit code 2: "typo?"); a
    well-formed code nobody issued raises NotFound.
    """
    code = check_code(text)
    voucher = Voucher.get_or_none(Voucher.code == code)
    if voucher is None:
        raise NotFound(f"券码 {format_code(code)} 不存在，请核对是否为本院发放的券", code=code)
    return voucher


def get_voucher(actor: Actor, code: str) -> VoucherView:
    """``voucher show``: the voucher with its ledger rows and history."""
    require_read(actor)
    return load_view(find_voucher(code).id, detail=True)


def vouchers_of_issuance(issuance_id: int) -> list[Voucher]:
    return list(
        voucher_query(Voucher.issuance == issuance_id).order_by(
            Voucher.follow_up_of.is_null(False), Voucher.id
        )
    )


def views_of_issuance(issuance_id: int) -> list[VoucherView]:
    names = _Names()
    return [voucher_view(v, names=names) for v in vouchers_of_issuance(issuance_id)]


def state_refusal(voucher: Voucher, today: dt.date | None = None) -> FfdeskError:
    """The error explaining why a voucher in its current state cannot be used."""
    today = today or clock.local_today()
    label = f"“{voucher.item_name}”（{format_code(voucher.code)}）"
    details = {"state": voucher.state, "code": voucher.code}
    if voucher.state == "redeemed":
        point = voucher.redeemed_point.name if voucher.redeemed_point_id else "?"
        who = voucher.redeemed_by.full_name if voucher.redeemed_by_id else "?"
        return Refused(
            f"该券{label}已于 {clock.format_local(voucher.redeemed_at)} 在{point}由{who}核销，不能重复核销",
            **details,
        )
    if voucher.state == "voided":
        who = voucher.voided_by.full_name if voucher.voided_by_id else "?"
        return Refused(
            f"该券{label}已于 {clock.format_local(voucher.voided_at)} 由{who}作废（原因：{voucher.void_reason}）",
            **details,
        )
    if voucher.state == "expired" or voucher.expires_on < today:
        return Refused(
            f"该券{label}已于 {voucher.expires_on.isoformat()} 过期", **{**details, "state": "expired"}
        )
    return Refused(f"该券{label}当前状态为“{STATE_LABELS.get(voucher.state, voucher.state)}”", **details)


def mark_expired(actor: Actor | None, voucher: Voucher, today: dt.date) -> bool:
    """Inside a transaction: issued and past its date → expired (audited). True when it changed."""
    changed = (
        Voucher.update(state="expired", version=Voucher.version + 1)
        .where((Voucher.id == voucher.id) & (Voucher.state == "issued") & (Voucher.expires_on < today))
        .execute()
    )
    if changed:
        audit.record(
            actor,
            "voucher.expire",
            "voucher",
            voucher.id,
            rows={"voucher": [voucher.id]},
            before={"state": "issued"},
            after={"state": "expired", "code": voucher.code, "expires_on": voucher.expires_on},
        )
    return bool(changed)


def expire_overdue(actor: Actor | None, today: dt.date | None = None, batch: int = 500) -> int:
    """Switch every issued voucher whose date has passed to ``expired``; returns how many.

    Run at start-up or by an administrator (``actor`` None means the system itself). Each
    voucher gets its own audit event; batches keep transactions short on a busy database.
    """
    if actor is not None and not (actor.can("voucher.void") or actor.can("settings.manage")):
        raise NotPermitted(f"{actor.name} 没有处理过期券的权限")
    today = today or clock.local_today()
    total = 0
    while True:

        def work() -> int:
            rows = list(
                Voucher.select()
                .where((Voucher.state == "issued") & (Voucher.expires_on < today))
                .order_by(Voucher.id)
                .limit(batch)
            )
            return sum(mark_expired(actor, v, today) for v in rows)

        done = run_in_transaction(work)
        total += done
        if done < batch:
            return total


def void_voucher(actor: Actor, code: str, reason: str) -> VoucherView:
    """Void an unused voucher with a reason (front desk or supervisor). Only ``issued`` can be voided."""
    require(actor, "voucher.void")
    reason = one_line(reason, "reason", "作废原因")
    if not reason:
        raise InvalidInput("作废必须填写原因", field="reason")
    voucher = find_voucher(code)

    def work() -> Voucher | None:
        now = clock.server_now()
        ensure_open(clock.local_date_of(now), "作废")
        changed = (
            Voucher.update(
                state="voided",
                voided_at=now,
                voided_by=actor.staff,
                void_reason=reason,
                version=Voucher.version + 1,
            )
            .where((Voucher.id == voucher.id) & (Voucher.state == "issued"))
            .execute()
        )
        if not changed:
            return Voucher.get_by_id(voucher.id)
        audit.record(
            actor,
            "voucher.void",
            "voucher",
            voucher.id,
            rows={"voucher": [voucher.id]},
            before={"state": "issued"},
            after={"state": "voided", "code": voucher.code, "reason": reason},
        )
        return None

    refused = run_in_transaction(work)
    if refused is not None:
        if refused.state == "redeemed":
            raise Refused(
                f"该券已核销，不能作废；如核销有误请由主管冲正（{format_code(refused.code)}）",
                state="redeemed",
                code=refused.code,
            )
        raise state_refusal(refused)
    return load_view(voucher.id, detail=True)
