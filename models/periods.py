"""Accounting months: open or closed. Closing freezes the month's figures in a snapshot.

A closed month never changes: redemptions and reversals that happen later post to the open
month they occur in (see :func:`posting_period`), and the month's report is printed from the
snapshot, with the close time as its generation time (and the institution's name of that
day), so it prints identically years later.

Months close in order (the first month with data, then each following one), only once they are
over by the database server's clock, and never reopen. Closing and posting are serialised on
the month's period row: the close locks it (``FOR UPDATE``) before it reads anything, every
posting or other dated entry locks the row of its month (``FOR SHARE``) before choosing it; on
SQLite the write transaction does the same. Nothing dated lands in a closed month
(:func:`ensure_open`).
"""

from __future__ import annotations

import datetime as dt
import json

from peewee import fn

from models import audit, chain_heads, clock, settings
from models.certificate_states import as_date, as_datetime
from models.db import is_postgres, run_in_transaction
from models.errors import InvalidInput, Refused
from models.finance import FinanceReport, compute_reconciliation, month_bounds
from models.permissions import Actor, require
from models.schema import CertificateBatch, LedgerEntry, Period, Voucher


def parse_month(text: str) -> str:
    text = text.strip().replace("/", "-").replace("年", "-").replace("月", "")
    try:
        first = dt.date.fromisoformat(f"{text}-01") if len(text) <= 7 else None
    except ValueError:
        first = None
    if first is None:
        raise InvalidInput(f"月份格式不正确：{text}（例如 2026-10）")
    return clock.month_of(first)


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def is_closed(month: str) -> bool:
    return Period.select().where((Period.month == month) & (Period.state == "closed")).exists()


def last_closed_month() -> str | None:
    """The latest closed month; months close in order, so every earlier month is closed too."""
    return Period.select(fn.MAX(Period.month)).where(Period.state == "closed").scalar()


def next_to_close() -> str | None:
    """The month to close next: the one after the last closed, else the first month with data."""
    last = last_closed_month()
    return next_month(last) if last else first_data_month()


def first_data_month() -> str | None:
    """The first month anything dated was recorded in: a voucher issued, a ledger row, a form received."""
    candidates = []
    issued = Voucher.select(fn.MIN(Voucher.issued_at)).scalar()
    if issued is not None:
        candidates.append(clock.month_of(clock.local_date_of(as_datetime(issued))))
    posted = LedgerEntry.select(fn.MIN(LedgerEntry.period)).scalar()
    if posted is not None:
        candidates.append(posted)
    received = CertificateBatch.select(fn.MIN(CertificateBatch.received_on)).scalar()
    if received is not None:
        candidates.append(clock.month_of(as_date(received)))
    return min(candidates) if candidates else None


HEADER_SETTINGS = ("institution_name", "commission_name")  # frozen with the snapshot

# When False the period row is neither created nor locked before it is read: the race of issue 14
# (a posting slipping into a month while it is being closed). Only the self-test turns it off.
LOCKING = True


def _period_row(month: str, lock: str) -> Period | None:
    """The period row of ``month``, created if missing, locked until the transaction ends.

    PostgreSQL: ``FOR SHARE`` for a posting (desks post side by side), ``FOR UPDATE`` for the
    close, which therefore waits for every posting into the month to commit, and they for it.
    SQLite: the INSERT takes the database's write lock (if the transaction had not already), so
    nothing commits between this read and the end of the transaction.
    """
    if not LOCKING:
        return Period.get_or_none(Period.month == month)

    def locked() -> Period | None:
        query = Period.select().where(Period.month == month)
        return (query.for_update(lock) if is_postgres() else query).first()

    row = locked() if is_postgres() else None
    if row is None:
        created = Period.insert(month=month, state="open").on_conflict_ignore().as_rowcount().execute()
        if created:  # every period row is explained by an event, open ones too
            audit.record(None, "period.open", "period", month, after={"state": "open"})
        row = locked()
    return row


def posting_period(day: dt.date) -> str:
    """The open month a ledger row dated ``day`` posts to: ``day``'s month, or the first later month
    that is not closed. Call inside the posting's transaction: the month stays open until it commits.
    """
    month = clock.month_of(day)
    while True:
        row = _period_row(month, "FOR SHARE")
        if row is None or row.state != "closed":
            return month
        month = next_month(month)


