"""The figures the health commission measures the programme by (issue 19 point 3, first part).

* 发券人数: people, not vouchers — distinct clients with at least one package issued, by
  package and local month of issue (one woman issued two packages counts once per package and
  once in the total);
* screening: screening vouchers redeemed in the period, positives and the positive rate;
  follow-up cases opened for them, those closed, and the outcomes (确诊 gives the diagnosis rate
  among positives).

Coverage against the number of pregnant women and yearly targets needs denominators an
administrator enters per year and district: not built yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from models import clock
from models.follow_up import OUTCOMES
from models.permissions import Actor, require
from models.schema import Episode, FollowUpCase, Issuance, Voucher


@dataclass
class ProgrammeStats:
    first: str
    last: str
    people_total: int
    people_by_package: dict[str, int] = field(default_factory=dict)
    people_by_month: dict[str, int] = field(default_factory=dict)
    screened: int = 0
    positive: int = 0
    positive_rate: str = "-"
    cases_opened: int = 0
    cases_closed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    follow_up_rate: str = "-"  # closed cases among positives
    diagnosis_rate: str = "-"  # 确诊 among positives

    def to_dict(self) -> dict:
        return asdict(self)


def _rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "-"


def compute(actor: Actor, first: dt.date, last: dt.date) -> ProgrammeStats:
    require(actor, "report.read")
    start, end = clock.local_day_bounds_utc(first, last)
    issued = (
        Issuance.select(Issuance.package_code, Issuance.issued_at, Episode.client)
        .join(Episode)
        .where((Issuance.issued_at >= start) & (Issuance.issued_at < end))
        .tuples()
    )
    everyone: set[int] = set()
    by_package: dict[str, set[int]] = defaultdict(set)
    by_month: dict[str, set[int]] = defaultdict(set)
    for package, at, client in issued:
        everyone.add(client)
        by_package[package].add(client)
        by_month[clock.local_date_of(at).strftime("%Y-%m")].add(client)
    screening = (Voucher.result_kind == "screening") & (Voucher.state == "redeemed")
    in_period = (Voucher.redeemed_at >= start) & (Voucher.redeemed_at < end)
    screened = Voucher.select().where(screening & in_period).count()
    positive = Voucher.select().where(screening & in_period & (Voucher.result == "positive")).count()
    cases = list(
        FollowUpCase.select(FollowUpCase.status, FollowUpCase.outcome)
        .join(Voucher)
        .where(in_period & (Voucher.result == "positive"))
        .tuples()
    )
    outcomes = {label: sum(1 for _s, o in cases if o == code) for code, label in OUTCOMES.items()}
    closed = sum(1 for status, _o in cases if status == "closed")
    return ProgrammeStats(
        first=first.isoformat(),
        last=last.isoformat(),
        people_total=len(everyone),
        people_by_package={k: len(v) for k, v in sorted(by_package.items())},
        people_by_month={k: len(v) for k, v in sorted(by_month.items())},
        screened=screened,
        positive=positive,
        positive_rate=_rate(positive, screened),
        cases_opened=len(cases),
        cases_closed=closed,
        outcomes=outcomes,
        follow_up_rate=_rate(closed, positive),
        diagnosis_rate=_rate(outcomes["确诊"], positive),
    )
