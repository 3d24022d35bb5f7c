"""Issue 15 point 4: reveals are deliberate. A reason of a few characters (list or typed) is an
audit event; the full values leave the screen when another client is chosen or the idle lock
engages, and the lock hides every other window too."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desktop import app as desk_app
from desktop.settings import DeskSettings
from forms.login import UnlockDialog
from models import audit, clients, pii
from models.errors import InvalidInput
from tests.helpers import PASSWORD, make_actor, resident_id


@pytest.fixture
def two_clients(db_url):
    desk = make_actor("frontdesk")
    numbers = [resident_id("19940512", "F", rng=random.Random(n)) for n in (1, 2)]
    for name, number in zip(("王小红", "李丽"), numbers, strict=True):
        clients.register_client(desk, id_type="resident", id_number=number, name=name, phone="13812345678")
    return numbers


@pytest.mark.parametrize("reason", ["", "   ", "看看", "a\tb"])
def test_a_reveal_without_a_real_reason_is_refused_and_not_audited(two_clients, reason):
    boss = make_actor("supervisor")
    before = audit.list_events(boss, action="pii.reveal")
    with pytest.raises(InvalidInput, match="原因"):
        pii.reveal_client(boss, 1, reason=reason)
    assert audit.list_events(boss, action="pii.reveal") == before


def test_a_reason_from_the_list_or_typed_is_recorded(two_clients):
    boss = make_actor("supervisor")
    pii.reveal_client(boss, 1, reason=pii.REVEAL_REASONS[0])
    pii.reveal_client(boss, 2, reason="  产妇本人来电更改预约  ")
    reasons = [e.after["reason"] for e in audit.list_events(boss, action="pii.reveal")]
    assert reasons == ["产妇本人来电更改预约", pii.REVEAL_REASONS[0]]


def _desk(qtbot, db_url):
    boss = make_actor("supervisor", username="boss")
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    qtbot.addWidget(desk.window)
    desk.set_actor(boss)
    desk.window.show()
    screen = desk.window.show_page("browse")
    tab = screen.clients_tab
    screen.tabs.setCurrentWidget(tab)
    tab.ask_reason = lambda: "核对身份证件"
    return desk, tab


def _reveal_row(qtbot, tab, row: int) -> None:
    tab.table.selectRow(row)
    qtbot.mouseClick(tab.reveal_button, Qt.MouseButton.LeftButton)


def test_the_reveal_goes_when_another_client_is_chosen(qtbot, zh_app, db_url, two_clients):
    desk, tab = _desk(qtbot, db_url)
    _reveal_row(qtbot, tab, 0)
    assert tab.revealed_label.isVisible()
    shown = tab.revealed_label.text()
    assert any(n in shown for n in two_clients) and "13812345678" in shown
    tab.table.selectRow(1)
    assert not tab.revealed_label.isVisible() and tab.revealed_label.text() == ""
    desk.idle_lock.stop()


def test_the_idle_lock_takes_the_reveal_off_and_hides_other_windows(qtbot, zh_app, db_url, two_clients):
    desk, tab = _desk(qtbot, db_url)
    _reveal_row(qtbot, tab, 0)
    other = QMessageBox(
        QMessageBox.Icon.Information, "服务对象", "王小红 " + two_clients[0], parent=desk.window
    )
    other.setModal(False)
    other.show()
    text_label = next(w for w in other.findChildren(QLabel) if two_clients[0] in w.text())
    assert text_label.isVisible()
    seen: list[tuple[bool, bool, bool]] = []

    def unlock_when_shown():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(10, unlock_when_shown)
            return
        seen.append(
            (desk.window.centralWidget().isVisible(), tab.revealed_label.isVisible(), text_label.isVisible())
        )
        dialog.password.setText(PASSWORD)
        dialog.unlock_button.click()

    QTimer.singleShot(0, unlock_when_shown)
    desk.idle_lock.set_interval_ms(30)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not desk.locked)
    assert seen == [(False, False, False)]  # nothing personal on screen behind the lock
    assert text_label.isVisible()  # the other window is back after the password…
    assert not tab.revealed_label.isVisible() and tab.revealed_label.text() == ""  # …the reveal is not
    desk.idle_lock.stop()
    other.close()
