"""The nurse scans, checks, confirms; a second scan of the same voucher is refused in red."""

from __future__ import annotations

from PySide6.QtCore import Qt

from forms.redeem import GREEN, RED, RedeemScreen
from forms.session import Session
from models import vouchers
from tests.gui import english_words
from tests.helpers import make_actor


def _screen(qtbot, db_url, actor, point="LAB") -> RedeemScreen:
    screen = RedeemScreen(Session(actor=actor, db_url=db_url, service_point=point))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitActive(screen)
    return screen


def _scan(qtbot, screen: RedeemScreen, code: str) -> None:
    """A scanner: digits as keystrokes, then Enter."""
    qtbot.keyClicks(screen.code, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)


def _voucher(issued, item_code):
    return next(v for v in issued.vouchers if v.item_code == item_code)


def test_scan_shows_the_voucher_and_enter_redeems_it(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse")
    screen = _screen(qtbot, db_url, nurse)
    voucher = _voucher(issued, "EARLY_TEST")
    _scan(qtbot, screen, voucher.code)
    assert voucher.item_name in screen.item_label.text()
    assert "王*红" in screen.client_label.text()
    assert screen.focusWidget() is screen.code
    assert vouchers.get_voucher(nurse, voucher.code).state == "issued"  # not yet
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert screen.banner.property("colour") == GREEN
    assert "已核销" in screen.banner.text()
    assert vouchers.get_voucher(nurse, voucher.code).state == "redeemed"
    assert screen.today.rowCount() == 1
    assert english_words(screen) == []


def test_a_second_scan_is_refused_with_where_and_who(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse", full_name="赵护士")
    screen = _screen(qtbot, db_url, nurse)
    code = _voucher(issued, "EARLY_TEST").code
    _scan(qtbot, screen, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    screen.clear()
    _scan(qtbot, screen, code)
    assert screen.banner.property("colour") == RED
    assert "不能重复核销" in screen.banner.text() and "赵护士" in screen.banner.text()
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)  # Enter again does not redeem twice
    assert screen.today.rowCount() == 1


def test_wrong_service_point_and_typo_are_red(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse")
    screen = _screen(qtbot, db_url, nurse, point="OB")
    code = _voucher(issued, "EARLY_TEST").code
    _scan(qtbot, screen, code)
    assert screen.banner.property("colour") == RED and "检验" in screen.banner.text()
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert vouchers.get_voucher(nurse, code).state == "issued"
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    screen.clear()
    _scan(qtbot, screen, typo)
    assert screen.banner.property("colour") == RED
    assert screen.pending is None


def test_supervisor_reverses_from_todays_list(qtbot, zh_app, db_url, issued):
    supervisor = make_actor("supervisor")
    screen = _screen(qtbot, db_url, supervisor)
    code = _voucher(issued, "EARLY_TEST").code
    _scan(qtbot, screen, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    screen.ask_reason = lambda: ("患者未做检查，误核销", True)
    screen.today.selectRow(0)
    qtbot.keyClick(screen.code, Qt.Key.Key_F8)
    assert screen.banner.property("colour") == GREEN
    assert vouchers.get_voucher(supervisor, code).state == "issued"
    assert screen.today.rowCount() == 2  # redeem and reverse rows


def test_a_failed_scan_leaves_nothing_of_the_previous_voucher(qtbot, zh_app, db_url, issued):
    """After a redemption a mistyped code clears item, client and the receipt of the last one."""
    from desktop import documents

    nurse = make_actor("nurse")
    screen = RedeemScreen(Session(actor=nurse, db_url=db_url, service_point="LAB", documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    voucher = _voucher(issued, "EARLY_TEST")
    _scan(qtbot, screen, voucher.code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert screen.banner.property("colour") == GREEN and screen.receipt_button.isEnabled()
    _scan(qtbot, screen, "1234")
    assert screen.banner.property("colour") == RED
    for label in (screen.item_label, screen.value_label, screen.client_label, screen.state_label):
        assert label.text() == ""
    assert not screen.receipt_button.isEnabled() and screen.pending is None
    assert screen.print_receipt() is False
