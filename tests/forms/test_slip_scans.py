"""Every slip scans at the redemption screen: issue on the front-desk screen, rasterise the printed
slip at 203 dpi in black and white, decode every QR code and Code128 with zbarimg, and type what the reader gives into
the nurse's code field. The first symbol of a voucher redeems it (green); its second symbol finds the
same voucher, now refused as already redeemed (red)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop import documents
from forms.front_desk import FrontDeskScreen
from forms.redeem import GREEN, RED, RedeemScreen
from forms.session import Session
from models import issuance, vouchers
from models.codes import normalize_code
from tests.forms.test_front_desk import _pregnant_client
from tests.helpers import make_actor
from tests.reports.helpers import decode_mono

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="poppler-utils and zbar-tools needed"
)


def decode_symbols(pdf: bytes, folder: Path, codes: set[str]) -> list[str]:
    """Every barcode the reader finds at 203 dpi in black and white, as the scanner would type it:
    QR codes first, then the Code128 of each voucher."""
    expected = {(kind, code) for code in codes for kind in ("QR-Code", "CODE-128")}
    found = decode_mono(pdf, folder, 203, expected)
    return [data for kind, data in sorted(found, key=lambda f: (f[0] != "QR-Code", f[1]))]


def _issue_on_screen(qtbot, db_url, frontdesk) -> tuple[issuance.IssuanceView, bytes]:
    number, _client = _pregnant_client(frontdesk)
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    printed: list[bytes] = []
    screen.preview = lambda pdf, title: printed.append(pdf) or True
    qtbot.keyClicks(screen.search, number)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    qtbot.keyClick(screen.packages, Qt.Key.Key_Return)
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert len(printed) == 1
    return view, printed[0]


def _nurse_screens(qtbot, db_url, nurse):
    screens: dict[str, RedeemScreen] = {}

    def at(point: str) -> RedeemScreen:
        if point not in screens:
            screen = RedeemScreen(Session(actor=nurse, db_url=db_url, service_point=point))
            qtbot.addWidget(screen)
            screen.show()
            screens[point] = screen
        return screens[point]

    return at


@pytest.mark.parametrize("paper", ["roll80", "a5", "a4"])
def test_every_slip_scans_at_the_redemption_screen(qtbot, zh_app, db_url, frontdesk, tmp_path, paper):
    view, printed = _issue_on_screen(qtbot, db_url, frontdesk)
    pdf = printed if paper == "roll80" else documents.slip_pdf(frontdesk, view.id, paper, "测试")
    codes = {v.code for v in view.vouchers}
    symbols = decode_symbols(pdf, tmp_path, codes)
    assert len(codes) >= 2
    assert sorted(normalize_code(s) for s in symbols) == sorted(
        list(codes) * 2
    )  # a QR code and a Code128 each

    nurse = make_actor("nurse", "supervisor")  # the supervisor may redeem at every point
    screen_at = _nurse_screens(qtbot, db_url, nurse)
    seen: set[str] = set()
    for symbol in symbols:
        code = normalize_code(symbol)
        screen = screen_at(vouchers.get_voucher(nurse, code).service_point)
        screen.clear()
        qtbot.keyClicks(screen.code, symbol)
        qtbot.keyClick(screen.code, Qt.Key.Key_Return)
        if code in seen:
            assert screen.banner.property("colour") == RED and "不能重复核销" in screen.banner.text()
            continue
        assert screen.pending is not None and screen.pending.code == code, screen.banner.text()
        if screen.pending.result_kind == "screening":
            qtbot.keyClick(screen.code, Qt.Key.Key_F5)  # negative
        qtbot.keyClick(screen.code, Qt.Key.Key_Return)
        assert screen.banner.property("colour") == GREEN, screen.banner.text()
        seen.add(code)
    assert seen == codes
    assert {vouchers.get_voucher(nurse, c).state for c in codes} == {"redeemed"}
