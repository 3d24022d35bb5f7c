"""Issuance: one package for one episode, as one transaction.

The issuance row, one voucher per basic service use (item × quantity) with name, value and
expiry copied from the catalog, and the audit event commit together. Upgrade-tier items are
listed on the slip as self-paid, not issued as vouchers; follow-up items (echocardiography
after a positive heart screening) are issued only by the redemption that finds the positive
result.

Idempotent: the same episode + package returns the existing issuance. Two desks racing are
settled by the unique index (episode, package_code): the loser's INSERT fails, its transaction
rolls back, and it returns the winner's issuance.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field

import peewee as pw

from models import audit, clock
from models.catalog import get_package, package_items
from models.codes import new_code
from models.db import run_in_transaction
from models.eligibility import evaluate
from models.episodes import get_episode_row
from models.errors import InvalidInput, NotFound, Refused
from models.money import format_fen
from models.periods import ensure_open
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name
from models.schema import Episode, Issuance, Package, ServiceItem, Voucher
from models.text import one_line
from models.vouchers import VoucherView, require_read, views_of_issuance

SLIP_PREFIX = "FS"


@dataclass
class SelfPaidItem:
    """An upgrade-tier item: offered at the client's own expense, not a voucher."""

    code: str
    name: str
    price_fen: int
    quantity: int
    service_point_name: str


@dataclass
class IssuanceView:
    id: int
    slip_no: str
    created: bool  # False when the package had already been issued (the existing one is returned)
    episode_id: int
    client_id: int
    client_name_masked: str
    client_id_masked: str
    package_code: str
    package_name: str
    issued_at: str  # local time
    issued_by: str
    workstation: str
    override_reason: str | None
    override_by: str | None
    print_count: int
    total_value_fen: int  # basic vouchers issued (follow-ups included once issued)
    total_value_text: str
    vouchers: list[VoucherView] = field(default_factory=list)
    self_paid: list[SelfPaidItem] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)  # follow-up items issued only on a positive result

    def to_dict(self) -> dict:
        return asdict(self)


def new_slip_no(today: dt.date) -> str:
    """'FS' + local date + 6 random digits, e.g. FS20260315-483920 (unique index backs it)."""
    return f"{SLIP_PREFIX}{today:%Y%m%d}-{secrets.randbelow(10**6):06d}"


def issuance_view(issuance: Issuance, created: bool = False) -> IssuanceView:
    episode: Episode = issuance.episode
    client = episode.client
    vouchers = views_of_issuance(issuance.id)
    items = package_items(issuance.package)
    names = {i.code: i.name for i in items}
    return IssuanceView(
        id=issuance.id,
        slip_no=issuance.slip_no,
        created=created,
        episode_id=episode.id,
        client_id=client.id,
        client_name_masked=mask_name(client.name),
        client_id_masked=mask_id(client.id_number),
        package_code=issuance.package_code,
        package_name=issuance.package_name,
        issued_at=clock.format_local(issuance.issued_at),
        issued_by=issuance.issued_by.full_name,
        workstation=issuance.workstation,
        override_reason=issuance.override_reason,
        override_by=issuance.override_by.full_name if issuance.override_by_id else None,
        print_count=issuance.print_count,
        total_value_fen=sum(v.value_fen for v in vouchers),
        total_value_text=format_fen(sum(v.value_fen for v in vouchers)),
        vouchers=vouchers,
        self_paid=[
            SelfPaidItem(i.code, i.name, i.price_fen, i.quantity, i.service_point.name)
            for i in items
            if i.tier == "upgrade"
        ],
        conditional=[
            f"{i.name}（{names.get(i.follow_up_of, i.follow_up_of)}阳性后发放）"
            for i in items
            if i.tier == "basic" and i.follow_up_of
        ],
    )


def _existing(episode_id: int, package_code: str) -> Issuance | None:
    return Issuance.get_or_none((Issuance.episode == episode_id) & (Issuance.package_code == package_code))


def voucher_rows(
    issuance: Issuance, items: list[ServiceItem], today: dt.date, validity_days: int, now: dt.datetime
) -> list[dict]:
    """One row per service use of the basic, non-follow-up items (copied name, value, expiry)."""
    rows = []
    for item in items:
        if item.tier != "basic" or item.follow_up_of:
            continue
        for sequence in range(1, item.quantity + 1):
            rows.append(
                {
                    "code": new_code(),
                    "issuance": issuance.id,
                    "item": item.id,
                    "item_code": item.code,
                    "item_name": item.name,
                    "value_fen": item.price_fen,
                    "service_point": item.service_point_id,
                    "result_kind": item.result_kind,
                    "sequence": sequence,
                    "state": "issued",
                    "valid_from": today,
                    "expires_on": today + dt.timedelta(days=validity_days),
                    "issued_at": now,
                    "version": 0,
                }
            )
    return rows


