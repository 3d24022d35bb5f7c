"""Birth certificate stock report (opening / movements / closing for a period) and annual usage
statistics.

Read-only accounting over the blank-form rows, reconstructed from their dates; separate from the
stock services in models/certificates.py, which change those rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from models import clock
from models.certificate_serials import compress_serials
from models.certificate_states import (
    DESTROYED,
    FIRST,
    ISSUED,
    ON_HAND,
    REISSUE,
    REPLACE,
    STATES,
    VOIDED,
    as_date,
    as_datetime,
)
from models.errors import InvalidInput
from models.schema import BirthCertificate, CertificateBatch, CertificateForm


@dataclass(frozen=True)
class _Life:
    """One form's history as local dates (None: not happened)."""

    serial: str
    received: dt.date
    issued: dt.date | None
    voided: dt.date | None
    destroyed: dt.date | None

    def state_on(self, day: dt.date) -> str | None:
        if self.received > day:
            return None
        if self.destroyed and self.destroyed <= day:
            return DESTROYED
        if self.voided and self.voided <= day:
            return VOIDED
        if self.issued and self.issued <= day:
            return ISSUED
        return ON_HAND


@dataclass
class StockReport:
    """Blank-form accounts for local days ``date_from``…``date_to``.

    ``opening``/``closing`` partition every serial received by the day before / the last day into
    states; ``movements`` lists serials received, issued, voided and destroyed within the period.
    ``received_total`` comes from the receiving batches (not from the form rows), so a lost or
    extra row shows as ``balanced == False``.
    """

    date_from: dt.date
    date_to: dt.date
    received_total: int
    opening: dict[str, list[str]] = field(default_factory=dict)
    closing: dict[str, list[str]] = field(default_factory=dict)
    movements: dict[str, list[str]] = field(default_factory=dict)
    on_hand_by_desk: dict[str, int] = field(default_factory=dict)  # current, '' = store room

    def count(self, part: dict[str, list[str]]) -> dict[str, int]:
        return {state: len(part.get(state, [])) for state in STATES}

    @property
    def balanced(self) -> bool:
        return self.received_total == sum(len(v) for v in self.closing.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "received_total": self.received_total,
            "balanced": self.balanced,
            "opening": self.count(self.opening),
            "closing": self.count(self.closing),
            "movements": {k: len(v) for k, v in self.movements.items()},
            "closing_serials": {k: compress_serials(v) for k, v in self.closing.items()},
            "movement_serials": {k: compress_serials(v) for k, v in self.movements.items()},
            "on_hand_by_desk": self.on_hand_by_desk,
        }


def _lives(until: dt.date) -> list[_Life]:
    issued = {
        row.form_id: clock.local_date_of(as_datetime(row.issued_at))
        for row in BirthCertificate.select(BirthCertificate.form, BirthCertificate.issued_at)
    }
    query = (
        CertificateForm.select(CertificateForm, CertificateBatch)
        .join(CertificateBatch)
        .where(CertificateBatch.received_on <= until)
        .order_by(CertificateForm.serial)
    )
    return [
        _Life(
            serial=f.serial,
            received=as_date(f.batch.received_on),
            issued=issued.get(f.id),
            voided=clock.local_date_of(as_datetime(f.voided_at)) if f.voided_at else None,
            destroyed=as_date(f.destroyed_on) if f.destroyed_on else None,
        )
        for f in query
    ]


def stock_report(date_from: dt.date, date_to: dt.date) -> StockReport:
    if date_from > date_to:
        raise InvalidInput(f"开始日期 {date_from} 晚于结束日期 {date_to}", field="period")
    total = (
        CertificateBatch.select(
            pw.fn.COALESCE(pw.fn.SUM(CertificateBatch.last_number - CertificateBatch.first_number + 1), 0)
        )
        .where(CertificateBatch.received_on <= date_to)
        .scalar()
    )
    report = StockReport(date_from, date_to, int(total))
    report.opening = {s: [] for s in STATES}
    report.closing = {s: [] for s in STATES}
    report.movements = {"received": [], ISSUED: [], VOIDED: [], DESTROYED: []}
    day_before = date_from - dt.timedelta(days=1)
    for life in _lives(date_to):
        before = life.state_on(day_before)
        if before:
            report.opening[before].append(life.serial)
        after = life.state_on(date_to)
        assert after is not None
        report.closing[after].append(life.serial)
        for name, day in (
            ("received", life.received),
            (ISSUED, life.issued),
            (VOIDED, life.voided),
            (DESTROYED, life.destroyed),
        ):
            if day and date_from <= day <= date_to:
                report.movements[name].append(life.serial)
    rows = (
        CertificateForm.select(CertificateForm.desk, pw.fn.COUNT(CertificateForm.id).alias("n"))
        .where(CertificateForm.state == ON_HAND)
        .group_by(CertificateForm.desk)
    )
    report.on_hand_by_desk = {row.desk or "": row.n for row in rows}
    return report


@dataclass
class UsageStats:
    """One year's usage by local month (1–12): received, issued by kind, voided, destroyed."""

    year: int
    months: dict[int, dict[str, int]]
    void_reasons: dict[str, int]

    @property
    def totals(self) -> dict[str, int]:
        keys = next(iter(self.months.values())).keys()
        return {k: sum(m[k] for m in self.months.values()) for k in keys}

    @property
    def void_rate_permille(self) -> int:
        """Voided per thousand forms used (issued + voided), rounded half up — integer, no float."""
        t = self.totals
        used = t["issued"] + t["voided"]
        return (t["voided"] * 2000 + used) // (2 * used) if used else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "months": {str(k): v for k, v in self.months.items()},
            "totals": self.totals,
            "void_rate_permille": self.void_rate_permille,
            "void_reasons": self.void_reasons,
        }


def annual_usage(year: int) -> UsageStats:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    keys = ("received", "issued", FIRST, REISSUE, REPLACE, "voided", "destroyed")
    months = {m: dict.fromkeys(keys, 0) for m in range(1, 13)}
    for batch in CertificateBatch.select().where(CertificateBatch.received_on.between(first, last)):
        months[as_date(batch.received_on).month]["received"] += batch.last_number - batch.first_number + 1
    start, end = clock.local_day_bounds_utc(first, last)
    certs = BirthCertificate.select(BirthCertificate.kind, BirthCertificate.issued_at).where(
        (BirthCertificate.issued_at >= start) & (BirthCertificate.issued_at < end)
    )
    for cert in certs:
        month = months[clock.local_date_of(as_datetime(cert.issued_at)).month]
        month["issued"] += 1
        month[cert.kind] += 1
    reasons: dict[str, int] = {}
    newer = BirthCertificate.alias()
    superseded = BirthCertificate.select(BirthCertificate.form).where(
        BirthCertificate.id.in_(newer.select(newer.replaces).where(newer.replaces.is_null(False)))
    )
    voided = CertificateForm.select().where(  # a superseded form was used (issued), not wasted
        (CertificateForm.voided_at >= start)
        & (CertificateForm.voided_at < end)
        & CertificateForm.id.not_in(superseded)
    )
    for form in voided:
        months[clock.local_date_of(as_datetime(form.voided_at)).month]["voided"] += 1
        reasons[form.void_reason or ""] = reasons.get(form.void_reason or "", 0) + 1
    for form in CertificateForm.select().where(CertificateForm.destroyed_on.between(first, last)):
        months[as_date(form.destroyed_on).month]["destroyed"] += 1
    return UsageStats(year, months, dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))))
