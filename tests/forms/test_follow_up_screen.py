"""阳性追踪 screen: the nurse's worklist overdue first, a contact recorded, closed with an outcome."""

from __future__ import annotations

import datetime as dt

from forms.follow_up_screen import FollowUpScreen
from forms.session import Session
from models import clients, episodes, issuance, redemption
from models.schema import FollowUpCase
from tests.gui import english_words
from tests.helpers import make_actor
from tests.models.lifecycle import NOW, TODAY, freeze, woman


def _positive_heart_screen(desk, nurse):
    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    slip = issuance.issue_package(desk, episodes.open_child(desk, baby.id).id, "LYG-XS")
    heart = next(v for v in slip.vouchers if v.item_code == "HEART_SCREEN")
    return redemption.redeem(nurse, heart.code, "HEART", result="positive")


def test_worklist_contact_and_close(qtbot, zh_app, db_url, frontdesk):
    freeze()
    nurse = make_actor("nurse")
    done = _positive_heart_screen(frontdesk, nurse)
    freeze(NOW + dt.timedelta(days=10))  # due after 7 days: 3 days overdue
    screen = FollowUpScreen(Session(actor=nurse, db_url=db_url))
    qtbot.addWidget(screen)
    screen.resize(1100, 500)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.table.rowCount() == 1
    assert "逾期 3 天" in screen.table.item(0, 4).text()
    assert screen.table.item(0, 6).text() == done.follow_ups[0].code_display
    assert english_words(screen) == []

    answers = iter([("电话", True), ("未联系上", True)])
    screen.ask_choice = lambda *_a: next(answers)
    screen.ask_text = lambda *_a: ("无人接听", True)
    screen.contact_button.click()
    assert "共 1 次" in screen.message.text()
    assert screen.table.item(0, 5).text().startswith("1")

    screen.ask_choice = lambda *_a: ("转诊", True)
    screen.ask_text = lambda *_a: ("转省儿童医院", True)
    screen.close_button.click()
    assert "已结案：转诊" in screen.message.text() and screen.table.rowCount() == 0
    assert FollowUpCase.get().outcome == "referred"
    screen.show_closed.setChecked(True)
    assert screen.table.rowCount() == 1 and screen.table.item(0, 7).text() == "转诊"
