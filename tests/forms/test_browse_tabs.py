"""Browse clients, episodes and issuances: windowed models (qtmodeltester), filters, masked personal
data and an audited reveal for those who may."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt

from forms.browse import BrowseScreen
from forms.browse_tabs import ClientModel, EpisodeModel, IssuanceModel
from forms.session import Session
from forms.window_model import ROW_ROLE
from models import audit, browse, clients
from models.browse import ClientFilter, EpisodeFilter, IssuanceFilter
from models.privacy import mask_id
from tests.gui import english_words
from tests.helpers import make_actor, resident_id


def _screen(qtbot, db_url, actor) -> BrowseScreen:
    screen = BrowseScreen(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _texts(tab, column: int) -> list[str]:
    model = tab.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, zh_app, db_url, issued, frontdesk):
    clients.register_client(
        frontdesk,
        id_type="resident",
        id_number=resident_id("19880203", "F", rng=random.Random(3)),
        name="李四",
    )
    for cls, window, count, flt, expected in (
        (ClientModel, browse.client_window, browse.count_clients, ClientFilter(), 2),
        (EpisodeModel, browse.episode_window, browse.count_episodes, EpisodeFilter(), 1),
        (IssuanceModel, browse.issuance_window, browse.count_issuances, IssuanceFilter(), 1),
    ):
        model = cls(frontdesk, flt, window, count)
        assert model.rowCount() == expected
        qtmodeltester.check(model)
        sortable = next(i for i, c in enumerate(cls.columns) if c.sort)
        model.sort(sortable, Qt.SortOrder.AscendingOrder)
        qtmodeltester.check(model)
    names = ClientModel(frontdesk, ClientFilter(), browse.client_window, browse.count_clients)
    names.sort(0, Qt.SortOrder.AscendingOrder)  # by pinyin: li before wang
    assert [names.data(names.index(r, 0)) for r in range(2)] == ["李*", "王*红"]


def test_tabs_show_masked_rows_and_filter(qtbot, zh_app, db_url, issued, frontdesk):
    screen = _screen(qtbot, db_url, frontdesk)
    tabs = screen.tabs
    assert [tabs.tabText(i).split("(")[0] for i in range(tabs.count())] == [
        "电子券",
        "服务对象",
        "服务周期",
        "发券记录",
    ]
    clients_tab = screen.clients_tab
    tabs.setCurrentWidget(clients_tab)
    assert _texts(clients_tab, 0) == ["王*红"]
    assert all("*" in t for t in _texts(clients_tab, 2) + _texts(clients_tab, 3))
    assert not clients_tab.reveal_button.isVisible()  # the front desk may not reveal
    clients_tab.text.setText("wxh")
    clients_tab.apply_filter()
    assert clients_tab.model.rowCount() == 1
    clients_tab.text.setText("zzz")
    clients_tab.apply_filter()
    assert clients_tab.model.rowCount() == 0 and "0" in clients_tab.count_label.text()
    assert english_words(screen) == []

    tabs.setCurrentWidget(screen.episodes_tab)
    assert _texts(screen.episodes_tab, 1) == ["孕产期"]
    screen.episodes_tab.status.setCurrentIndex(screen.episodes_tab.status.findData("closed"))
    assert screen.episodes_tab.model.rowCount() == 0
    assert english_words(screen) == []

    tabs.setCurrentWidget(screen.issuances_tab)
    row = screen.issuances_tab.model.data(screen.issuances_tab.model.index(0, 0), ROW_ROLE)
    assert row["slip_no"] == issued.slip_no and row["value_text"] == issued.total_value_text
    assert row["vouchers"] == len(issued.vouchers)
    screen.issuances_tab.slip.setText("NOPE")
    assert screen.issuances_tab.model.rowCount() == 0
    assert english_words(screen) == []


def test_reveal_shows_the_full_number_and_is_audited(qtbot, zh_app, db_url, issued):
    supervisor = make_actor("supervisor")
    screen = _screen(qtbot, db_url, supervisor)
    tab = screen.clients_tab
    screen.tabs.setCurrentWidget(tab)
    assert tab.reveal_button.isVisible()
    shown = []
    tab.ask_reason = lambda: "核对身份"
    tab.show_revealed = shown.append
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.reveal_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    full = clients.get_client(supervisor, issued.client_id)
    assert shown[0].phone == "13812345678" and "*" not in shown[0].id_number
    assert mask_id(shown[0].id_number) == full.id_number_masked
    events = audit.list_events(supervisor, limit=5, action="pii.")
    assert events[0].action == "pii.reveal" and events[0].after["reason"] == "核对身份"
