"""Time: stored in UTC (naive datetimes), shown and bucketed in Asia/Shanghai.

Periods (days, months) are local dates. Tests freeze time with :func:`set_now`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_frozen: dt.datetime | None = None


def set_now(value: dt.datetime | None) -> None:
    """Freeze the clock (a naive UTC datetime or an aware one) for tests and demo data; None unfreezes."""
    global _frozen
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    _frozen = value


def utcnow() -> dt.datetime:
    """Now as a naive UTC datetime (how every timestamp is stored)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def server_now() -> dt.datetime:
    """Now by the database server's clock (naive UTC), for what lands in an accounting month.

    A posting's day or a month's close must not depend on a desk's clock being right. A frozen
    clock (tests, demo data) stands in for the server's.
    """
    if _frozen is not None:
        return _frozen
    from models.db import database, is_postgres  # late: db is the lower layer

    if is_postgres():
        value = database.execute_sql("SELECT clock_timestamp() AT TIME ZONE 'UTC'").fetchone()[0]
    else:
        value = database.execute_sql("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')").fetchone()[0]
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def server_today() -> dt.date:
    """The local (Asia/Shanghai) date by the database server's clock."""
    return local_date_of(server_now())


def to_local(value: dt.datetime) -> dt.datetime:
    """A stored naive-UTC datetime as an aware Asia/Shanghai datetime."""
    return value.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ)


def local_today() -> dt.date:
    return to_local(utcnow()).date()


def local_date_of(value: dt.datetime) -> dt.date:
    return to_local(value).date()


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def format_local(value: dt.datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_day_bounds_utc(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in naive UTC covering local days first..last inclusive."""
    start = dt.datetime.combine(first, dt.time(), LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), LOCAL_TZ).astimezone(dt.UTC)
    return start, end.replace(tzinfo=None)
