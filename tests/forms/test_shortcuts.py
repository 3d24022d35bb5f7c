"""The shortcuts users expect: Enter presses the default action in every dialog of the counter
(建立孕期服务周期 included), and the confirmation after issuing stays until the next action."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from desktop import documents
from forms.episode_dialogs import (
    ChildEpisodeDialog,
    DeliveryDialog,
    NewbornDialog,
    PregnancyDialog,
    PrepregnancyDialog,
)
from forms.front_desk import FrontDeskScreen, RegisterDialog
from forms.login import LoginDialog
from forms.pdf_preview import PdfPreviewDialog
from forms.session import Session
from models import clients, clock, episodes
from reports.slip import render_slip
from tests.forms.test_front_desk import _pregnant_client
from tests.helpers import resident_id
from tests.reports.samples import slip

DIALOGS = ["register", "pregnancy", "prepregnancy", "child", "newborn", "delivery", "login", "preview"]


def _dialog(name: str, session: Session) -> QDialog:
    actor = session.actor
    mother = clients.register_client(
        actor, id_type="resident", id_number=resident_id("19940512", "F", rng=random.Random(9)), name="李春玥"
    ).client
    if name == "register":
        return RegisterDialog(session)
    if name == "pregnancy":
        return PregnancyDialog(session, mother)
    if name == "prepregnancy":
        return PrepregnancyDialog(session, mother)
    if name == "child":
        return ChildEpisodeDialog(session, mother)
    if name == "newborn":
        return NewbornDialog(session, mother)
    if name == "delivery":
        episode = episodes.open_pregnancy(actor, mother.id, clock.local_today() - dt.timedelta(weeks=39))
        return DeliveryDialog(session, episode)
    if name == "login":
        return LoginDialog("LAB")
    return PdfPreviewDialog(render_slip(slip()), "电子券券单")


@pytest.mark.parametrize("name", DIALOGS)
def test_enter_presses_the_default_button_of_every_dialog(qtbot, zh_app, db_url, frontdesk, name):
    dialog = _dialog(name, Session(actor=frontdesk, db_url=db_url))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    defaults = [b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()]
    assert len(defaults) == 1, [b.text() for b in defaults]
    pressed: list[str] = []
    defaults[0].clicked.connect(lambda: pressed.append(defaults[0].text()))
    focus = dialog.focusWidget() or dialog
    qtbot.keyClick(focus, Qt.Key.Key_Return)
    assert pressed == [defaults[0].text()], (name, type(focus).__name__)


def test_the_issue_confirmation_stays_until_the_next_action(qtbot, zh_app, db_url, frontdesk):
    number, _client = _pregnant_client(frontdesk)
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    screen.preview = lambda pdf, title: True
    screen.search.setText(number)
    screen.do_search()
    screen.issue_selected()
    confirmation = screen.status.text()
    assert "已发放" in confirmation or "发券" in confirmation, confirmation
    assert "湘护早孕包" in confirmation
    QApplication.processEvents()
    qtbot.wait(50)
    screen.refresh_packages()  # the screen refreshing itself is no new action
    assert screen.status.text() == confirmation
    screen.search.setText("13000000000")
    screen.do_search()  # the next action replaces it
    assert screen.status.text() != confirmation
