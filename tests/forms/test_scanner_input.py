"""Scanners as they really type: a keyboard-wedge scanner or ID card reader sends a whole code in a
few milliseconds, on a desk whose Chinese input method stays switched on. The voucher-code,
ID-number and phone fields take every key past the input method, at ≥ 100 characters a second,
Enter included, and what an input method commits anyway (full-width digits) still lands whole."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit

from desktop import documents
from forms.front_desk import FrontDeskScreen, RegisterDialog
from forms.redeem import GREEN, RedeemScreen
from forms.session import Session
from models import clients, vouchers
from models.schema import Client
from tests.forms.test_front_desk import _pregnant_client
from tests.helpers import make_actor, resident_id

ENTER = "\r"


def _key(ch: str) -> Qt.Key:
    if ch == ENTER:
        return Qt.Key.Key_Return
    if ch == "-":
        return Qt.Key.Key_Minus
    return Qt.Key(ord(ch.upper()))


def scanner_burst(widget: QLineEdit, text: str) -> None:
    """Every key of ``text`` queued at once, before the program sees the first: a scanner's burst."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, _key(ch), Qt.KeyboardModifier.NoModifier, "" if ch == ENTER else ch)
            QCoreApplication.postEvent(widget, event)
    QCoreApplication.processEvents()


def scanner_at_rate(qtbot, widget: QLineEdit, text: str, per_second: int = 200) -> None:
    """Key presses at ``per_second`` characters a second (a slow scanner still does 100)."""
    qtbot.keyClicks(widget, text.rstrip(ENTER), delay=1000 // per_second)
    if text.endswith(ENTER):
        qtbot.keyClick(widget, Qt.Key.Key_Return, delay=1000 // per_second)


def ime_commit(widget: QLineEdit, preedit: str, commit: str) -> None:
    """What a Chinese input method does: show a composition, then commit text (maybe full-width)."""
    QCoreApplication.sendEvent(widget, QInputMethodEvent(preedit, []))
    event = QInputMethodEvent()
    event.setCommitString(commit)
    QCoreApplication.sendEvent(widget, event)


def _redeem_screen(qtbot, db_url, issued) -> tuple[RedeemScreen, vouchers.VoucherView]:
    nurse = make_actor("nurse")
    voucher = next(v for v in issued.vouchers if v.item_code == "EARLY_TEST")
    screen = RedeemScreen(Session(actor=nurse, db_url=db_url, service_point=voucher.service_point))
    qtbot.addWidget(screen)
    screen.show()
    return screen, voucher


def test_scanner_fields_bypass_the_input_method(qtbot, zh_app, db_url, issued, frontdesk):
    screen, _voucher = _redeem_screen(qtbot, db_url, issued)
    desk = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url))
    register = RegisterDialog(desk.session)
    for widget in (desk, register):
        qtbot.addWidget(widget)
    from forms.certificate_issue import IssueTab
    from forms.leave_proof import LeaveProofScreen

    cert, leave = IssueTab(desk.session), LeaveProofScreen(desk.session)
    for widget in (cert, leave):
        qtbot.addWidget(widget)
    for field in (screen.code, desk.search, register.id_number, register.phone, cert.search, leave.search):
        assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled), field.objectName()
        assert field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly
    assert register.phone.inputMethodHints() & Qt.InputMethodHint.ImhDigitsOnly
    assert register.name.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # names stay Chinese


@pytest.mark.parametrize("grouped", [False, True])
def test_a_scanner_burst_with_enter_redeems_and_a_second_burst_is_refused(
    qtbot, zh_app, db_url, issued, grouped
):
    screen, voucher = _redeem_screen(qtbot, db_url, issued)
    code = voucher.code_display if grouped else voucher.code
    scanner_burst(screen.code, code + ENTER)
    assert screen.code.text() == code  # every character, none swallowed
    assert screen.pending is not None and screen.pending.code == voucher.code
    scanner_burst(screen.code, code + ENTER)  # the same scan again: confirm
    assert screen.banner.property("colour") == GREEN, screen.banner.text()
    assert vouchers.get_voucher(screen.session.actor, voucher.code).state == "redeemed"


def test_a_scanner_at_100_characters_a_second_keeps_every_character(qtbot, zh_app, db_url, issued):
    screen, voucher = _redeem_screen(qtbot, db_url, issued)
    scanner_at_rate(qtbot, screen.code, voucher.code + ENTER, per_second=100)
    assert screen.code.text() == voucher.code and screen.pending is not None
    scanner_at_rate(qtbot, screen.code, voucher.code + ENTER, per_second=250)
    assert screen.banner.property("colour") == GREEN


def test_an_input_method_commit_in_the_way_still_gives_the_whole_code(qtbot, zh_app, db_url, issued):
    """The input method caught the first digits and committed them full-width; the rest are keys."""
    screen, voucher = _redeem_screen(qtbot, db_url, issued)
    head, rest = voucher.code[:4], voucher.code[4:]
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in head)
    ime_commit(screen.code, head, full_width)
    scanner_burst(screen.code, rest + ENTER)
    assert screen.pending is not None and screen.pending.code == voucher.code


def test_the_id_card_reader_lands_a_whole_number_with_x(qtbot, zh_app, db_url, frontdesk):
    number = resident_id("19950512", "F", rng=random.Random(4))
    while not number.endswith("X"):
        number = resident_id("19950512", "F", rng=random.Random(random.random()))
    dialog = RegisterDialog(Session(actor=frontdesk, db_url=db_url))
    qtbot.addWidget(dialog)
    dialog.show()
    scanner_burst(dialog.id_number, number)
    assert dialog.id_number.text() == number
    dialog.name.setText("周子涵")
    ime_commit(dialog.phone, "138", "１３８")  # the input method had the first digits
    scanner_burst(dialog.phone, "12345678")
    dialog.save()
    assert dialog.result_view is not None, dialog.error.text()
    [found] = clients.find_clients(frontdesk, number)
    assert found.id == dialog.result_view.id  # the whole 18 characters: birth date 1995-05-12 read from it
    assert Client.get_by_id(found.id).birth_date.isoformat() == "1995-05-12"
    assert clients.find_clients(frontdesk, "13812345678")[0].id == found.id


def test_the_front_desk_search_takes_the_card_reader_burst_and_opens_her(qtbot, zh_app, db_url, frontdesk):
    number, _client = _pregnant_client(frontdesk)
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    scanner_burst(screen.search, number + ENTER)
    assert screen.client is not None and "李*玥" in screen.header.text()


def test_the_burst_check_notices_a_field_that_loses_characters(qtbot, zh_app, db_url, issued):
    """Attack: a field that keeps only 16 characters (as a too-short limit would) loses the code's
    end in the burst, and the lookup fails: the tests above would notice."""
    screen, voucher = _redeem_screen(qtbot, db_url, issued)
    screen.code.setMaxLength(16)
    scanner_burst(screen.code, voucher.code + ENTER)
    assert screen.code.text() != voucher.code and screen.pending is None
