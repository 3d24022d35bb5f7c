"""Voucher slip (电子券券单): one per issuance, on the 80 mm roll or on A4/A5 paper.

Each voucher shows its item, value, validity and service point, the code grouped for reading,
and the same code as QR and Code128 so the redemption screen's scanner can read either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from models.money import format_fen
from reports.barcodes import DOT, ROLL_BAR_WIDTH, code128, qr_code
from reports.base import PAPERS, ROLL_MARGIN, ROLL_WIDTH, Styles, make_styles, render_pages, render_roll
from reports.text import esc

SLIP_TITLE = "生育友好服务电子券券单"
DEFAULT_INSTRUCTIONS: tuple[str, ...] = (
    "所列基础服务由政府免费提供，请持本券单到对应服务点使用，每张券限用一次。",
    "请在有效期内使用，逾期作废。使用时请出示本人有效身份证件。",
    "券单遗失可携带身份证件到生育友好服务台补打。",
)


@dataclass(frozen=True)
class SlipVoucher:
    item_name: str
    value_fen: int
    code: str  # 20 digits, what the barcodes carry
    code_display: str  # grouped for reading, e.g. 1234-5678-9012-3456-7890
    valid_until: date | str
    service_point_name: str


@dataclass(frozen=True)
class UpgradeItem:
    """A self-paid upgrade (升级服务) the client chose: listed for information, not a voucher."""

    name: str
    price_fen: int


@dataclass(frozen=True)
class SlipData:
    institution: str
    slip_no: str
    client_name_masked: str
    client_id_masked: str
    episode_label: str
    package_name: str
    issued_by: str
    issued_at: str  # already local time, formatted
    vouchers: Sequence[SlipVoucher]
    upgrades: Sequence[UpgradeItem] = ()
    instructions: Sequence[str] = DEFAULT_INSTRUCTIONS
    reprint_note: str = ""  # e.g. '补打（第 2 次）'
    extra: dict[str, str] = field(default_factory=dict)  # further labelled lines, printed as given


@dataclass(frozen=True)
class _Layout:
    width: float
    font_size: float
    qr_size: float
    bar_width: float
    bar_height: float = 8 * mm
    columns: int = 1  # vouchers side by side: A4 lays them out as a grid of cut-out vouchers


# QR sizes are upper bounds: modules are snapped to whole 203 dpi dots (reports.barcodes), so a
# 20-digit code (29 modules with its quiet zone) prints 4 dots a module on the roll (14.5 mm),
# 5 in the A4 grid (18.1 mm), 6 on A5 (21.8 mm). Code128 bars are 3 dots (0.375 mm), which also
# reads at 180 dpi: 145 modules and the quiet zones make 62 mm.
_LAYOUTS: dict[str, _Layout] = {
    "roll80": _Layout(ROLL_WIDTH - 2 * ROLL_MARGIN, 8.5, 15 * mm, ROLL_BAR_WIDTH, 5.5 * mm),
    "a5": _Layout(PAPERS["a5"][0] - 30 * mm, 9.5, 24 * mm, 3 * DOT),
    "a4": _Layout(PAPERS["a4"][0] - 30 * mm, 9, 19 * mm, 3 * DOT, 7 * mm, columns=2),
}
GRID_PADDING = 3 * mm


def render_slip(data: SlipData, paper: str = "roll80", font_file: str | None = None) -> bytes:
    """PDF bytes of the slip; ``paper`` is 'roll80', 'a4' or 'a5'."""
    if paper not in _LAYOUTS:
        raise ValueError(f"不支持的纸张：{paper}（可选 roll80、a4、a5）")
    layout = _LAYOUTS[paper]
    styles = make_styles(layout.font_size, font_file)

    def story() -> list[Flowable]:
        return _story(data, layout, styles)

    if paper == "roll80":
        return render_roll(story, title=SLIP_TITLE, institution=data.institution, font_file=font_file)
    return render_pages(
        story, institution=data.institution, title=SLIP_TITLE, pagesize=PAPERS[paper], font_file=font_file
    )


def _story(data: SlipData, layout: _Layout, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph(esc(data.institution), st.center),
        Paragraph(SLIP_TITLE, st.title),
    ]
    if data.reprint_note:
        out.append(Paragraph(esc(data.reprint_note), st.center))
    lines = [
        ("券单号", data.slip_no),
        ("服务对象", _person(data.client_name_masked, data.client_id_masked)),
        ("服务阶段", data.episode_label),
        ("服务包", data.package_name),
        *data.extra.items(),
    ]
    out += [Paragraph(f"{esc(k)}：{esc(v)}", st.body) for k, v in lines]
    out.append(_rule(layout.width))
    if layout.columns > 1:
        owner = f"{data.client_name_masked}　券单号 {data.slip_no}"
        out += [_voucher_grid(data.vouchers, owner, layout, st), Spacer(1, 2 * mm)]
    else:
        for number, voucher in enumerate(data.vouchers, start=1):
            out += [KeepTogether(_voucher_block(number, voucher, layout, st)), Spacer(1, 1 * mm)]
    total = sum(v.value_fen for v in data.vouchers)
    out.append(Paragraph(f"免费基础服务 {len(data.vouchers)} 项，合计价值 {format_fen(total)}", st.body))
    if data.upgrades:
        out += [_rule(layout.width), Paragraph("自选升级服务（自费，另行缴费）", st.body)]
        out += [_two_cols(u.name, format_fen(u.price_fen), layout.width, st) for u in data.upgrades]
        paid = sum(u.price_fen for u in data.upgrades)
        out.append(_two_cols("自费合计", format_fen(paid), layout.width, st))
    out.append(_rule(layout.width))
    closing: list[Flowable] = [Paragraph("使用说明", st.body)]
    closing += [Paragraph(f"{i}. {esc(text)}", st.small) for i, text in enumerate(data.instructions, start=1)]
    closing += [
        Spacer(1, 1.5 * mm),
        Paragraph(f"发券人：{esc(data.issued_by)}　发券时间：{esc(data.issued_at)}", st.body),
    ]
    out.append(KeepTogether(closing))  # on sheets, never leave the issuer alone on a page
    return out


def _voucher_block(number: int, v: SlipVoucher, layout: _Layout, st: Styles) -> list[Flowable]:
    """One voucher: name and value, then the QR code beside code, expiry and service point, and
    the Code128 where it fits (beside the text on sheets, across the roll below)."""
    valid = v.valid_until.isoformat() if isinstance(v.valid_until, date) else v.valid_until
    code_line = Paragraph(f"<font size={st.body.fontSize * 1.2:.1f}>{esc(v.code_display)}</font>", st.body)
    barcode = code128(v.code, layout.bar_width, layout.bar_height)
    right_width = layout.width - layout.qr_size - 1.5 * mm
    side_by_side = barcode.wrap(right_width, layout.width)[0] <= right_width
    if side_by_side:
        info = [
            code_line,
            Paragraph(f"有效期至 {esc(valid)}", st.small),
            Paragraph(f"服务点：{esc(v.service_point_name)}", st.small),
        ]
    else:  # the roll, where every line counts: expiry and service point share one
        info = [code_line, Paragraph(f"有效期至 {esc(valid)}　{esc(v.service_point_name)}", st.small)]
    head = _two_cols(
        f"{number}. {v.item_name}", format_fen(v.value_fen), layout.width if side_by_side else right_width, st
    )
    if side_by_side:  # sheet paper: the barcode fits under the text, beside the QR code
        grid = [[qr_code(v.code, layout.qr_size), [*info, Spacer(1, 1 * mm), barcode]]]
        spans = []
    else:  # the roll: the name beside the QR code, the barcode across below
        grid = [[qr_code(v.code, layout.qr_size), [head, *info]], [barcode, ""]]
        spans = [("SPAN", (0, 1), (1, 1)), ("ALIGN", (0, 1), (1, 1), "CENTER")]
    body = Table(
        grid,
        colWidths=[layout.qr_size + 1.5 * mm, right_width],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *spans,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        ),
    )
    return [head, body] if side_by_side else [body]


def _voucher_grid(vouchers: Sequence[SlipVoucher], owner: str, layout: _Layout, st: Styles) -> Table:
    """Vouchers as cut-out cards, ``layout.columns`` a row, dashed cutting lines between them; each
    card names its owner and slip, so a card cut out still says whose it is."""
    cell_width = layout.width / layout.columns
    inner = replace(layout, width=cell_width - 2 * GRID_PADDING, columns=1)
    cells = [
        [*_voucher_block(n, v, inner, st), Paragraph(esc(owner), st.small)]
        for n, v in enumerate(vouchers, start=1)
    ]
    rows = [cells[i : i + layout.columns] for i in range(0, len(cells), layout.columns)]
    rows[-1] += [""] * (layout.columns - len(rows[-1]))
    return Table(
        rows,
        colWidths=[cell_width] * layout.columns,
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black, None, (3, 2)),
                ("LEFTPADDING", (0, 0), (-1, -1), GRID_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), GRID_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), GRID_PADDING),
            ]
        ),
    )


def _person(name: str, id_masked: str) -> str:
    """Name with the masked ID number in brackets; a newborn without papers has just the name."""
    return f"{name}（{id_masked}）" if id_masked.strip() else name


def _two_cols(left: str, right: str, width: float, st: Styles) -> Table:
    """Label on the left, amount flush right: the receipt-printer look."""
    right_width = 20 * mm
    return Table(
        [[Paragraph(esc(left), st.body), Paragraph(esc(right), st.right)]],
        colWidths=[width - right_width, right_width],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
    )


def _rule(width: float) -> HRFlowable:
    return HRFlowable(
        width=width, thickness=0.6, color=colors.black, dash=[2, 2], spaceBefore=3, spaceAfter=3
    )
