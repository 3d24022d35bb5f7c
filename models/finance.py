"""Finance figures from the database: reconciliation, daily close, settlement, statistics.

Every total is aggregated in SQL (COUNT/SUM over integer fen columns, so both SQLite and
PostgreSQL return ints). Definitions, for local dates ``first``..``last``:

- issued: vouchers whose ``issued_at`` falls in the period;
- redeemed / reversed: ledger rows posted in the period (for a month: rows of that accounting
  period, so a reversal of a closed month's redemption counts in the open month it posts to);
- voided: vouchers voided in the period;
- expired: vouchers that ran out unused — ``expires_on`` in the period and not redeemed, not
  voided by then;
- outstanding: the liability at the end of ``last`` — issued by then, not voided by then, not
  yet expired, and not redeemed (net of reversals) as of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

import peewee as pw
from peewee import JOIN, fn

from models import clock
from models.db import is_postgres
from models.permissions import Actor, require
from models.schema import Issuance, LedgerEntry, Package, ServiceItem, ServicePoint, Staff, Voucher

MEASURES = ("issued", "redeemed", "reversed", "voided", "expired", "outstanding")


@dataclass
class Tally:
    """Counts and fen amounts of one report row (mutable while summing)."""

    issued_count: int = 0
    issued_fen: int = 0
    redeemed_count: int = 0
    redeemed_fen: int = 0
    reversed_count: int = 0
    reversed_fen: int = 0
    voided_count: int = 0
    voided_fen: int = 0
    expired_count: int = 0
    expired_fen: int = 0
    outstanding_count: int = 0
    outstanding_fen: int = 0

    def add(self, measure: str, count: int, fen: int) -> None:
        setattr(self, f"{measure}_count", getattr(self, f"{measure}_count") + int(count or 0))
        setattr(self, f"{measure}_fen", getattr(self, f"{measure}_fen") + int(fen or 0))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict[str, int]) -> Tally:
        return cls(**{f.name: int(values.get(f.name, 0)) for f in fields(cls)})

    @property
    def settled_fen(self) -> int:
        return self.redeemed_fen - self.reversed_fen


@dataclass
class FinanceReport:
    """Rows keyed by display names; ``by_item`` keys are (package, item)."""

    first: dt.date
    last: dt.date
    by_item: dict[tuple[str, str], Tally] = field(default_factory=dict)
    by_point: dict[tuple[str], Tally] = field(default_factory=dict)
    by_operator: dict[tuple[str], Tally] = field(default_factory=dict)

    def totals(self) -> Tally:
        total = Tally()
        for tally in self.by_item.values():
            for name, value in tally.as_dict().items():
                setattr(total, name, getattr(total, name) + value)
        return total

    def to_json(self) -> dict:
        def rows(mapping: dict) -> list[dict]:
            return [{"keys": list(keys), **tally.as_dict()} for keys, tally in mapping.items()]

        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "by_item": rows(self.by_item),
            "by_point": rows(self.by_point),
            "by_operator": rows(self.by_operator),
            "totals": self.totals().as_dict(),
        }

    @classmethod
    def from_json(cls, data: dict) -> FinanceReport:
        def rows(items: list[dict]) -> dict:
            return {tuple(item["keys"]): Tally.from_dict(item) for item in items}

        return cls(
            first=dt.date.fromisoformat(data["first"]),
            last=dt.date.fromisoformat(data["last"]),
            by_item=rows(data["by_item"]),
            by_point=rows(data["by_point"]),
            by_operator=rows(data["by_operator"]),
        )


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _ledger_filter(first: dt.date, last: dt.date, month: str | None) -> pw.Expression:
    if month is not None:
        return LedgerEntry.period == month
    return (LedgerEntry.posted_on >= first) & (LedgerEntry.posted_on <= last)


def catalog_order() -> list[tuple[str, str]]:
    """Every (package code, item code) in the catalog's order: packages as the catalog lists them
    (the life course: 备孕 → 早孕 → 孕产 → 产康 → 新生 → 成长, then screening programmes), each
    package's items as listed. A package keeps the place it had when it first appeared."""
    first_seen: dict[str, int] = {}
    items: dict[tuple[str, str], int] = {}
    query = (
        ServiceItem.select(Package.code, Package.id, ServiceItem.code, ServiceItem.id).join(Package).tuples()
    )
    for package_code, package_id, item_code, item_id in query:
        first_seen[package_code] = min(package_id, first_seen.get(package_code, package_id))
        items[(package_code, item_code)] = min(item_id, items.get((package_code, item_code), item_id))
    return sorted(items, key=lambda codes: (first_seen[codes[0]], items[codes]))


