"""Many fresh codes on every paper: each QR and Code128 must scan (a renderer bug once lost 1 in 15)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.codes import format_code, new_code
from reports.slip import SlipVoucher, render_slip
from tests.reports.helpers import decode_barcodes, require_font
from tests.reports.samples import slip


@pytest.mark.parametrize("paper", ["roll80", "a4", "a5"])
def test_two_dozen_fresh_codes_all_scan(paper: str, tmp_path: Path) -> None:
    require_font()
    expected: set[tuple[str, str]] = set()
    found: set[tuple[str, str]] = set()
    for batch in range(3):
        codes = [new_code() for _ in range(8)]
        vouchers = [
            SlipVoucher(f"项目{i}", 10000, c, format_code(c), "2027-12-31", "超声科")
            for i, c in enumerate(codes)
        ]
        pdf = render_slip(replace(slip(), vouchers=vouchers), paper)
        folder = tmp_path / str(batch)
        folder.mkdir()
        found |= set(decode_barcodes(pdf, folder))
        expected |= {(kind, c) for c in codes for kind in ("QR-Code", "CODE-128")}
    assert expected <= found, sorted(expected - found)
