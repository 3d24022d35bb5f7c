"""Redemption receipt (核销回执) on the 80 mm roll: a client copy and a service-point copy.

Both copies come out of one print job, separated by a tear line; the service-point copy has a
line for the client's signature, which the point keeps with its day's paperwork.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer

from models.money import format_fen
from reports.base import ROLL_MARGIN, ROLL_WIDTH, Styles, make_styles, render_roll
from reports.text import esc

RECEIPT_TITLE = "生育友好服务核销回执"
COPIES: tuple[str, ...] = ("客户联", "服务点联")


@dataclass(frozen=True)
class ReceiptData:
    institution: str
    service_point: str
    item_name: str
    value_fen: int
    code_display: str
    client_name_masked: str
    nurse: str
    redeemed_at: str  # already local time, formatted
    receipt_no: str = ""
    package_name: str = ""
    result: str | None = None  # screening result, when the item records one


def render_receipt(data: ReceiptData, font_file: str | None = None) -> bytes:
    """PDF bytes: both copies on one roll page, as long as its content."""
    styles = make_styles(8.5, font_file)

    def story() -> list[Flowable]:
        out: list[Flowable] = []
        for index, copy in enumerate(COPIES):
            if index:
                out += [
                    Spacer(1, 4 * mm),
                    Paragraph("- - - - - - - - 沿此线撕开 - - - - - - - -", styles.center),
                    Spacer(1, 4 * mm),
                ]
            out += _copy(data, copy, styles)
        return out

    return render_roll(story, title=RECEIPT_TITLE, institution=data.institution, font_file=font_file)


def _copy(data: ReceiptData, copy: str, st: Styles) -> list[Flowable]:
    width = ROLL_WIDTH - 2 * ROLL_MARGIN
    lines = [
        ("回执号", data.receipt_no),
        ("服务点", data.service_point),
        ("服务包", data.package_name),
        ("服务项目", data.item_name),
        ("项目价值", format_fen(data.value_fen)),
        ("券码", data.code_display),
        ("服务对象", data.client_name_masked),
        ("核销人", data.nurse),
        ("核销时间", data.redeemed_at),
        ("检查结果", data.result or ""),
    ]
    out: list[Flowable] = [
        Paragraph(esc(data.institution), st.center),
        Paragraph(
            f"{RECEIPT_TITLE}（{copy}）",
            ParagraphStyle("receipt_title", parent=st.heading, alignment=TA_CENTER),
        ),
        HRFlowable(width=width, thickness=0.6, color=colors.black, dash=[2, 2], spaceAfter=2),
    ]
    out += [Paragraph(f"{label}：{esc(value)}", st.body) for label, value in lines if value]
    out.append(Paragraph("本次服务由政府免费提供，无需缴费。", st.small))
    if copy == "服务点联":
        out += [Spacer(1, 6 * mm), Paragraph("服务对象签名：____________________", st.body)]
    return out