def package_rank() -> dict[str, int]:
    """Package code → its place in the life-course order of the catalog."""
    ranks: dict[str, int] = {}
    for package_code, _item in catalog_order():
        ranks.setdefault(package_code, len(ranks))
    return ranks


def _names() -> tuple[dict[tuple[str, str], tuple[str, str]], dict[int, str], dict[int, str]]:
    """Display names: (package_code, item_code) → (package name, item name); points; staff.

    Read from the catalog (every version, the latest name winning), not from the vouchers: a
    scan of a million vouchers just for names cost more than half a second.
    """
    items: dict[tuple[str, str], tuple[str, str]] = {}
    query = (
        ServiceItem.select(Package.code, Package.name, ServiceItem.code, ServiceItem.name)
        .join(Package)
        .order_by(Package.catalog_version, ServiceItem.id)
        .tuples()
    )
    for package_code, package_name, item_code, item_name in query:
        items[(package_code, item_code)] = (package_name, item_name)
    points = dict(ServicePoint.select(ServicePoint.id, ServicePoint.name).tuples())
    staff = {
        sid: f"{name}（{user}）"
        for sid, name, user in Staff.select(Staff.id, Staff.full_name, Staff.username).tuples()
    }
    return items, points, staff


def compute_reconciliation(first: dt.date, last: dt.date, month: str | None = None) -> FinanceReport:
    """All measures for local days first..last (``month`` = 'YYYY-MM': the accounting period).

    No permission check here: the callers (``reconciliation``, month close) check.
    """
    start, end = clock.local_day_bounds_utc(first, last)
    builder = _ReportBuilder(FinanceReport(first, last))
    count, total = fn.COUNT(Voucher.id), fn.COALESCE(fn.SUM(Voucher.value_fen), 0)

    issued = (
        Voucher.select(Voucher.item, Voucher.service_point, Issuance.issued_by, count, total)
        .join(Issuance)
        .where((Voucher.issued_at >= start) & (Voucher.issued_at < end))
        .group_by(Voucher.item, Voucher.service_point, Issuance.issued_by)
        .tuples()
    )
    for item_id, point_id, staff_id, n, fen in issued:
        builder.add("issued", builder.item_key(item_id), point_id, staff_id, n, fen)

    ledger = (
        LedgerEntry.select(
            LedgerEntry.kind,
            LedgerEntry.package_code,
            LedgerEntry.item_code,
            LedgerEntry.service_point,
            LedgerEntry.staff,
            fn.COUNT(LedgerEntry.id),
            fn.COALESCE(fn.SUM(LedgerEntry.amount_fen), 0),
        )
        .where(_ledger_filter(first, last, month))
        .group_by(
            LedgerEntry.kind,
            LedgerEntry.package_code,
            LedgerEntry.item_code,
            LedgerEntry.service_point,
            LedgerEntry.staff,
        )
        .tuples()
    )
    for kind, package_code, item_code, point_id, staff_id, n, fen in ledger:
        measure, amount = ("redeemed", int(fen)) if kind == "redeem" else ("reversed", -int(fen))
        builder.add(measure, (package_code, item_code), point_id, staff_id, n, amount)

    voided = (
        Voucher.select(Voucher.item, Voucher.service_point, Voucher.voided_by, count, total)
        .where((Voucher.voided_at >= start) & (Voucher.voided_at < end))
        .group_by(Voucher.item, Voucher.service_point, Voucher.voided_by)
        .tuples()
    )
    for item_id, point_id, staff_id, n, fen in voided:
        builder.add("voided", builder.item_key(item_id), point_id, staff_id, n, fen)

    measured = [("expired", _expired_query(first, last))]
    measured += [("outstanding", query) for query in _outstanding_queries(last)]
    for measure, query in measured:
        rows = (
            query.select(Voucher.item, Voucher.service_point, count, total)
            .group_by(Voucher.item, Voucher.service_point)
            .tuples()
        )
        for item_id, point_id, n, fen in rows:
            builder.add(measure, builder.item_key(item_id), point_id, None, n, fen)
    return builder.finish()