def issue_package(
    actor: Actor, episode_id: int, package_code: str, *, override_reason: str | None = None
) -> IssuanceView:
    """Issue ``package_code`` for the episode, or return the issuance it already has.

    Not eligible → Refused with the reasons, unless ``override_reason`` is given by someone
    holding ``eligibility.override`` (a supervisor): then the vouchers are issued and the audit
    event records the reason and the rules that were overridden. ``created`` in the result
    tells a new issuance from a repeated request.
    """
    require(actor, "voucher.issue")
    episode = get_episode_row(episode_id)
    package: Package = get_package(package_code)
    existing = _existing(episode.id, package.code)
    if existing is not None:
        return issuance_view(existing, created=False)
    today = clock.server_today()  # valid from, expiry and slip number by the server's date
    result = evaluate(package, episode, episode.client, today, None)
    reason = one_line(override_reason, "override_reason", "特批原因") or None
    if not result.eligible:
        if reason is None:
            raise Refused(
                f"不符合{package.name}的发放条件：" + "；".join(result.reasons),
                reasons=result.reasons,
                package_code=package.code,
            )
        require(actor, "eligibility.override")
    else:
        reason = None  # nothing to override
    items = package_items(package)
    if not any(i.tier == "basic" and not i.follow_up_of for i in items):
        raise Refused(f"{package.name}没有可发放的免费项目")

    def work() -> tuple[Issuance, bool]:
        found = _existing(episode.id, package.code)
        if found is not None:
            return found, False
        now = clock.server_now()
        ensure_open(clock.local_date_of(now), "发券")
        issuance = Issuance.create(
            episode=episode,
            package=package,
            package_code=package.code,
            package_name=package.name,
            slip_no=new_slip_no(today),
            issued_at=now,
            issued_by=actor.staff,
            workstation=actor.workstation[:64],
            override_reason=reason,
            override_by=actor.staff if reason else None,
        )
        rows = voucher_rows(issuance, items, today, package.validity_days, now)
        Voucher.insert_many(rows).execute()
        voucher_ids = [v.id for v in Voucher.select(Voucher.id).where(Voucher.issuance == issuance.id)]
        audit.record(
            actor,
            "voucher.issue",
            "issuance",
            issuance.id,
            rows={"issuance": [issuance.id], "voucher": voucher_ids},
            after={
                "episode": episode.id,
                "package": package.code,
                "slip_no": issuance.slip_no,
                "vouchers": len(rows),
                "value_fen": sum(r["value_fen"] for r in rows),
                "override_reason": reason,
                "overridden": result.reasons if reason else [],
            },
        )
        return issuance, True

    for _attempt in range(5):
        try:
            issuance, created = run_in_transaction(work)
            return issuance_view(issuance, created=created)
        except pw.IntegrityError:
            # Another desk won the race (unique episode+package): return its issuance.
            winner = _existing(episode.id, package.code)
            if winner is not None:
                return issuance_view(winner, created=False)
            # Otherwise a slip number or voucher code collided: try again with fresh ones.
    raise RuntimeError("issuance failed repeatedly on unique keys")


def get_issuance(actor: Actor, issuance_id: int) -> IssuanceView:
    require_read(actor)
    # a huge typed id is no row (SQLite would overflow)
    issuance = Issuance.get_or_none(Issuance.id == issuance_id) if 0 < issuance_id < 2**62 else None
    if issuance is None:
        raise NotFound(f"没有编号为 {issuance_id} 的发券记录")
    return issuance_view(issuance)


def find_issuance_by_slip(actor: Actor, slip_no: str) -> IssuanceView:
    require_read(actor)
    issuance = Issuance.get_or_none(Issuance.slip_no == (slip_no or "").strip().upper())
    if issuance is None:
        raise NotFound(f"没有券单号为 {slip_no} 的发券记录")
    return issuance_view(issuance)


def issuances_of_episode(actor: Actor, episode_id: int) -> list[IssuanceView]:
    require_read(actor)
    if not 0 < episode_id < 2**62:  # a huge typed id is no row (SQLite would overflow)
        return []
    rows = Issuance.select().where(Issuance.episode == episode_id).order_by(Issuance.id)
    return [issuance_view(i) for i in rows]


def next_slip_print(actor: Actor, issuance_id: int, reprint_reason: str = "") -> int:
    """The number the next print of the slip would get, checked as :func:`record_slip_print` checks
    it (permission, record, a reason for a reprint) but recorded nowhere: the desk renders the slip
    with it and records the print only once the printer has accepted the job."""
    require(actor, "slip.print")
    issuance = Issuance.get_or_none(Issuance.id == issuance_id) if 0 < issuance_id < 2**62 else None
    if issuance is None:
        raise NotFound(f"没有编号为 {issuance_id} 的发券记录")
    reason = one_line(reprint_reason, "reason", "补打原因")
    if issuance.print_count > 0 and not reason:
        raise InvalidInput("补打券单需要填写原因", field="reason")
    return issuance.print_count + 1


def record_slip_print(actor: Actor, issuance_id: int, reprint_reason: str = "") -> int:
    """Count a (re)print of the slip, audited; a reprint needs a reason. Returns the new count."""
    require(actor, "slip.print")
    # a huge typed id is no row (SQLite would overflow)
    issuance = Issuance.get_or_none(Issuance.id == issuance_id) if 0 < issuance_id < 2**62 else None
    if issuance is None:
        raise NotFound(f"没有编号为 {issuance_id} 的发券记录")
    reason = one_line(reprint_reason, "reason", "补打原因")

    def work() -> int:
        current = Issuance.get_by_id(issuance_id).print_count
        if current > 0 and not reason:
            raise InvalidInput("补打券单需要填写原因", field="reason")
        Issuance.update(print_count=Issuance.print_count + 1).where(Issuance.id == issuance_id).execute()
        audit.record(
            actor,
            "slip.reprint" if current else "slip.print",
            "issuance",
            issuance_id,
            after={"print_count": current + 1, "reason": reason or None},
        )
        return current + 1

    return run_in_transaction(work)
