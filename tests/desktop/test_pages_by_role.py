"""Which pages each role sees, the certificate page's tabs by permission, and no English visible on
any page or tab for any role."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QTabWidget

from desktop.main_window import PAGES, MainWindow
from forms.certificates import CertificatesScreen
from forms.session import Session
from tests.gui import english_words
from tests.helpers import make_actor

ROLES = ["frontdesk", "nurse", "finance", "supervisor", "admin"]


def _window(qtbot, db_url, actor) -> MainWindow:
    window = MainWindow(Session(actor=actor, db_url=db_url, service_point="US"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_page_shows_for_any_of_its_permissions(qtbot, zh_app, db_url):
    admin = make_actor("admin")
    assert not admin.can("certificate.issue") and admin.can("certificate.stock")
    window = _window(qtbot, db_url, admin)
    screen = window.show_page("certificates")
    assert isinstance(screen, CertificatesScreen)
    tabs = [screen.tabs.widget(i) for i in range(screen.tabs.count())]
    assert tabs == [screen.stock_tab, screen.void_tab] and screen.issue_tab is None
    assert not screen.findChild(QPushButton, "calibrateButton").isVisible()
    assert "leave" not in window.pages  # the leave proof stays with certificate.issue

    nurse_window = _window(qtbot, db_url, make_actor("nurse"))
    assert "certificates" not in nurse_window.pages

    desk = _window(qtbot, db_url, make_actor("frontdesk")).show_page("certificates")
    assert desk.tabs.count() == 3 and desk.issue_tab is not None
    assert desk.findChild(QPushButton, "calibrateButton").isVisible()


@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_or_tab(qtbot, zh_app, db_url, role):
    window = _window(qtbot, db_url, make_actor(role, full_name="张护士"))
    assert window.pages, role
    for page in PAGES:
        if page.key not in window.pages:
            continue
        widget = window.show_page(page.key)
        found = english_words(window)
        assert found == [], (role, page.key, found)
        for tabs in widget.findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                assert english_words(window) == [], (role, page.key, tabs.tabText(i), english_words(window))