def ensure_open(day: dt.date, what: str) -> None:
    """Refuse a dated entry (``what`` names it) whose date falls in a closed month.

    Call inside the entry's transaction: the month stays open until it commits.
    """
    month = clock.month_of(day)
    row = _period_row(month, "FOR SHARE")
    closed = row is not None and row.state == "closed"
    if not closed:
        latest = last_closed_month()
        closed = latest is not None and month <= latest
    if closed:
        raise Refused(f"{what}日期 {day} 所在的 {month} 已月结，不能记入已结账的月份", field="date")


def _check_closable(month: str, period: Period | None, today: dt.date) -> None:
    if period is not None and period.state == "closed":
        raise Refused(f"{month} 已于 {clock.format_local(period.closed_at)} 月结，不能重复月结")
    current = clock.month_of(today)
    if month >= current:
        raise Refused(
            f"{month} 尚未结束，不能月结（今天是 {today}，只能月结 {previous_month(current)} 及以前的月份）"
        )
    first = first_data_month()
    if first is None or month < first:
        since = f"（最早的数据在 {first}）" if first else ""
        raise Refused(f"{month} 没有任何业务数据，不能月结{since}")
    before = previous_month(month)
    if month > first and not is_closed(before):
        due = next_to_close()
        then = f"，下一个应月结的是 {due}" if due and due != before else ""
        raise Refused(f"请先结账 {before}：月份必须按顺序月结{then}", month=before)


def close_month(actor: Actor, month: str) -> Period:
    """Freeze ``month`` (finance).

    Refused while the month is not over (by the database server's date), already closed, before
    the first month with data, or while the month before it is still open. There is no reopening:
    a correction posts to the open month. The period row is locked before anything is read, so
    no redemption or reversal can post into the month between the snapshot and the commit.
    """
    require(actor, "period.close")
    month = parse_month(month)
    first, last = month_bounds(month)

    def work() -> Period:
        period = _period_row(month, "FOR UPDATE")
        now = clock.server_now()
        _check_closable(month, period, clock.local_date_of(now))
        snapshot = compute_reconciliation(first, last, month=month).to_json()
        snapshot["header"] = {key: settings.get(key) for key in HEADER_SETTINGS}
        values = {
            "state": "closed",
            "closed_at": now,
            "closed_by": actor.staff,
            "snapshot": json.dumps(snapshot, ensure_ascii=False),
        }
        if period is None:
            period = Period.create(month=month, **values)
        else:
            Period.update(**values).where(Period.id == period.id).execute()
            period = Period.get_by_id(period.id)
        totals = snapshot["totals"]
        audit.record(
            actor,
            "period.close",
            "period",
            month,
            before={"state": "open"},
            after={
                "state": "closed",
                "redeemed_fen": totals["redeemed_fen"],
                "reversed_fen": totals["reversed_fen"],
            },
        )
        chain_heads.record_head("month_close", month)
        return period

    period = run_in_transaction(work)
    chain_heads.update_head_file("month_close")
    return period


def month_report(actor: Actor, month: str) -> tuple[FinanceReport, Period | None]:
    """The month's figures: the frozen snapshot when closed, else computed now."""
    require(actor, "report.read")
    month = parse_month(month)
    period = Period.get_or_none(Period.month == month)
    if period is not None and period.state == "closed" and period.snapshot:
        return FinanceReport.from_json(json.loads(period.snapshot)), period
    first, last = month_bounds(month)
    return compute_reconciliation(first, last, month=month), period


def closed_header(period: Period | None, key: str) -> str:
    """A document header setting (institution, commission) as it was when the month closed, so a
    renamed institution does not change a closed month's reprint; the current value otherwise."""
    if period is not None and period.state == "closed" and period.snapshot:
        header = json.loads(period.snapshot).get("header") or {}
        if key in header:
            return header[key]
    return settings.get(key)


def list_periods() -> list[Period]:
    return list(Period.select().order_by(Period.month.desc()))