class _ReportBuilder:
    """Adds grouped SQL rows into the three views of a report under their display names."""

    def __init__(self, report: FinanceReport) -> None:
        self.report = report
        self.item_names, self.point_names, self.staff_names = _names()
        # each (package, item) name pair's place in the catalog: packages in life-course order
        self.order = {
            names: rank for rank, names in enumerate(self.item_names.get(c, c) for c in catalog_order())
        }
        self.item_codes = {
            item_id: (package_code, item_code)
            for item_id, package_code, item_code in ServiceItem.select(
                ServiceItem.id, Package.code, ServiceItem.code
            )
            .join(Package)
            .tuples()
        }

    def item_key(self, item_id: int) -> tuple[str, str]:
        return self.item_codes[item_id]

    def add(
        self, measure: str, codes: tuple[str, str], point_id: int, staff_id: int | None, n: int, fen: int
    ) -> None:
        item = self.report.by_item.setdefault(self.item_names.get(codes, codes), Tally())
        item.add(measure, n, fen)
        point = self.report.by_point.setdefault((self.point_names.get(point_id, str(point_id)),), Tally())
        point.add(measure, n, fen)
        if staff_id is not None:
            operator = self.report.by_operator.setdefault(
                (self.staff_names.get(staff_id, str(staff_id)),), Tally()
            )
            operator.add(measure, n, fen)

    def finish(self) -> FinanceReport:
        report = self.report
        last = len(self.order)
        report.by_item = dict(
            sorted(report.by_item.items(), key=lambda kv: (self.order.get(kv[0], last), kv[0]))
        )
        report.by_point = dict(sorted(report.by_point.items()))
        report.by_operator = dict(sorted(report.by_operator.items()))
        return report


def _net_redeemed_as_of(day: dt.date) -> pw.Expression:
    """Per-voucher subquery: redemptions minus reversals posted up to ``day`` (> 0 = redeemed then)."""
    alias = LedgerEntry.alias()
    return alias.select(fn.COALESCE(fn.SUM(pw.Case(alias.kind, (("redeem", 1),), -1)), 0)).where(
        (alias.voucher == Voucher.id) & (alias.posted_on <= day)
    )


def _alive_at_end_of(day: dt.date) -> pw.Expression:
    _, end = clock.local_day_bounds_utc(day, day)
    return (Voucher.issued_at < end) & (Voucher.voided_at.is_null() | (Voucher.voided_at >= end))


def _expired_query(first: dt.date, last: dt.date) -> pw.ModelSelect:
    """Vouchers that ran out unused in the period: few, found through the expiry index."""
    return Voucher.select().where(
        (Voucher.expires_on >= first)
        & (Voucher.expires_on <= last)
        & _alive_at_end_of(last)
        & (_net_redeemed_as_of(Voucher.expires_on) <= 0)
    )


def _outstanding_queries(day: dt.date) -> list[pw.ModelSelect]:
    """The liability at the end of ``day``: alive, unexpired vouchers not redeemed (net) by then.

    Split in two so that neither walks the whole ledger: a voucher with no ledger row after
    ``day`` is redeemed then exactly when it is redeemed now (its state says so, through the
    (state, expires_on) index); only the few vouchers with later ledger rows need the as-of sum.
    """
    entry = LedgerEntry.alias()
    later = fn.EXISTS(entry.select(entry.id).where((entry.voucher == Voucher.id) & (entry.posted_on > day)))
    alive = _alive_at_end_of(day) & (Voucher.expires_on >= day)
    unchanged = Voucher.select().where(alive & Voucher.state.in_(("issued", "voided", "expired")) & ~later)
    changed_ids = LedgerEntry.select(LedgerEntry.voucher).where(LedgerEntry.posted_on > day).distinct()
    changed = Voucher.select().where(alive & Voucher.id.in_(changed_ids) & (_net_redeemed_as_of(day) <= 0))
    return [unchanged, changed]


