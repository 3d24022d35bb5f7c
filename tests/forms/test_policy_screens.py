"""What the desk and the nurse see of issue 16: the package that covers an item, the person a
voucher serves, follow-ups awaiting a result — on the front desk, the redeem screen and the slip."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt

from desktop import documents
from forms.front_desk import FrontDeskScreen
from forms.redeem import RedeemScreen
from forms.session import Session
from models import clients, clock, episodes, issuance
from tests.gui import english_words
from tests.helpers import make_actor, resident_id
from tests.reports.helpers import flat_text


def _client(actor, name: str, sex: str = "F", birth: str = "19940512", seed: int = 3):
    number = resident_id(birth, sex, rng=random.Random(seed))
    return clients.register_client(
        actor, id_type="resident", id_number=number, name=name, phone="13912345678"
    )


def test_front_desk_names_the_package_that_already_covers_an_item(qtbot, zh_app, db_url, frontdesk):
    client = _client(frontdesk, "李春玥").client
    ep = episodes.open_pregnancy(frontdesk, client.id, clock.local_today() - dt.timedelta(weeks=10))
    issuance.issue_package(frontdesk, ep.id, "HN-ZY")
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.open_client(client.id)
    row = next(r for r, res in enumerate(screen.results) if res.package_code == "HN-YC")
    assert screen.results[row].eligible
    assert (
        "预防母婴传播检测（艾滋病、梅毒、乙肝）：已由湘护早孕包覆盖（已发放）"
        in screen.packages.item(row, 2).text()
    )
    lyg = next(r for r, res in enumerate(screen.results) if res.package_code == "LYG-CQ")
    assert "待筛查结果" in screen.packages.item(lyg, 2).text()


def _couple_issuance(actor):
    wife = _client(actor, "王小红").client
    husband = _client(actor, "李大明", sex="M", birth="19920303", seed=4).client
    ep = episodes.open_prepregnancy(actor, wife.id, husband.id)
    return issuance.issue_package(actor, ep.id, "HN-BY"), husband


def test_redeem_screen_shows_the_partner_a_voucher_serves(qtbot, zh_app, db_url, frontdesk):
    view, husband = _couple_issuance(frontdesk)
    his = next(v for v in view.vouchers if v.item_code == "MARRIAGE_EXAM" and v.client_id == husband.id)
    screen = RedeemScreen(Session(actor=make_actor("nurse"), db_url=db_url, service_point="MARRIAGE"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.keyClicks(screen.code, his.code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert "李*明" in screen.client_label.text()
    assert english_words(screen) == []


def test_slip_names_each_partner_and_what_was_not_issued(db_url, frontdesk):
    view, _ = _couple_issuance(frontdesk)
    text = flat_text(documents.render_slip(documents.slip_data(view), "roll80"))
    assert "婚前医学检查（李*明）" in text and "孕前优生健康检查（李*明）" in text
    assert "婚前医学检查（王*红）" in text and "叶酸发放（3个月量）（王*红）" in text
    assert "未发放" in text and "限周期开始时年满35岁或已登记不孕史者" in text
