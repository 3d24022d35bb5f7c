"""Leave proof screen: facts typed in, the municipal rules worked out live, the proof stored and printed."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt

from forms.leave_proof import LeaveProofScreen
from forms.session import Session
from models import audit, clients, clock, leave_records
from tests.gui import english_words
from tests.helpers import make_actor, resident_id
from tests.reports.helpers import flat_text


def _screen(qtbot, db_url, actor) -> LeaveProofScreen:
    screen = LeaveProofScreen(Session(actor=actor, db_url=db_url, institution="示例市妇幼保健院"))
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    screen.show()
    qtbot.waitExposed(screen)
    shown: list[tuple[bytes, str]] = []
    screen.preview = lambda pdf, title: shown.append((pdf, title)) or True
    screen.shown = shown
    return screen


def _lines(screen) -> list[str]:
    return [screen.lines.item(i).text() for i in range(screen.lines.count())]


def test_late_caesarean_twins_under_the_municipal_rules(qtbot, zh_app, db_url, frontdesk):
    number = resident_id("19940512", "F", rng=random.Random(31))
    mother = clients.register_client(frontdesk, id_type="resident", id_number=number, name="李春玥").client
    screen = _screen(qtbot, db_url, frontdesk)
    delivered = clock.local_today() - dt.timedelta(days=10)
    screen.rule_set.setCurrentIndex(screen.rule_set.findData("municipal_example"))
    screen.delivery_date.setDate(delivered)
    qtbot.keyClicks(screen.search, number)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.client.id == mother.id and "李*玥" in screen.mother.text()
    expected_age = delivered.year - 1994 - ((delivered.month, delivered.day) < (5, 12))
    assert screen.age.value() == expected_age  # from her ID number, on the delivery date
    screen.mode.setCurrentIndex(screen.mode.findData("caesarean"))
    screen.babies.setValue(2)
    qtbot.keyClicks(screen.wage, "6000")
    qtbot.keyClicks(screen.city_wage, "7500.00")
    # 90 (incl. 15 prenatal) + 15 late first birth (≥ 24) + 30 caesarean + 15 second baby = 150
    result = screen.result
    assert result.total_days == 150
    assert [r.days for r in result.applied] == [90, 15, 30, 15]
    start = delivered - dt.timedelta(days=15)
    assert result.start_date == start and result.end_date == start + dt.timedelta(days=149)
    assert result.allowance_fen == 600_000 * 150 // 30  # ¥6,000.00 ÷ 30 × 150 = ¥30,000.00
    assert result.nutrition_fen == 750_000 // 2  # difficult and multiple birth: 50 %
    assert screen.total.text().startswith("150") and "¥30,000.00" in screen.total.text()
    lines = "\n".join(_lines(screen))
    assert "90 + 15 + 30 + 15 = 150 天" in lines and "¥3,750.00" in lines
    assert english_words(screen) == []

    issued = screen.issue_and_print()
    assert issued is not None and issued.proof_no in screen.error.text()
    pdf, title = screen.shown[0]
    assert issued.proof_no in title
    text = flat_text(pdf)
    # for her employer: her full name and ID number, an audited reveal naming the proof
    assert "李春玥" in text and number in text and "150" in text and "30,000.00" in text
    assert " 分 ×" not in text.replace("分×", " 分 ×") or "分×" not in text  # no fen working on paper
    [reveal] = audit.list_events(make_actor("supervisor"), action="pii.reveal")
    assert reveal.entity_id == str(mother.id) and issued.proof_no in reveal.after["reason"]
    [stored] = leave_records.proofs_of_client(frontdesk, mother.id)
    assert stored["total_days"] == 150 and stored["allowance_fen"] == 3_000_000
    [event] = audit.list_events(make_actor("supervisor"), action="leave.issue")
    assert event.entity_id == str(issued.id) and event.after["total_days"] == 150


def test_miscarriage_and_a_missing_fact(qtbot, zh_app, db_url, frontdesk):
    screen = _screen(qtbot, db_url, frontdesk)
    screen.rule_set.setCurrentIndex(screen.rule_set.findData("municipal_example"))
    # no invented medical fact: the delivery date is empty until typed, and says so
    assert screen.delivery_date.text() == "" and screen.result is None
    assert screen.error.text() == "请填写分娩（流产）日期" and not screen.print_button.isEnabled()
    screen.delivery_date.setDate(clock.local_today() - dt.timedelta(days=3))
    assert screen.age.value() == 0  # nobody chosen: age not given
    # a first birth under rules with a late-birth clause needs the mother's age
    assert screen.result is None and "年龄" in screen.error.text()
    assert not screen.print_button.isEnabled()
    screen.age.setValue(23)
    assert screen.result.total_days == 90 and screen.print_button.isEnabled()
    screen.kind.setCurrentIndex(screen.kind.findData("miscarriage"))
    assert not screen.mode.isEnabled() and screen.months.isEnabled()
    screen.months.setValue(3)  # 2 to under 4 months: 30 days
    assert screen.result.total_days == 30
    screen.months.setValue(7)  # from 7 months: 75 days
    assert screen.result.total_days == 75
    screen.rule_set.setCurrentIndex(screen.rule_set.findData("national"))
    assert screen.result.total_days == 42  # national: from 4 months, 42 days
    # without a client nothing is issued
    assert screen.issue_and_print() is None and screen.shown == []
    assert "登记" in screen.error.text() or "母亲" in screen.error.text()


def test_a_search_that_finds_nobody_takes_the_previous_mother_off_the_screen(
    qtbot, zh_app, db_url, frontdesk
):
    number = resident_id("19940512", "F", rng=random.Random(31))
    clients.register_client(frontdesk, id_type="resident", id_number=number, name="李春玥")
    screen = _screen(qtbot, db_url, frontdesk)
    screen.search.setText(number)
    screen.do_search()
    screen.delivery_date.setDate(clock.local_today() - dt.timedelta(days=3))
    screen.wage.setText("6000")
    assert screen.client is not None and screen.result is not None
    screen.search.setText(resident_id("19900101", "F", rng=random.Random(5)))
    screen.do_search()
    assert screen.client is None and "李" not in screen.mother.text()
    assert screen.issue_and_print() is None and screen.shown == []
    assert "先查找" in screen.error.text(), screen.error.text()
