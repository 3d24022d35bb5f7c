"""Statistics PDF: vouchers issued and redeemed over time, redemption rate per package.

Charts are reportlab graphics (vector, embedded in the PDF, Chinese labels in the registered
font); each chart is followed by its figures as a table, so nothing depends on reading a curve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from reports.base import Styles, make_styles, render_pages
from reports.text import esc

ISSUED_COLOR = colors.HexColor("#2F6FB3")
REDEEMED_COLOR = colors.HexColor("#2E9E5B")
STATS_TITLE = "生育友好服务电子券统计"


@dataclass(frozen=True)
class TimePoint:
    label: str  # '03-12' for a day, '2025-03' for a month
    issued: int
    redeemed: int


@dataclass(frozen=True)
class PackageRate:
    package: str
    issued: int
    redeemed: int

    @property
    def rate_percent(self) -> float:
        """Share of issued vouchers that were redeemed, in percent (0 when none were issued)."""
        return 100.0 * self.redeemed / self.issued if self.issued else 0.0


@dataclass(frozen=True)
class StatisticsData:
    institution: str
    period_label: str
    generated_at: str
    timeline: Sequence[TimePoint]
    per_package: Sequence[PackageRate]
    title: str = STATS_TITLE


def timeline_chart(points: Sequence[TimePoint], width: float, height: float, font: str) -> Drawing:
    """Two lines, issued and redeemed, over the period; at most ~12 category labels shown."""
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 12 * mm, 16 * mm
    chart.width, chart.height = width - 18 * mm, height - 26 * mm
    chart.data = [[p.issued for p in points] or [0], [p.redeemed for p in points] or [0]]
    step = max(1, -(-len(points) // 12))
    chart.categoryAxis.categoryNames = [p.label if i % step == 0 else "" for i, p in enumerate(points)] or [
        ""
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(points) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(points) > 8 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d"
    for index, color in enumerate((ISSUED_COLOR, REDEEMED_COLOR)):
        chart.lines[index].strokeColor = color
        chart.lines[index].strokeWidth = 1.5
        chart.lines[index].symbol = makeMarker("FilledCircle", size=3, fillColor=color)
    drawing.add(chart)
    drawing.add(
        _legend(width - 40 * mm, height - 4 * mm, font, [(ISSUED_COLOR, "发放"), (REDEEMED_COLOR, "核销")])
    )
    return drawing


def rate_chart(packages: Sequence[PackageRate], width: float, font: str) -> Drawing:
    """One horizontal bar per package, 0–100 %, value printed at the end of each bar."""
    bar_space = 9 * mm
    height = max(len(packages), 1) * bar_space + 16 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 46 * mm, 10 * mm
    chart.width, chart.height = width - 62 * mm, height - 14 * mm
    # Bars run bottom-up: reverse so the first package is on top, as in the table below.
    ordered = list(reversed(packages))
    chart.data = [[round(p.rate_percent, 1) for p in ordered] or [0]]
    chart.categoryAxis.categoryNames = [p.package for p in ordered] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = REDEEMED_COLOR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    return drawing


def render_statistics(data: StatisticsData, font_file: str | None = None) -> bytes:
    styles = make_styles(9.5, font_file)
    width = A4[0] - 30 * mm

    def story() -> list[Flowable]:
        out: list[Flowable] = [
            Paragraph(esc(data.title), styles.title),
            Paragraph(f"统计期间：{esc(data.period_label)}", styles.body),
            Paragraph(f"生成时间：{esc(data.generated_at)}", styles.body),
            Paragraph("电子券发放与核销趋势", styles.heading),
            timeline_chart(data.timeline, width, 80 * mm, styles.font),
        ]
        rows = [[p.label, f"{p.issued:,}", f"{p.redeemed:,}"] for p in data.timeline]
        out.append(_table(["日期", "发放（张）", "核销（张）"], rows, width, styles))
        out += [Paragraph("各服务包核销率", styles.heading), rate_chart(data.per_package, width, styles.font)]
        rows = [[p.package, f"{p.issued:,}", f"{p.redeemed:,}", _rate_text(p)] for p in data.per_package]
        out.append(_table(["服务包", "发放（张）", "核销（张）", "核销率"], rows, width, styles))
        return out

    return render_pages(
        story, institution=data.institution, title=data.title, pagesize=A4, font_file=font_file
    )


def _rate_text(p: PackageRate) -> str:
    return f"{p.rate_percent:.1f}%" if p.issued else "—"


def _legend(x: float, y: float, font: str, pairs: list[tuple[colors.Color, str]]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 40
    legend.colorNamePairs = pairs
    return legend


def _table(header: list[str], rows: list[list[str]], width: float, st: Styles) -> Table:
    grid = [[Paragraph(h, st.cell) for h in header]]
    grid += [
        [Paragraph(esc(row[0]), st.cell)] + [Paragraph(c, st.cell_right) for c in row[1:]] for row in rows
    ]
    first = width * 0.4
    rest = (width - first) / (len(header) - 1)
    return Table(
        grid,
        colWidths=[first] + [rest] * (len(header) - 1),
        repeatRows=1,
        hAlign="LEFT",
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
