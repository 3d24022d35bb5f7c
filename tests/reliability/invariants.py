"""What must hold in the database after any number of desks, crashes or refusals.

``problems()`` returns human-readable findings (empty when all is well), so a test can both
assert that a healthy run finds nothing and that a deliberately broken redemption is caught.
"""

from __future__ import annotations

from collections import Counter

import peewee as pw

from models import audit_replay, catalog, db
from models.schema import AuditEvent, Issuance, LedgerEntry, Voucher


def expected_vouchers(package_code: str) -> int:
    """Vouchers one issuance of the package holds up front (basic items, follow-ups excluded)."""
    view = catalog.package_view(catalog.get_package(package_code))
    return sum(i.quantity for i in view.items if i.tier == "basic" and not i.follow_up_of)


def integrity_problems() -> list[str]:
    if db.is_postgres():
        return []
    rows = [r[0] for r in db.database.execute_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else [f"integrity_check: {rows[:3]}"]


def problems() -> list[str]:
    found = integrity_problems()
    # no half issuance: every issuance has all its vouchers
    per_issuance = dict(
        Voucher.select(Voucher.issuance, pw.fn.COUNT(Voucher.id))
        .where(Voucher.follow_up_of.is_null())
        .group_by(Voucher.issuance)
        .tuples()
    )
    cache: dict[str, int] = {}
    for iss in Issuance.select():
        want = cache.setdefault(iss.package_code, expected_vouchers(iss.package_code))
        if per_issuance.get(iss.id, 0) != want:
            found.append(f"issuance {iss.id} has {per_issuance.get(iss.id, 0)} vouchers, expected {want}")
    # ledger equals voucher states: net +1 redeem per redeemed voucher, 0 otherwise
    net = Counter()
    amount = Counter()
    for voucher_id, kind, fen in LedgerEntry.select(
        LedgerEntry.voucher, LedgerEntry.kind, LedgerEntry.amount_fen
    ).tuples():
        net[voucher_id] += 1 if kind == "redeem" else -1
        amount[voucher_id] += fen
    for v in Voucher.select(Voucher.id, Voucher.code, Voucher.state, Voucher.value_fen):
        want = 1 if v.state == "redeemed" else 0
        if net[v.id] != want or amount[v.id] != want * v.value_fen:
            found.append(
                f"voucher {v.code} is {v.state} but its ledger nets {net[v.id]} rows / {amount[v.id]} fen"
            )
    redeemed_total = (
        Voucher.select(pw.fn.SUM(Voucher.value_fen)).where(Voucher.state == "redeemed").scalar() or 0
    )
    ledger_total = LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).scalar() or 0
    if int(redeemed_total) != int(ledger_total):
        found.append(f"ledger total {ledger_total} fen != redeemed vouchers {redeemed_total} fen")
    # one audit event per change
    events = Counter(
        dict(
            AuditEvent.select(AuditEvent.action, pw.fn.COUNT(AuditEvent.id))
            .group_by(AuditEvent.action)
            .tuples()
        )
    )
    if events["voucher.issue"] != Issuance.select().count():
        found.append(f"{events['voucher.issue']} issue events for {Issuance.select().count()} issuances")
    redeem_rows = LedgerEntry.select().where(LedgerEntry.kind == "redeem").count()
    if events["voucher.redeem"] != redeem_rows:
        found.append(f"{events['voucher.redeem']} redeem events for {redeem_rows} ledger rows")
    chain = audit_replay.verify_all()  # the sealed chain, and every money row replayed from it
    if not chain.ok:
        found.append(chain.message)
    return found
