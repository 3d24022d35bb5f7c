"""Accounting months: open or closed. Closing freezes the month's figures in a snapshot.

A closed month never changes: redemptions and reversals that happen later post to the open
month they occur in (see :func:`posting_period`), and the month's report is printed from the
snapshot, with the close time as its generation time, so it prints identically years later.
"""

from __future__ import annotations

import datetime as dt
import json

from models import audit, chain_heads, clock
from models.db import database
from models.errors import InvalidInput, Refused
from models.finance import FinanceReport, compute_reconciliation, month_bounds
from models.permissions import Actor, require
from models.schema import Period


def parse_month(text: str) -> str:
    text = text.strip().replace("/", "-").replace("年", "-").replace("月", "")
    try:
        first = dt.date.fromisoformat(f"{text}-01") if len(text) <= 7 else None
    except ValueError:
        first = None
    if first is None:
        raise InvalidInput(f"月份格式不正确：{text}（例如 2026-10）")
    return clock.month_of(first)


def is_closed(month: str) -> bool:
    return Period.select().where((Period.month == month) & (Period.state == "closed")).exists()


def close_month(actor: Actor, month: str) -> Period:
    """Freeze ``month`` (finance). Refused while the month is not over or already closed."""
    require(actor, "period.close")
    month = parse_month(month)
    first, last = month_bounds(month)
    if last >= clock.local_today():
        raise Refused(f"{month} 尚未结束，不能月结")
    with database.atomic():
        period = Period.get_or_none(Period.month == month)
        if period is not None and period.state == "closed":
            raise Refused(f"{month} 已于 {clock.format_local(period.closed_at)} 月结，不能重复月结")
        snapshot = compute_reconciliation(first, last, month=month).to_json()
        now = clock.utcnow()
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


def list_periods() -> list[Period]:
    return list(Period.select().order_by(Period.month.desc()))