def reconciliation(actor: Actor, first: dt.date, last: dt.date, month: str | None = None) -> FinanceReport:
    """All measures for local days first..last; finance, supervisors and administrators only."""
    require(actor, "report.read")
    return compute_reconciliation(first, last, month)


def daily_close(actor: Actor, day: dt.date) -> dict[tuple[str], Tally]:
    """What each operator issued, voided, redeemed and reversed on one local day."""
    require(actor, "report.read")
    return compute_reconciliation(day, day).by_operator


@dataclass
class SeriesPoint:
    month: str
    issued_count: int
    redeemed_count: int


def local_month_sql(column: pw.Field) -> pw.Node:
    """'YYYY-MM' of a stored UTC timestamp in Asia/Shanghai (UTC+8 all year, no DST since 1991)."""
    if is_postgres():
        return fn.to_char(column + pw.SQL("interval '8 hours'"), pw.SQL("'YYYY-MM'"))
    return fn.strftime(pw.SQL("'%Y-%m'"), column, pw.SQL("'+8 hours'"))


def monthly_series(actor: Actor, first_month: str, last_month: str) -> list[SeriesPoint]:
    """Vouchers issued (by local issue month) and redeemed net of reversals (by accounting period)."""
    require(actor, "report.read")
    first, _ = month_bounds(first_month)
    _, last = month_bounds(last_month)
    months: list[str] = []
    cursor = first
    while cursor <= last:
        months.append(clock.month_of(cursor))
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start, end = clock.local_day_bounds_utc(first, last)
    bucket = local_month_sql(Voucher.issued_at)
    issued = dict(
        Voucher.select(bucket, fn.COUNT(Voucher.id))
        .where((Voucher.issued_at >= start) & (Voucher.issued_at < end))
        .group_by(bucket)
        .tuples()
    )
    redeemed = dict(
        LedgerEntry.select(LedgerEntry.period, fn.SUM(pw.Case(LedgerEntry.kind, (("redeem", 1),), -1)))
        .where(LedgerEntry.period.in_(months))
        .group_by(LedgerEntry.period)
        .tuples()
    )
    return [SeriesPoint(m, int(issued.get(m, 0)), int(redeemed.get(m, 0) or 0)) for m in months]


@dataclass
class PackageRate:
    package_code: str
    package_name: str
    issued_count: int
    redeemed_count: int

    @property
    def rate_percent(self) -> float:
        return 100.0 * self.redeemed_count / self.issued_count if self.issued_count else 0.0


def redemption_rates(actor: Actor, first: dt.date, last: dt.date) -> list[PackageRate]:
    """Per package: vouchers issued in the period and how many of those are redeemed now."""
    require(actor, "report.read")
    start, end = clock.local_day_bounds_utc(first, last)
    rows = (
        Voucher.select(
            Issuance.package_code,
            Issuance.package_name,
            fn.COUNT(Voucher.id),
            fn.SUM(pw.Case(None, ((Voucher.state == "redeemed", 1),), 0)),
        )
        .join(Issuance, JOIN.INNER)
        .where((Voucher.issued_at >= start) & (Voucher.issued_at < end))
        .group_by(Issuance.package_code, Issuance.package_name)
        .order_by(Issuance.package_code)
        .tuples()
    )
    ranks = package_rank()
    ordered = sorted(rows, key=lambda row: (ranks.get(row[0], len(ranks)), row[0]))
    return [PackageRate(code, name, int(n), int(r or 0)) for code, name, n, r in ordered]
