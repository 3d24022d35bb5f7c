from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.units import mm

from models.money import format_fen
from reports.slip import SlipVoucher, render_slip
from tests.reports.helpers import decode_barcodes, flat_text, page_sizes, require_font
from tests.reports.samples import grouped, slip


@pytest.fixture(autouse=True)
def _font() -> None:
    require_font()


@pytest.mark.parametrize("paper", ["roll80", "a4", "a5"])
def test_slip_shows_what_the_client_needs(paper: str) -> None:
    data = slip()
    text = flat_text(render_slip(data, paper))
    for expected in [
        "连云港市妇幼保健院",
        "FQ20250312-0007",
        "张*喆",
        "3207**********123X",
        "健康宝贝工程·孕期免费筛查包",
    ]:
        assert expected in text
    assert "张三" not in text
    for voucher in data.vouchers:
        assert voucher.item_name in text
        assert voucher.code_display in text
        assert format_fen(voucher.value_fen) in text
    assert "合计价值¥1,973.00" in text  # 198 + 350 + 1,425 yuan
    assert "无创DNA产前检测" in text and "¥980.00" in text
    assert "发券人：王小红" in text and "2025-03-1209:41" in text
    assert "有效期至2025-12-31" in text and "有效期至：" not in text  # 有效期至 YYYY-MM-DD


@pytest.mark.parametrize("paper", ["roll80", "a4", "a5"])
def test_every_code_scans_as_qr_and_code128(paper: str, tmp_path: Path) -> None:
    data = slip()
    found = decode_barcodes(render_slip(data, paper), tmp_path)
    for voucher in data.vouchers:
        assert ("QR-Code", voucher.code) in found
        assert ("CODE-128", voucher.code) in found
    assert len(found) == 2 * len(data.vouchers)


def test_roll_is_80mm_wide_and_as_long_as_its_content() -> None:
    short = page_sizes(render_slip(slip(1), "roll80"))
    long = page_sizes(render_slip(slip(3), "roll80"))
    assert len(short) == len(long) == 1
    assert short[0][0] == pytest.approx(80 * mm)
    assert long[0][0] == pytest.approx(80 * mm)
    assert 80 * mm < short[0][1] < long[0][1] < 600 * mm


def test_same_data_prints_identical_bytes() -> None:
    assert render_slip(slip(), "roll80") == render_slip(slip(), "roll80")
    assert render_slip(slip(), "a4") == render_slip(slip(), "a4")


def test_markup_characters_print_as_typed() -> None:
    code = "12345678901234567890"
    voucher = SlipVoucher("B超<复查>&咨询", 100, code, grouped(code), "2025-12-31", "超声科")
    text = flat_text(render_slip(slip(vouchers=[voucher], upgrades=[]), "roll80"))
    assert "B超<复查>&咨询" in text


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="不支持的纸张"):
        render_slip(slip(), "letter")


def test_a_newborn_without_papers_gets_no_empty_brackets():
    require_font()
    text = flat_text(render_slip(slip(client_name_masked="史*", client_id_masked=""), "roll80"))
    assert "服务对象：史*" in text and "（）" not in text
