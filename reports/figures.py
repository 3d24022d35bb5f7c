"""Finance report data: plain dataclasses filled by the queries in models/, read by the PDF
renderers and by the CSV/XLSX exporters, so paper and spreadsheet show the same figures.

All amounts are integer fen. A report is a list of :class:`Section` (one table each); the
totals row of a section is always the sum of its rows, computed here in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date

# measure -> column heading. 'settled' is derived: what the commission pays for the period.
MEASURES: dict[str, str] = {
    "issued": "发放",
    "redeemed": "核销",
    "reversed": "冲正",
    "voided": "作废",
    "expired": "过期",
    "outstanding": "期末未核销",
    "settled": "应结算",
}
ALL_FLOWS: tuple[str, ...] = ("issued", "redeemed", "reversed", "voided", "expired", "outstanding")


@dataclass(frozen=True)
class Figures:
    """Counts and values (fen) of one row. ``outstanding`` is the liability at the period's end."""

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

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{f.name} must be int (fen / count), got {type(value).__name__}")

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def settled_count(self) -> int:
        """Redemptions net of reversals posted in the period."""
        return self.redeemed_count - self.reversed_count

    @property
    def settled_fen(self) -> int:
        return self.redeemed_fen - self.reversed_fen

    def count(self, measure: str) -> int:
        return int(getattr(self, f"{measure}_count"))

    def fen(self, measure: str) -> int:
        return int(getattr(self, f"{measure}_fen"))

    @staticmethod
    def total(items: Iterable[Figures]) -> Figures:
        result = Figures()
        for item in items:
            result = result + item
        return result


@dataclass(frozen=True)
class Row:
    keys: tuple[str, ...]  # e.g. (package, item) or (service point,) or (operator,)
    figures: Figures


@dataclass(frozen=True)
class Section:
    title: str
    key_headers: tuple[str, ...]
    rows: Sequence[Row]
    measures: tuple[str, ...]

    @property
    def total(self) -> Figures:
        return Figures.total(row.figures for row in self.rows)


@dataclass(frozen=True)
class ReconciliationData:
    """对账报表 for any period; ``totals``, when given, must equal the sum of ``by_item``."""

    institution: str
    period_label: str
    date_from: date
    date_to: date
    generated_at: str
    closed: bool
    by_item: Sequence[Row]  # keys (package, item)
    by_point: Sequence[Row] = ()  # keys (service point,)
    by_operator: Sequence[Row] = ()  # keys (operator,)
    totals: Figures | None = None
    title: str = "生育友好服务电子券对账报表"

    def __post_init__(self) -> None:
        check_totals(self.by_item, self.totals)

    def meta(self) -> list[tuple[str, str]]:
        return _period_meta(self.period_label, self.date_from, self.date_to, self.generated_at, self.closed)

    def sections(self) -> list[Section]:
        sections = [Section("按服务包及项目", ("服务包", "服务项目"), self.by_item, ALL_FLOWS)]
        if self.by_point:
            sections.append(Section("按服务点", ("服务点",), self.by_point, ALL_FLOWS))
        if self.by_operator:
            ops = ("issued", "voided", "redeemed", "reversed")
            sections.append(Section("按操作员", ("操作员",), self.by_operator, ops))
        return sections


@dataclass(frozen=True)
class DailyCloseData:
    """日结单: what each operator issued, voided, redeemed and reversed on one local day."""

    institution: str
    day: date
    generated_at: str
    by_operator: Sequence[Row]  # keys (operator,)
    title: str = "生育友好服务日结单（按操作员）"
    chain_head: str = ""  # the audit chain head this close was made at (#seq · short digest)

    def meta(self) -> list[tuple[str, str]]:
        meta = [("日期", self.day.isoformat()), ("生成时间", self.generated_at)]
        return meta + ([("审计链头", self.chain_head)] if self.chain_head else [])

    def sections(self) -> list[Section]:
        ops = ("issued", "voided", "redeemed", "reversed")
        return [Section("操作员日结", ("操作员",), self.by_operator, ops)]


@dataclass(frozen=True)
class SettlementData:
    """月度结算表 to the health commission: redemptions net of reversals, by package × item."""

    institution: str
    commission: str  # e.g. '连云港市卫生健康委员会'
    period_label: str
    date_from: date
    date_to: date
    generated_at: str
    closed: bool
    rows: Sequence[Row]  # keys (package, item)
    totals: Figures | None = None
    prepared_by: str = ""
    title: str = "生育友好服务免费基础服务结算表"
    chain_head: str = ""  # the audit chain head the month close recorded (#seq · short digest)

    def __post_init__(self) -> None:
        check_totals(self.rows, self.totals)

    def meta(self) -> list[tuple[str, str]]:
        meta = [("报送单位", self.institution), ("报送对象", self.commission)]
        meta += _period_meta(self.period_label, self.date_from, self.date_to, self.generated_at, self.closed)
        return meta + ([("月结审计链头", self.chain_head)] if self.chain_head else [])

    def sections(self) -> list[Section]:
        return [Section("结算明细", ("服务包", "服务项目"), self.rows, ("redeemed", "reversed", "settled"))]


def check_totals(rows: Sequence[Row], totals: Figures | None) -> None:
    """Refuse to print a report whose stated totals differ from its rows, even by one fen."""
    if totals is not None and totals != Figures.total(r.figures for r in rows):
        raise ValueError("报表合计与明细之和不一致，拒绝打印")


def _period_meta(label: str, start: date, end: date, generated: str, closed: bool) -> list[tuple[str, str]]:
    status = "已结账（数据已冻结）" if closed else "未结账（数据可能变化）"
    return [
        ("统计期间", f"{label}（{start.isoformat()} 至 {end.isoformat()}）"),
        ("状态", status),
        ("生成时间", generated),
    ]
