"""Certificates screen: stock in, issue onto the next form, void with a supervisor, destroy, balance."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from forms.calibration import CalibrationDialog
from forms.certificates import CertificatesScreen
from forms.session import Session
from models import certificates, clients, clock, episodes
from tests.gui import english_words
from tests.helpers import PASSWORD, make_actor, resident_id
from tests.reports.helpers import flat_text


@pytest.fixture
def supervisor(db_url):
    return make_actor("supervisor", username="zhuguan")


def _screen(qtbot, db_url, actor) -> CertificatesScreen:
    screen = CertificatesScreen(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    shown: list[tuple[bytes, str]] = []
    screen.issue_tab.preview = lambda pdf, title: shown.append((pdf, title)) or True
    screen.shown = shown
    return screen


def _baby(actor):
    """A mother (resident ID, born 1994-05-12) and her son born 3 days ago, with his child episode."""
    number = resident_id("19940512", "F", rng=random.Random(21))
    mother = clients.register_client(actor, id_type="resident", id_number=number, name="李春玥").client
    born = clock.local_today() - dt.timedelta(days=3)
    child = clients.register_newborn(actor, mother.id, name="李小宝", sex="M", birth_date=born)
    episode = episodes.open_child(actor, child.id)
    return number, born, episode


def _stock_in(qtbot, screen) -> None:
    tab = screen.stock_tab
    screen.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.prefix, "r")
    qtbot.keyClicks(tab.first, "430000001")
    qtbot.keyClicks(tab.last, "430000010")
    tab.findChild(QPushButton, "receiveButton").click()
    assert "R430000001" in tab.status.text() and "10" in tab.status.text()
    tab.assign_last.setText("R430000005")
    assert tab.desk.text() == screen.session.actor.workstation
    assert tab.assign() == 5


def test_stock_issue_void_destroy_and_the_balance(qtbot, zh_app, db_url, supervisor):
    number, born, episode = _baby(supervisor)
    screen = _screen(qtbot, db_url, supervisor)
    _stock_in(qtbot, screen)
    report = screen.stock_tab.show_report()
    assert report.balanced and "平衡" in screen.stock_tab.balance.text()
    assert english_words(screen) == []

    tab = screen.issue_tab
    screen.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.search, number)  # found through the mother
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    assert tab.episode_id == episode.id
    assert tab.value("newborn.name") == "李小宝" and tab.value("newborn.sex") == "M"
    assert tab.value("mother.name") == "李春玥"
    assert tab.value("mother.age") == str(certificates._age_on(dt.date(1994, 5, 12), born))
    assert tab.next_serial.text() == "R430000001"
    assert english_words(tab) == []

    # birth time without the hour, the rest empty: the message sits under the field, nothing consumed
    assert tab.issue_and_print() is None
    assert tab.errors["newborn.birth_time"].isVisible()
    assert "时、分" in tab.errors["newborn.birth_time"].text()
    assert screen.focusWidget() is tab.fields["newborn.birth_time"]  # the cursor goes there
    tab.fields["newborn.birth_time"].setText(f"{born.isoformat()} 08:30")
    for key, value in (
        ("newborn.gestational_weeks", "39"),
        ("newborn.length_cm", "50"),
        ("newborn.birthplace.province", "湖南省"),
        ("newborn.birthplace.city", "长沙市"),
        ("mother.ethnicity", "汉"),
    ):
        tab.fields[key].setText(value)
    assert tab.issue_and_print() is None
    assert "出生体重" in tab.errors["newborn.weight_g"].text()
    assert not tab.errors["newborn.birth_time"].isVisible()  # old messages cleared
    tab.fields["newborn.weight_g"].setText("3300")

    # a text too long for its box is refused by the renderer before a serial is consumed
    tab.fields["newborn.birthplace.county"].setText("某某自治县某某经济技术开发区高新园东片")
    assert tab.issue_and_print() is None
    assert "过长" in tab.errors["newborn.birthplace.county"].text()
    assert certificates.get_form("R430000001").state == certificates.ON_HAND
    tab.fields["newborn.birthplace.county"].setText("岳麓区")

    preview = tab.preview_draft()
    assert "出生医学证明" in flat_text(preview)  # the form's own labels are drawn in preview
    view = tab.issue_and_print()
    assert view is not None and view.serial == "R430000001" and view.kind == certificates.FIRST
    pdf, title = screen.shown[-1]
    assert "R430000001" in title
    text = flat_text(pdf)
    assert "李小宝" in text and "3300" in text and "汉族" in text
    assert "R430000001" not in text  # the serial is pre-printed on the form: only the preview shows it
    assert certificates.current_certificate(episode.id).serial == "R430000001"
    assert tab.issued.rowCount() == 1 and tab.next_serial.text() == "R430000002"

    # void the next form (misprint) with the supervisor's password; a wrong one changes nothing
    void = screen.void_tab
    screen.tabs.setCurrentWidget(void)
    void.void_serial.setText("R430000002")
    void.void_reason.setText("打印错位")
    void.approver.setText("zhuguan")
    void.approver_password.setText("wrong-password")
    assert void.void() is None
    assert certificates.get_form("R430000002").state == certificates.ON_HAND
    void.approver_password.setText(PASSWORD)
    assert void.void().state == certificates.VOIDED
    assert void.table.rowCount() == 1 and void.table.item(0, 2).text() == "打印错位"
    assert void.destroy_serial.text() == "R430000002"
    qtbot.keyClicks(void.witness, "wang")
    assert void.destroy().state == certificates.DESTROYED
    assert english_words(void) == []

    screen.tabs.setCurrentWidget(screen.stock_tab)
    report = screen.stock_tab.show_report()
    assert report.balanced
    assert report.count(report.closing) == {"on_hand": 8, "issued": 1, "voided": 0, "destroyed": 1}
    assert screen.stock_tab.table.item(0, 3).text() == "10"


def test_void_needs_a_supervisor(qtbot, zh_app, db_url, supervisor):
    desk = make_actor("frontdesk", username="qiantai")
    certificates.receive(supervisor, "R", 1, 3)
    screen = _screen(qtbot, db_url, desk)
    assert not screen.stock_tab.prefix.isEnabled()  # stock is not the desk's job
    void = screen.void_tab
    void.void_serial.setText("R000000001")
    void.void_reason.setText("污损")
    void.approver_password.setText(PASSWORD)  # the desk's own password is not an approval
    assert void.void() is None
    assert "权限" in void.status.text() or "批准" in void.status.text()
    assert void.approver_password.text() == ""  # a password never stays in the field
    void.approver.setText("zhuguan")
    void.approver_password.setText(PASSWORD)
    assert void.void().void_approved_by == supervisor.staff.full_name


def test_calibration_dialog_prints_the_grid_and_saves_offsets(qtbot, zh_app, db_url, supervisor):
    dialog = CalibrationDialog(Session(actor=supervisor, db_url=db_url), printer="证件打印机")
    qtbot.addWidget(dialog)
    shown: list[bytes] = []
    dialog.preview = lambda pdf, title: shown.append(pdf) or True
    assert dialog.dx.value() == 0 and dialog.dy.value() == 0
    dialog.dx.setValue(1.5)
    dialog.dy.setValue(-2.0)
    dialog.print_grid()
    assert "+1.5" in flat_text(shown[0]) and "-2.0" in flat_text(shown[0])
    assert english_words(dialog) == []
    dialog.save_button.click()
    assert certificates.get_calibration("证件打印机") == certificates.Calibration(1.5, -2.0)
    again = CalibrationDialog(Session(actor=supervisor, db_url=db_url), printer="证件打印机")
    qtbot.addWidget(again)
    assert (again.dx.value(), again.dy.value()) == (1.5, -2.0)


def test_a_search_that_finds_no_child_takes_the_previous_one_off_the_screen(qtbot, zh_app, db_url, frontdesk):
    number, _born, _episode = _baby(frontdesk)
    screen = _screen(qtbot, db_url, frontdesk)
    tab = screen.issue_tab
    tab.search.setText(number)
    tab.do_search()
    assert tab.episode_id is not None and tab.value("newborn.name") == "李小宝"
    assert tab.issue_button.isEnabled()
    tab.search.setText(resident_id("19900101", "F", rng=random.Random(99)))
    tab.do_search()
    assert tab.episode_id is None and tab.value("newborn.name") == "" and tab.value("mother.name") == ""
    assert not tab.issue_button.isEnabled() and not tab.preview_button.isEnabled()
    assert tab.issued.rowCount() == 0
    assert tab.issue_and_print() is None and screen.shown == []


def test_a_reissue_from_the_screen_supersedes_the_certificate_shown(qtbot, zh_app, db_url, supervisor):
    from tests.models.test_certificates import sample_data

    number, born, episode = _baby(supervisor)
    screen = _screen(qtbot, db_url, supervisor)
    _stock_in(qtbot, screen)
    data = sample_data(birth_time=f"{born} 08:30") | {"issued_on": clock.local_today().isoformat()}
    data["mother"] |= {
        "name": "李春玥",
        "id_number": number,
        "age": certificates._age_on(dt.date(1994, 5, 12), born),
    }
    certificates.issue(supervisor, episode.id, "first", data)
    tab = screen.issue_tab
    screen.tabs.setCurrentWidget(tab)
    tab.search.setText(number)
    tab.do_search()
    assert tab.episode_id == episode.id and tab.value("kind") == certificates.REISSUE
    for key in ("gestational_weeks", "weight_g", "length_cm"):
        tab.fields[f"newborn.{key}"].setText(str(data["newborn"][key]))
    tab.fields["newborn.birth_time"].setText(f"{born.isoformat()} 08:30")
    tab.fields["newborn.birthplace.province"].setText("湖南省")
    tab.fields["newborn.birthplace.city"].setText("长沙市")
    tab.fields["mother.ethnicity"].setText("汉")
    tab.fields["reason"].setText("家长遗失")
    view = tab.issue_and_print()
    assert view is not None and view.replaces_serial == "R430000001"
    assert certificates.get_form("R430000001").state == certificates.VOIDED

    # another desk replaces it meanwhile: this screen's replacement is refused, naming the current one
    certificates.issue(supervisor, episode.id, "replace", data, reason="污损", replaces=view.serial)
    assert tab.issue_and_print() is None
    assert (
        f"{view.serial} 已被 R430000003 取代" in tab.status.text()
        and "当前证件为 R430000003" in tab.status.text()
    )
    assert english_words(tab) == []
