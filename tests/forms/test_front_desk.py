"""Front desk: a client found by ID number gets a package issued and its slip printed in 3 keys."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt

from desktop import documents
from forms.front_desk import FrontDeskScreen
from forms.session import Session
from models import clients, clock, episodes, issuance
from models.errors import InvalidInput
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


def _show_her(qtbot, db_url, frontdesk) -> FrontDeskScreen:
    number, _client = _pregnant_client(frontdesk)
    screen = _screen(qtbot, db_url, frontdesk)
    qtbot.keyClicks(screen.search, number)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert "李*玥" in screen.header.text() and screen.issue_button.isEnabled()
    return screen


def _nobody_on_screen(screen: FrontDeskScreen) -> None:
    assert screen.client is None and screen.header.text() == ""
    assert screen.packages.rowCount() == 0 and screen.issued.rowCount() == 0
    assert screen.episode_box.count() == 0
    for button in (
        screen.issue_button,
        screen.reprint_button,
        screen.void_button,
        screen.new_pregnancy,
        screen.episode_actions.button,
    ):
        assert not button.isEnabled(), button.text()


@pytest.mark.parametrize("search", ["nobody", "several", "fails"])
def test_a_search_that_does_not_find_her_takes_her_off_the_screen(
    qtbot, zh_app, db_url, frontdesk, monkeypatch, search
):
    """After a miss the previous woman's name, packages and 'issue' are gone: Enter issues nothing."""
    screen = _show_her(qtbot, db_url, frontdesk)
    if search == "several":
        for n, name in enumerate(("张晓燕", "张晓雯")):
            clients.register_client(
                frontdesk, id_type="resident", id_number=resident_id("19950101", "F", rng=random.Random(n)),
                name=name, phone=f"1370000000{n}",
            )  # fmt: skip
        screen.search.setText("zx")  # pinyin initials: both of them
        screen.do_search()
        assert screen.found.count() == 2 and screen.found.isVisible()
    elif search == "fails":

        def broken(actor, text):
            raise InvalidInput("请输入证件号码、手机号、姓名或拼音")

        monkeypatch.setattr(clients, "find_clients", broken)
        screen.search.setText("13800000000")
        screen.do_search()
        assert "请输入" in screen.status.text()
    else:
        screen.search.setText(resident_id("19960101", "F", rng=random.Random(3)))
        screen.do_search()
        assert "Ctrl+N" in screen.status.text()
    _nobody_on_screen(screen)
    qtbot.keyClick(screen.packages, Qt.Key.Key_Return)
    screen.issue_selected()
    screen.reprint_selected()
    qtbot.keyClick(screen, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert screen.printed == []
    assert issuance.issuances_of_episode(frontdesk, 1) == []


def test_choosing_one_of_several_shows_only_her(qtbot, zh_app, db_url, frontdesk):
    screen = _show_her(qtbot, db_url, frontdesk)
    for n, name in enumerate(("张晓燕", "张晓雯")):
        clients.register_client(
            frontdesk, id_type="resident", id_number=resident_id("19950101", "F", rng=random.Random(n)),
            name=name, phone=f"1370000000{n}",
        )  # fmt: skip
    screen.search.setText("zx")
    screen.do_search()
    screen.found.setCurrentRow(1)
    chosen = screen.found.currentItem().text().split("\u3000")[0]
    qtbot.keyClick(screen.found, Qt.Key.Key_Return)
    assert chosen in ("张*燕", "张*雯") and chosen in screen.header.text()
    assert "李" not in screen.header.text()
    assert screen.new_pregnancy.isEnabled()
