"""Finance PDFs: reconciliation (对账), daily close per operator (日结) and the monthly settlement
statement to the health commission (结算表). Data comes from :mod:`reports.figures`.

A closed month prints identically at any later time as long as the caller passes the same data,
including ``generated_at`` (pass the close time for a closed month, not the print time).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from models.money import format_fen
from reports.base import StoryFactory, Styles, make_styles, render_pages
from reports.figures import MEASURES, DailyCloseData, Figures, ReconciliationData, Section, SettlementData
from reports.text import esc, fen_to_chinese_upper

_HEADER_BG = colors.HexColor("#E8E8E8")
_TOTAL_BG = colors.HexColor("#F3F3F3")


def render_reconciliation(data: ReconciliationData, font_file: str | None = None) -> bytes:
    """A4 landscape: one table per section, header rows repeated on every page."""
    pagesize = landscape(A4)
    styles = make_styles(9, font_file)

    def story() -> list[Flowable]:
        out = _heading(data.title, data.meta(), styles)
        for section in data.sections():
            out += [
                Paragraph(section.title, styles.heading),
                section_table(section, pagesize[0] - 30 * mm, styles),
            ]
        return out

    return _render(story, data.institution, data.title, pagesize, font_file)


def render_daily_close(data: DailyCloseData, font_file: str | None = None) -> bytes:
    """A4 portrait daily close with hand-over signature lines."""
    styles = make_styles(9.5, font_file)

    def story() -> list[Flowable]:
        out = _heading(data.title, data.meta(), styles)
        for section in data.sections():
            out.append(section_table(section, A4[0] - 30 * mm, styles))
        out += [Spacer(1, 12 * mm), _signatures(("交班人", "复核人"), A4[0] - 30 * mm, styles)]
        return out

    return _render(story, data.institution, data.title, A4, font_file)


def render_settlement(data: SettlementData, font_file: str | None = None) -> bytes:
    """A4 portrait settlement statement: table, amount in capitals, signatures 制表人/审核人/负责人."""
    styles = make_styles(9.5, font_file)
    width = A4[0] - 30 * mm

    def story() -> list[Flowable]:
        out = _heading(data.title, data.meta(), styles)
        section = data.sections()[0]
        out.append(section_table(section, width, styles))
        total = section.total
        out += [
            Spacer(1, 4 * mm),
            Paragraph(
                f"本期应结算 {total.settled_count} 人次，金额 {format_fen(total.settled_fen)}"
                f"（人民币大写：{fen_to_chinese_upper(total.settled_fen)}）",
                styles.body,
            ),
        ]
        if data.prepared_by:
            out.append(Paragraph(f"制表人：{esc(data.prepared_by)}", styles.body))
        out += [
            Spacer(1, 12 * mm),
            KeepTogether(
                [
                    _signatures(("制表人", "审核人", "负责人"), width, styles),
                    Spacer(1, 10 * mm),
                    Paragraph("（单位盖章）", styles.right),
                ]
            ),
        ]
        return out

    return _render(story, data.institution, data.title, A4, font_file)


def section_table(section: Section, width: float, st: Styles) -> Table:
    """Keys, then count and amount per measure; two header rows repeated; a totals row."""
    keys = len(section.key_headers)
    measure_cols = 2 * len(section.measures)
    # amounts get 1.4× the width of counts; keys share what remains (34 mm each or more).
    n = len(section.measures)
    unit = min(width * 0.72 / (2.4 * n), (width - keys * 34 * mm) / (2.4 * n), 20 * mm)
    key_width = (width - unit * 2.4 * n) / keys
    widths = [key_width] * keys + [unit, unit * 1.4] * len(section.measures)

    head1: list[object] = [Paragraph(h, st.cell) for h in section.key_headers]
    head2: list[object] = [""] * keys
    for m in section.measures:
        head1 += [Paragraph(MEASURES[m], st.cell), ""]
        head2 += [Paragraph("笔数", st.cell_right), Paragraph("金额(元)", st.cell_right)]
    body = [
        [Paragraph(esc(k), st.cell) for k in row.keys] + _nums(row.figures, section.measures, st)
        for row in section.rows
    ]
    total_row = [Paragraph("合计", st.cell)] + [""] * (keys - 1) + _nums(section.total, section.measures, st)
    grid = [head1, head2, *body, total_row]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 1), _HEADER_BG),
        ("BACKGROUND", (0, -1), (-1, -1), _TOTAL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (0, len(grid) - 1), (keys - 1, len(grid) - 1)),
    ]
    style += [("SPAN", (k, 0), (k, 1)) for k in range(keys)]
    style += [("SPAN", (c, 0), (c + 1, 0)) for c in range(keys, keys + measure_cols, 2)]
    return Table(grid, colWidths=widths, repeatRows=2, style=TableStyle(style), hAlign="LEFT")


def _nums(figures: Figures, measures: Sequence[str], st: Styles) -> list[object]:
    cells: list[object] = []
    for m in measures:
        count = figures.count(m)
        fen = figures.fen(m)
        cells += [
            Paragraph(f"{count:,}", st.cell_right),
            Paragraph(format_fen(fen, symbol=False), st.cell_right),
        ]
    return cells


def _heading(title: str, meta: list[tuple[str, str]], st: Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(esc(title), st.title)]
    out += [Paragraph(f"{esc(k)}：{esc(v)}", st.body) for k, v in meta]
    out.append(Spacer(1, 3 * mm))
    return out


def _signatures(roles: Sequence[str], width: float, st: Styles) -> Table:
    cells = [
        Paragraph(f"{role}：______________<br/><br/>日期：______年____月____日", st.body) for role in roles
    ]
    return Table([cells], colWidths=[width / len(roles)] * len(roles), hAlign="LEFT")


def _render(
    story: StoryFactory, institution: str, title: str, pagesize: tuple[float, float], font_file: str | None
) -> bytes:
    return render_pages(story, institution=institution, title=title, pagesize=pagesize, font_file=font_file)
