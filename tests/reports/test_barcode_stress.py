"""Slips made for real printers: every QR code and Code128 on the roll, A5 and A4 slip reads with
zbarimg when the slip is rendered in pure black and white (no anti-aliasing) at 203 dpi — the
resolution of ordinary thermal receipt printers, where 6 of 9 QR codes once failed — and at 180
and 300 dpi; 21 slips of 9 fresh codes each (a renderer bug once lost 1 in 15)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.codes import format_code, new_code
from reports.barcodes import DOT, QrFlowable, code128
from reports.slip import _LAYOUTS, SlipVoucher, render_slip
from tests.reports.helpers import decode_mono, page_sizes, require_font
from tests.reports.samples import slip

SLIPS_PER_PAPER = 7
NAMES = ["孕妇血清学产前筛查", "胎儿超声筛查（系统彩超）", "产前诊断", "早孕检测", "妊娠风险评估",
         "建档管理", "遗传咨询", "预防母婴传播检测", "中医调理"]  # fmt: skip


def nine_vouchers() -> list[SlipVoucher]:
    return [
        SlipVoucher(name, 19_800 + 1_111 * i, code, format_code(code), "2027-12-31", "产前筛查门诊（3楼）")
        for i, (name, code) in enumerate(zip(NAMES, [new_code() for _ in NAMES], strict=True))
    ]


@pytest.mark.parametrize("paper", ["roll80", "a5", "a4"])
def test_every_code_on_two_dozen_slips_scans_at_203_180_and_300_dpi_in_black_and_white(
    paper: str, tmp_path: Path
) -> None:
    require_font()
    missing: list[tuple[int, str, str]] = []
    for n in range(SLIPS_PER_PAPER):
        vouchers = nine_vouchers()
        pdf = render_slip(replace(slip(), vouchers=vouchers, reprint_note="补打（第 2 次打印）"), paper)
        # every dpi on the first slips; then the thermal printer's 203 dpi, where codes failed
        expected = {(kind, v.code) for v in vouchers for kind in ("QR-Code", "CODE-128")}
        for dpi in (203, 180, 300) if n < 2 else (203,):
            found = decode_mono(pdf, tmp_path / f"{n}-{dpi}", dpi, expected)
            missing += [
                (dpi, kind, v.code)
                for v in vouchers
                for kind in ("QR-Code", "CODE-128")
                if (kind, v.code) not in found
            ]
    assert missing == []


def test_modules_and_bars_are_whole_printer_dots():
    for layout in _LAYOUTS.values():
        module = QrFlowable(new_code(), layout.qr_size).module()
        assert abs(module / DOT - round(module / DOT)) < 1e-6 and round(module / DOT) >= 4
        bar = code128(new_code(), layout.bar_width).barWidth
        assert abs(bar / DOT - 3) < 1e-6  # 3 dots: 2 no longer read at 180 dpi


def test_nine_vouchers_fit_30_cm_of_roll_and_one_a4_page():
    require_font()
    data = replace(slip(), vouchers=nine_vouchers(), reprint_note="补打（第 2 次打印）")
    [(_width, height)] = page_sizes(render_slip(data, "roll80"))
    assert height / 72 * 25.4 <= 300, f"{height / 72 * 25.4:.0f} mm"
    assert len(page_sizes(render_slip(data, "a4"))) == 1


def test_bars_too_thin_for_a_180_dpi_printer_are_noticed(monkeypatch, tmp_path: Path):
    """Attack: Code128 bars of 2 dots (0.25 mm, which would save roll length) print 1.8 pixels
    wide on a 180 dpi printer; the scan test then misses codes, so it would catch that layout."""
    from reports import slip as slip_module

    require_font()
    roll = slip_module._LAYOUTS["roll80"]
    monkeypatch.setitem(slip_module._LAYOUTS, "roll80", replace(roll, bar_width=2 * DOT))
    vouchers = nine_vouchers()
    expected = {("CODE-128", v.code) for v in vouchers}
    found = decode_mono(render_slip(replace(slip(), vouchers=vouchers), "roll80"), tmp_path, 180, expected)
    assert not expected <= found
