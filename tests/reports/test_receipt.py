from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from reports.receipt import ReceiptData, render_receipt
from tests.reports.helpers import flat_text, page_sizes, require_font


def _receipt(result: str | None) -> ReceiptData:
    return ReceiptData(
        institution="连云港市妇幼保健院",
        service_point="超声科",
        item_name="胎儿超声筛查（系统彩超）",
        value_fen=35_000,
        code_display="9876-5432-1098-7654-3210",
        client_name_masked="张*喆",
        nurse="李晓玥",
        redeemed_at="2025-03-20 10:02",
        receipt_no="HX20250320-0003",
        result=result,
    )


def test_receipt_has_client_and_service_point_copies() -> None:
    require_font()
    pdf = render_receipt(_receipt("未见明显异常"))
    text = flat_text(pdf)
    assert text.count("胎儿超声筛查（系统彩超）") == 2
    assert text.count("9876-5432-1098-7654-3210") == 2
    assert "（客户联）" in text and "（服务点联）" in text
    assert "核销人：李晓玥" in text and "服务对象：张*喆" in text and "¥350.00" in text
    assert text.count("检查结果：未见明显异常") == 2
    assert "服务对象签名" in text
    assert page_sizes(pdf)[0][0] == pytest.approx(80 * mm)


def test_receipt_without_result_has_no_empty_result_line() -> None:
    require_font()
    assert "检查结果" not in flat_text(render_receipt(_receipt(None)))
