"""Front desk: a client found by ID number gets a package issued and its slip printed in 3 keys."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt

from desktop import documents
from forms.front_desk import FrontDeskScreen
from forms.session import Session
from models import clients, clock, episodes, issuance
from models.schema import Client
from tests.gui import english_words
from tests.helpers import resident_id
from tests.reports.helpers import flat_text


def _screen(qtbot, db_url, actor) -> FrontDeskScreen:
    screen = FrontDeskScreen(Session(actor=actor, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    printed: list[bytes] = []
    screen.preview = lambda pdf, title: printed.append(pdf) or True
    screen.printed = printed
    return screen


def _pregnant_client(actor, weeks=10):
    number = resident_id("19940512", "F", rng=random.Random(11))
    client = clients.register_client(
        actor, id_type="resident", id_number=number, name="李春玥", phone="13912345678"
    ).client
    episodes.open_pregnancy(actor, client.id, clock.local_today() - dt.timedelta(weeks=weeks))
    return number, client


def test_returning_client_issue_and_print_in_three_keys(qtbot, zh_app, db_url, frontdesk):
    number, _client = _pregnant_client(frontdesk)
    screen = _screen(qtbot, db_url, frontdesk)
    qtbot.keyClicks(screen.search, number)
    keys = 0
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    keys += 1
    assert "李*玥" in screen.header.text()
    selected = screen.results[screen.packages.currentRow()]
    assert selected.eligible and selected.package_code == "HN-ZY"
    qtbot.keyClick(screen.packages, Qt.Key.Key_Return)
    keys += 1  # the third key is Enter on the preview's default Print button
    assert keys + 1 <= 6
    assert len(screen.printed) == 1
    text = flat_text(screen.printed[0])
    assert "李*玥" in text and "湘护早孕包" in text
    [issued] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert issued.print_count == 1
    row = next(r for r, res in enumerate(screen.results) if res.package_code == "HN-ZY")
    assert not screen.results[row].eligible  # already issued
    assert screen.issued.rowCount() == 1
    assert english_words(screen) == []


def test_reprint_needs_a_reason_and_void_marks_one_voucher(qtbot, zh_app, db_url, frontdesk):
    number, _client = _pregnant_client(frontdesk)
    screen = _screen(qtbot, db_url, frontdesk)
    screen.search.setText(number)
    screen.do_search()
    screen.issue_selected()
    screen.ask_text = lambda title, label: ("客户遗失券单", True)
    screen.issued.selectRow(0)
    screen.reprint_selected()
    assert len(screen.printed) == 2
    assert "补打" in flat_text(screen.printed[1])
    screen.void_selected()
    assert "已作废" in screen.issued.item(0, 3).text()


def test_unknown_id_number_offers_registration(qtbot, zh_app, db_url, frontdesk):
    screen = _screen(qtbot, db_url, frontdesk)
    number = resident_id("19960101", "F", rng=random.Random(3))
    screen.search.setText(number)
    screen.do_search()
    assert "Ctrl+N" in screen.status.text()
    from forms.front_desk import RegisterDialog

    dialog = RegisterDialog(screen.session, number)
    qtbot.addWidget(dialog)
    assert dialog.id_number.text() == number
    dialog.name.setText("周子涵")
    dialog.save()
    assert dialog.result_view is not None and dialog.result_view.birth_date_known  # age only (issue 15)
    assert Client.get_by_id(dialog.result_view.id).birth_date == dt.date(1996, 1, 1)
