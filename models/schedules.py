"""Age schedules: a package issued once per age window (湘助成长包's child health checks).

The catalog gives the ages at which a visit is due, as data: ``months`` (1, 3, 6, 8, 12, 18, 24,
30, 36 月龄 per the national child health-management schedule), then ``years`` (yearly to 6),
then ``school_years`` (the school-age checks), and ``until_years`` (18: the day before the 18th
birthday is the last day). Each window runs from its visit age to the day before the next one;
its vouchers are valid for that window only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the date arithmetic stays importable without the database layer
    from models.schema import Package


@dataclass(frozen=True)
class AgeWindow:
    number: int  # 1-based; stored on the issuance as window_no
    label: str  # '3月龄', '4岁', '7岁（学龄期）'
    starts: dt.date
    ends: dt.date  # the last day of the window

    @property
    def text(self) -> str:
        return f"{self.label}（{self.starts.isoformat()} 至 {self.ends.isoformat()}）"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter: 1-31 + 1 → 2-28)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_of(package: Package) -> dict | None:
    return json.loads(package.schedule) if package.schedule else None


def windows(schedule: dict, birth: dt.date) -> list[AgeWindow]:
    """Every window of the schedule for a child born on ``birth``."""
    visits = [(f"{m}月龄", m) for m in schedule.get("months", [])]
    visits += [(f"{y}岁", 12 * y) for y in schedule.get("years", [])]
    visits += [(f"{y}岁（学龄期）", 12 * y) for y in schedule.get("school_years", [])]
    ends = [months for _, months in visits[1:]] + [12 * schedule["until_years"]]
    return [
        AgeWindow(
            number=number,
            label=label,
            starts=add_months(birth, start),
            ends=add_months(birth, end) - dt.timedelta(days=1),
        )
        for number, ((label, start), end) in enumerate(zip(visits, ends, strict=True), start=1)
    ]


def current_window(schedule: dict, birth: dt.date, today: dt.date) -> AgeWindow | None:
    return next((w for w in windows(schedule, birth) if w.starts <= today <= w.ends), None)


def next_window(schedule: dict, birth: dt.date, today: dt.date) -> AgeWindow | None:
    return next((w for w in windows(schedule, birth) if w.starts > today), None)


def window_by_number(schedule: dict, birth: dt.date, number: int) -> AgeWindow | None:
    return next((w for w in windows(schedule, birth) if w.number == number), None)


def problems(value: object) -> str | None:
    """Why a catalog ``schedule`` table is unusable (None when it is fine)."""
    if not isinstance(value, dict) or set(value) - {"months", "years", "school_years", "until_years"}:
        return "应为 { months = [...], years = [...], school_years = [...], until_years = 18 }"
    ages: list[int] = []
    for key, factor in (("months", 1), ("years", 12), ("school_years", 12)):
        values = value.get(key, [])
        if not isinstance(values, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            return f"{key} 应为整数列表"
        ages += [v * factor for v in values]
    until = value.get("until_years")
    if not ages:
        return "没有任何年龄段"
    if ages != sorted(set(ages)) or ages[0] < 0:
        return "各年龄应从小到大、不重复"
    if not isinstance(until, int) or isinstance(until, bool) or until * 12 <= ages[-1]:
        return "until_years 应为大于最后一次年龄的整数（周岁）"
    return None
