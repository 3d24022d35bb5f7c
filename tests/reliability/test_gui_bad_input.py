"""Bad input typed into the desktop screens: a Chinese message on screen, no exception, nothing written.

Hypothesis puts hostile text (overlong, control characters, emoji, SQL/HTML/format-string
payloads, full-width digits, impossible dates) into the register dialog, the front-desk search,
the redeem code field, the leave-proof wage fields and the birth-certificate data fields. Text
goes in with ``setText`` (``qtbot.keyClicks`` with non-ASCII text aborts the process); the
action is the one the user's Enter or button triggers. pytest-qt fails a test on any exception
raised inside Qt; the database (row counts, voucher states, audit head) must be unchanged
whenever the screen refused.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.certificates import CertificatesScreen
from forms.front_desk import FrontDeskScreen, RegisterDialog
from forms.leave_proof import LeaveProofScreen
from forms.redeem import RED, RedeemScreen
from forms.session import Session
from models import certificates, clients, clock, episodes, issuance
from models.schema import ALL_MODELS, AuditHead, Voucher
from tests.helpers import make_actor, resident_id
from tests.reliability.test_bad_input import PAYLOADS, hostile

CJK = re.compile(r"[\u4e00-\u9fff]")
GUI = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
bad_dates = st.sampled_from(["2026-02-30 08:30", "2099-01-01 08:00", "0000-00-00 00:00", "2026-13-01 25:61"])


def snapshot() -> tuple:
    counts = tuple(model.select().count() for model in ALL_MODELS)
    head = AuditHead.get_or_none(AuditHead.id == 1)
    states = tuple(Voucher.select(Voucher.state).order_by(Voucher.id).tuples())
    return counts, head and (head.seq, head.hash), states


@pytest.fixture
def zh_app(qapp):
    from desktop import i18n

    i18n.install_translators(qapp, "zh_CN")
    i18n.install_font(qapp)
    return qapp


@pytest.fixture
def desk(db_url):
    return make_actor("frontdesk", "supervisor", "nurse", username="gui_bad")


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- register dialog ------------------------------------------------------------------------------


@GUI
@given(number=hostile, name=hostile, phone=hostile, address=hostile)
def test_register_dialog_with_a_hostile_id_number(qtbot, zh_app, desk, number, name, phone, address):
    dialog = _show(qtbot, RegisterDialog(Session(actor=desk)))
    before = snapshot()
    for field, text in ((dialog.id_number, number), (dialog.name, name), (dialog.phone, phone)):
        field.setText(text)
    dialog.address.setText(address)
    dialog.save()
    assert dialog.result_view is None
    assert CJK.search(dialog.error.text()), dialog.error.text()
    assert snapshot() == before
    dialog.close()


@GUI
@given(name=hostile, phone=hostile, address=hostile)
def test_register_dialog_with_a_real_id_and_hostile_details(qtbot, zh_app, desk, name, phone, address):
    number = resident_id("19950101", "F", rng=random.Random(hash((name, phone)) & 0xFFFF))
    dialog = _show(qtbot, RegisterDialog(Session(actor=desk), number))
    before = snapshot()
    dialog.name.setText(name)
    dialog.phone.setText(phone)
    dialog.address.setText(address)
    dialog.save()
    if dialog.result_view is None:
        assert CJK.search(dialog.error.text()), dialog.error.text()
        assert snapshot() == before
    else:  # accepted: what is stored is what was typed, cleaned
        stored = clients.get_client(desk, dialog.result_view.id)
        assert stored.id == dialog.result_view.id
    dialog.close()


# --- front-desk search ----------------------------------------------------------------------------


@pytest.fixture
def front_desk(qtbot, zh_app, desk):
    clients.register_client(desk, id_type="resident", id_number=resident_id("19940512", "F"), name="王小红")
    return _show(qtbot, FrontDeskScreen(Session(actor=desk)))


@GUI
@given(query=hostile)
def test_front_desk_search_never_breaks(front_desk, query):
    before = snapshot()
    front_desk.status.clear()
    front_desk.search.setText(query)
    front_desk.do_search()
    if query.strip():
        shown = front_desk.status.text() or front_desk.header.text()
        assert CJK.search(shown) or front_desk.found.count(), (query, shown)
    assert snapshot() == before


# --- redeem code field ------------------------------------------------------------------------------


@pytest.fixture
def redeem_screen(qtbot, zh_app, desk):
    client = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19940512", "F"), name="王小红"
    ).client
    episode = episodes.open_pregnancy(desk, client.id, clock.local_today() - dt.timedelta(weeks=10))
    issuance.issue_package(desk, episode.id, "HN-ZY")
    return _show(qtbot, RedeemScreen(Session(actor=desk, service_point="LAB")))


@GUI
@given(code=hostile)
def test_redeem_code_field_refuses_in_red(redeem_screen, code):
    screen = redeem_screen
    screen.clear()
    before = snapshot()
    screen.code.setText(code)
    screen.submit()
    screen.submit()  # Enter again: never a redemption
    if code.strip():
        assert screen.banner.property("colour") == RED and CJK.search(screen.banner.text())
    assert snapshot() == before


# --- leave-proof wage fields --------------------------------------------------------------------------


@GUI
@given(wage=hostile, city=hostile, spouse=hostile)
def test_leave_proof_wages(qtbot, zh_app, desk, wage, city, spouse):
    screen = _show(qtbot, LeaveProofScreen(Session(actor=desk, institution="示例市妇幼保健院")))
    screen.preview = lambda pdf, title: True
    screen.delivery_date.setDate(clock.local_today() - dt.timedelta(days=10))
    before = snapshot()
    screen.spouse.setChecked(True)
    screen.wage.setText(wage)
    screen.city_wage.setText(city)
    screen.spouse_wage.setText(spouse)
    result = screen.recompute()
    if result is None:
        assert CJK.search(screen.error.text()) and not screen.print_button.isEnabled()
    else:
        assert result.allowance_fen is None or result.allowance_fen >= 0
    screen.issue_and_print()  # no mother chosen: refused in words
    assert snapshot() == before
    screen.close()


@pytest.mark.parametrize(
    "wage", ["-1", "0", "99999999999999999999", "１２３４５６７８９０１２３", "1e309", "NaN"]
)
def test_leave_proof_zero_negative_huge_wage(qtbot, zh_app, desk, wage):
    screen = _show(qtbot, LeaveProofScreen(Session(actor=desk, institution="示例市妇幼保健院")))
    screen.delivery_date.setDate(clock.local_today() - dt.timedelta(days=10))
    screen.age.setValue(30)
    screen.wage.setText(wage)
    result = screen.recompute()
    if wage == "0":
        assert result is not None and result.allowance_fen == 0, screen.error.text()
    else:
        assert result is None and "工资" in screen.error.text()


# --- birth-certificate data fields ------------------------------------------------------------------


@pytest.fixture
def certificate_tab(qtbot, zh_app, desk):
    number = resident_id("19940512", "F", rng=random.Random(21))
    mother = clients.register_client(desk, id_type="resident", id_number=number, name="李春玥").client
    born = clock.local_today() - dt.timedelta(days=3)
    child = clients.register_newborn(desk, mother.id, name="李小宝", sex="M", birth_date=born)
    episode = episodes.open_child(desk, child.id)
    certificates.receive(desk, "R", 430000001, 430000010)
    certificates.assign(desk, "R430000001", "R430000010", desk.workstation)
    screen = CertificatesScreen(Session(actor=desk))
    screen.resize(1200, 800)
    _show(qtbot, screen)
    tab = screen.issue_tab
    tab.owner = screen  # keeps the screen (and so the tab) alive for the whole test
    tab.preview = lambda pdf, title: True
    screen.tabs.setCurrentWidget(tab)
    tab.search.setText(number)
    tab.search.returnPressed.emit()
    assert tab.episode_id == episode.id
    good = {
        "newborn.birth_time": f"{born.isoformat()} 08:30",
        "newborn.gestational_weeks": "39",
        "newborn.length_cm": "50",
        "newborn.weight_g": "3300",
        "newborn.birthplace.province": "湖南省",
        "newborn.birthplace.city": "长沙市",
        "newborn.birthplace.county": "芙蓉区",
        "mother.ethnicity": "汉",
    }
    for key, value in good.items():
        tab.fields[key].setText(value)
    return tab


TEXT_FIELDS = [
    "newborn.name",
    "newborn.birth_time",
    "newborn.gestational_weeks",
    "newborn.length_cm",
    "newborn.weight_g",
    "newborn.birthplace.province",
    "newborn.birthplace.city",
    "newborn.birthplace.county",
    "mother.name",
    "mother.age",
    "mother.ethnicity",
    "mother.id_number",
]


@GUI
@given(data=st.data())
def test_certificate_fields_with_hostile_values(certificate_tab, data):
    tab = certificate_tab
    keys = [k for k in TEXT_FIELDS if k in tab.fields]
    chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
    saved = {key: tab.value(key) for key in chosen}
    for key in chosen:
        value = data.draw(bad_dates if key == "newborn.birth_time" and data.draw(st.booleans()) else hostile)
        tab.fields[key].setText(value)
    before = snapshot()
    view = tab.issue_and_print()
    if view is None:
        shown = [label.text() for label in tab.errors.values() if label.isVisible()] + [tab.status.text()]
        assert any(CJK.search(text) for text in shown), shown
        assert snapshot() == before
    for key, value in saved.items():
        tab.fields[key].setText(value)


def test_the_payloads_reach_the_screens():
    """The hostile set really holds the cases named in the issue (so the properties above test them)."""
    joined = "".join(PAYLOADS)
    assert "DROP TABLE" in joined and "<script>" in joined and "%s" in joined and "\x00" in joined
    assert any(len(p) > 1000 for p in PAYLOADS) and "👶" in joined and "１" in joined


def test_the_certificate_harness_issues_with_good_fields(certificate_tab):
    """With the good values the same screen issues (so the refusals above come from the bad values)."""
    before = snapshot()
    view = certificate_tab.issue_and_print()
    assert view is not None and view.serial == "R430000001"
    assert snapshot() != before
