"""Front desk episodes beyond pregnancy: a couple, a delivery, a newborn and a child episode."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop import documents
from forms.episode_dialogs import DeliveryDialog, NewbornDialog, PrepregnancyDialog
from forms.front_desk import FrontDeskScreen
from forms.session import Session
from models import clients, clock, episodes, identity
from tests.gui import english_words
from tests.helpers import resident_id


def _screen(qtbot, db_url, actor) -> FrontDeskScreen:
    screen = FrontDeskScreen(Session(actor=actor, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.preview = lambda pdf, title: True
    return screen


def _register(actor, birth, sex, name, seed):
    number = resident_id(birth, sex, rng=random.Random(seed))
    return clients.register_client(actor, id_type="resident", id_number=number, name=name).client, number


def _saving(fill, seen: list):
    """A ``run`` hook: fill the dialog as a user would, press OK, report whether it closed."""

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        dialog.ok_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    return run


def test_couple_opens_a_prepregnancy_episode_with_the_partner(qtbot, zh_app, db_url, frontdesk):
    wife, wife_number = _register(frontdesk, "19950304", "F", "陈静怡", 1)
    _husband, husband_number = _register(frontdesk, "19930822", "M", "刘浩然", 2)
    screen = _screen(qtbot, db_url, frontdesk)
    screen.search.setText(wife_number)
    screen.do_search()
    actions = screen.episode_actions
    actions.update_actions()
    assert actions.prepregnancy_action.isEnabled() and not actions.delivery_action.isEnabled()
    seen: list = []

    def fill(dialog: PrepregnancyDialog) -> None:
        qtbot.keyClicks(dialog.search, husband_number)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert dialog.found.count() == 1
        assert "刘*然" in dialog.chosen.text()
        assert english_words(dialog) == []

    actions.run = _saving(fill, seen)
    actions.open_prepregnancy()
    assert seen[0].result() == QDialog.DialogCode.Accepted
    [episode] = screen.episode_views
    assert episode.kind == "prepregnancy" and episode.partner_name_masked == "刘*然"
    assert "备孕" in screen.episode_box.currentText()
    roles = {link.role for link in clients.client_detail(frontdesk, wife.id).links}
    assert roles == {"配偶"}
    # the packages of the couple's stage are now offered
    assert any(r.package_code == "HN-BY" and r.eligible for r in screen.results)


def test_partner_registered_from_the_dialog(qtbot, zh_app, db_url, frontdesk):
    wife, _ = _register(frontdesk, "19950304", "F", "陈静怡", 1)
    dialog = PrepregnancyDialog(Session(actor=frontdesk, db_url=db_url), wife)
    qtbot.addWidget(dialog)
    new_number = resident_id("19920101", "M", rng=random.Random(5))
    dialog.register_partner = lambda typed: (
        clients.register_client(frontdesk, id_type="resident", id_number=new_number, name="赵一鸣").client
    )
    dialog.findChild(type(dialog.ok_button), "registerPartner").click()
    assert "赵*鸣" in dialog.chosen.text()
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_view.partner_name_masked == "赵*鸣"


def test_delivery_then_newborn_gets_a_child_episode(qtbot, zh_app, db_url, frontdesk):
    mother, number = _register(frontdesk, "19940512", "F", "李春玥", 3)
    episodes.open_pregnancy(frontdesk, mother.id, clock.local_today() - dt.timedelta(weeks=39))
    screen = _screen(qtbot, db_url, frontdesk)
    screen.search.setText(number)
    screen.do_search()
    actions = screen.episode_actions
    actions.update_actions()
    assert actions.delivery_action.isEnabled()
    delivered = clock.local_today() - dt.timedelta(days=2)
    seen: list = []

    def fill_delivery(dialog: DeliveryDialog) -> None:
        dialog.delivery_date.set_value(delivered)
        dialog.mode.setCurrentIndex(dialog.mode.findData("caesarean"))
        dialog.babies.setValue(2)
        assert english_words(dialog) == []

    actions.run = _saving(fill_delivery, seen)
    actions.record_delivery()
    [pregnancy] = screen.episode_views
    assert pregnancy.status == "closed" and pregnancy.babies == 2 and pregnancy.delivery_mode == "caesarean"
    assert "Ctrl+E" in screen.status.text()
    actions.update_actions()
    assert not actions.delivery_action.isEnabled()

    def fill_newborn(dialog: NewbornDialog) -> None:
        assert dialog.birth_date.value() == delivered  # from the delivery just recorded
        dialog.name.setText("李小宝")
        dialog.sex.setCurrentIndex(dialog.sex.findData("M"))
        assert english_words(dialog) == []

    actions.run = _saving(fill_newborn, seen)
    actions.register_newborn()
    child = screen.client
    # the front desk sees the newborn masked, with the age only (issue 15)
    assert child.name == "李*宝" and child.id_type == identity.ID_NONE and child.birth_date_known
    assert clients.mother_of(child.id).id == mother.id
    [child_episode] = screen.episode_views
    assert child_episode.kind == "child"
    assert any(r.package_code == "HN-XS" and r.eligible for r in screen.results)


def test_refused_delivery_keeps_the_dialog_open_with_the_reason(qtbot, zh_app, db_url, frontdesk):
    mother, _ = _register(frontdesk, "19940512", "F", "李春玥", 3)
    episode = episodes.open_pregnancy(frontdesk, mother.id, clock.local_today() - dt.timedelta(weeks=12))
    dialog = DeliveryDialog(Session(actor=frontdesk, db_url=db_url), episode)
    qtbot.addWidget(dialog)
    dialog.delivery_date.set_value(clock.local_today())
    dialog.ok_button.click()  # today is only 12 weeks: not a delivery
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "20–44 周" in dialog.error.text()
    assert episodes.get_episode(frontdesk, episode.id).status == "open"


def test_child_without_episode_gets_one_from_the_menu(qtbot, zh_app, db_url, frontdesk):
    mother, _number = _register(frontdesk, "19940512", "F", "李春玥", 3)
    born = clock.local_today() - dt.timedelta(days=20)
    child = clients.register_newborn(frontdesk, mother.id, name="李小满", sex="F", birth_date=born)
    screen = _screen(qtbot, db_url, frontdesk)
    screen.open_client(child.id)
    actions = screen.episode_actions
    actions.update_actions()
    assert actions.child_action.isEnabled()
    seen: list = []
    actions.run = _saving(lambda dialog: None, seen)
    actions.open_child()
    assert not seen[0].birth_date.isEnabled()  # the registered birth date is used
    [episode] = screen.episode_views
    assert episode.kind == "child" and episode.birth_date == born
    actions.update_actions()
    assert not actions.child_action.isEnabled()


def test_no_invented_medical_facts_in_the_pregnancy_and_delivery_dialogs(qtbot, zh_app, db_url, frontdesk):
    """LMP and delivery date are empty until typed; Enter on them empty says what is missing and
    opens nothing; the calendar opens on today; the typed date is what is recorded."""
    from forms.episode_dialogs import PregnancyDialog

    mother, number = _register(frontdesk, "19940512", "F", "李春玥", 8)
    screen = _screen(qtbot, db_url, frontdesk)
    screen.search.setText(number)
    screen.do_search()
    seen: list = []

    def enter_empty_then_type(dialog: PregnancyDialog) -> None:
        assert dialog.lmp.text() == ""  # no "today − 60 days" to accept by accident
        dialog.show()
        qtbot.keyClick(dialog.lmp.edit, Qt.Key.Key_Return)  # Enter presses the default button
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.error.text() == "请填写末次月经日期" and dialog.focusWidget() is dialog.lmp.edit
        assert episodes.episodes_of(frontdesk, mother.id) == []
        calendar = dialog.lmp.open_calendar()
        assert calendar.selectedDate().toPython() == clock.local_today()
        calendar.close()
        qtbot.keyClicks(dialog.lmp.edit, "2026/1/5x")
        qtbot.keyClick(dialog.lmp.edit, Qt.Key.Key_Return)
        assert "年-月-日" in dialog.error.text()
        dialog.lmp.edit.clear()
        lmp = clock.local_today() - dt.timedelta(weeks=9)
        qtbot.keyClicks(dialog.lmp.edit, lmp.isoformat())
        assert english_words(dialog) == []

    def run(dialog) -> bool:
        seen.append(dialog)
        enter_empty_then_type(dialog)
        qtbot.keyClick(dialog.lmp.edit, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.episode_actions.run = run
    screen.open_pregnancy()
    [episode] = episodes.episodes_of(frontdesk, mother.id)
    assert episode.lmp == clock.local_today() - dt.timedelta(weeks=9)

    delivery = DeliveryDialog(screen.session, episode)
    qtbot.addWidget(delivery)
    delivery.show()
    assert delivery.delivery_date.text() == ""
    qtbot.keyClick(delivery.delivery_date.edit, Qt.Key.Key_Return)
    assert delivery.error.text() == "请填写分娩日期" and delivery.result() != QDialog.DialogCode.Accepted
    assert episodes.get_episode(frontdesk, episode.id).status == "open"

    newborn = NewbornDialog(screen.session, mother)  # no delivery on record: no birth date offered
    qtbot.addWidget(newborn)
    assert newborn.birth_date.text() == ""
